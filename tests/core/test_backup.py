"""Backup and restore with the real tools (SQLite's backup API; pg_dump / pg_restore on PostgreSQL):
data and uploads written, backed up, lost, restored, checked byte for byte; a damaged archive is refused."""
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.test_setup import pg_database  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def flask(env, *args):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def _env(url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")}
    env.update(DATABASE_URL=url, INSTANCE_PATH=str(tmp_path / "instance"), APP_ENV="development",
               UPLOAD_DIR=str(tmp_path / "uploads"))
    return env


def _users(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("SELECT email FROM users ORDER BY email"))]
    engine.dispose()
    return rows


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_backup_lose_everything_restore(tmp_path, request, db_kind):
    url = f"sqlite:///{tmp_path / 'live.db'}" if db_kind == "sqlite" else request.getfixturevalue("pg_database")
    env = _env(url, tmp_path)
    assert flask(env, "db", "upgrade").returncode == 0
    assert flask(env, "seed").returncode == 0
    out = flask(env, "users", "create", "--email", "keep@x.cn", "--password", "Passw0rd1", "--role", "supervisor")
    assert out.returncode == 0, out.stderr
    uploads = tmp_path / "uploads" / "ab"
    uploads.mkdir(parents=True)
    (uploads / "scan.pdf").write_bytes(b"%PDF-1.4 application scan \x00\xff")

    made = flask(env, "backup", "create", "--to", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    archive = next((tmp_path / "backups").glob("gk-backup-*.tar.gz"))
    assert oct(archive.stat().st_mode & 0o777) == "0o600" and "users 1" in made.stdout

    # everything lost: the database emptied, the uploads gone, a stray row added after the backup
    if db_kind == "sqlite":
        (tmp_path / "live.db").unlink()
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    (uploads / "scan.pdf").unlink()

    refused = flask(env, "backup", "restore", str(archive))
    assert refused.returncode == 1 and "--yes" in refused.stderr
    restored = flask(env, "backup", "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _users(url) == ["keep@x.cn"]
    assert (tmp_path / "uploads" / "ab" / "scan.pdf").read_bytes() == b"%PDF-1.4 application scan \x00\xff"
    assert flask(env, "db", "current").stdout.strip() == f"{head_revision()} (head)"  # schema at the backed-up revision


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    env = _env(url, tmp_path)
    assert flask(env, "db", "upgrade").returncode == 0
    assert flask(env, "seed").returncode == 0
    assert flask(env, "backup", "create", "--to", str(tmp_path / "b")).returncode == 0
    archive = next((tmp_path / "b").glob("*.tar.gz"))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "database.sqlite3":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    assert flask(env, "users", "create", "--email", "new@x.cn", "--password", "Passw0rd1", "--role",
                 "supervisor").returncode == 0
    out = flask(env, "backup", "restore", str(damaged), "--yes")
    assert out.returncode == 1 and "校验值不符" in out.stderr
    assert _users(url) == ["new@x.cn"]  # untouched


def head_revision():
    """The newest migration, read from the migration scripts (not written into the test)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()
