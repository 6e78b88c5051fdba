"""Backup and restore of the database and the uploaded files, as one archive.

`flask --app app backup create [--to DIR]` writes gk-backup-<UTC time>.tar.gz (mode 0600: it holds
citizens' personal data) with a manifest (time, database kind, schema revision, row counts, every
file's SHA-256), the database — `pg_dump` custom format on PostgreSQL, SQLite's online backup API on
SQLite — and the uploads. `flask --app app backup restore ARCHIVE --yes` checks every checksum
first, then restores the database (`pg_restore --clean --if-exists`; SQLite: the file replaced) and
the uploads (the previous upload folder is kept beside, renamed). Stop the web and worker processes
before a restore."""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import make_url

from core.extensions import db

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from sqlalchemy.engine import URL

COUNTED = ("users", "departments", "disclosure_requests", "tickets", "public_records", "audit_events")


class BackupError(Exception):
    """A backup or restore that cannot go on (message for the operator, in Chinese)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as libpq understands it (no +driver), password included."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _counts() -> dict[str, int]:
    inspector = sa.inspect(db.engine)
    return {t: db.session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in COUNTED if inspector.has_table(t)}


def _revision() -> str | None:
    try:
        return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return None


def _dump_database(url: URL, into: Path) -> Path:
    if url.get_backend_name() == "postgresql":
        target = into / "database.dump"
        out = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq_url(url)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise BackupError(f"pg_dump 失败：{out.stderr.strip()[:500]}")
        return target
    if url.get_backend_name() == "sqlite" and url.database:
        target = into / "database.sqlite3"
        source, copy = sqlite3.connect(url.database), sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent even while the application writes
        finally:
            source.close()
            copy.close()
        return target
    raise BackupError("只支持 PostgreSQL 和文件形式的 SQLite 数据库")


def create(dest: str | Path, *, now: datetime) -> tuple[Path, dict[str, Any]]:
    """Write a backup archive into the folder `dest`; returns its path."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    uploads = Path(current_app.config["UPLOAD_DIR"])
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = _dump_database(url, Path(tmp))
        files = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []
        manifest = {
            "created_at": now.isoformat(), "database": url.get_backend_name(), "revision": _revision(),
            "counts": _counts(), "database_file": dump.name, "database_sha256": _sha256(dump),
            "uploads": {str(p.relative_to(uploads)): _sha256(p) for p in files},
        }
        path = dest / f"gk-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for p in files:
                tar.add(p, arcname=f"uploads/{p.relative_to(uploads)}")
    return path, manifest


def _safe_members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件中有不安全的条目：{member.name}")
        yield member


def restore(archive: str | Path, *, now: datetime) -> dict[str, Any]:
    """Check the archive, then put its database and uploads back. Returns the manifest."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    uploads = Path(current_app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, members=list(_safe_members(tar)))
        tmp = Path(tmp)
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest["database"] != url.get_backend_name():
            raise BackupError(f"备份来自 {manifest['database']}，当前数据库是 {url.get_backend_name()}")
        dump = tmp / manifest["database_file"]
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("数据库备份的校验值不符，备份已损坏，未做任何恢复")
        for name, digest in manifest["uploads"].items():
            if _sha256(tmp / "uploads" / name) != digest:
                raise BackupError(f"附件 {name} 的校验值不符，备份已损坏，未做任何恢复")
        db.session.remove()
        db.engine.dispose()
        if manifest["database"] == "postgresql":
            out = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                  "--dbname", _libpq_url(url), str(dump)], capture_output=True, text=True)
            if out.returncode != 0:
                raise BackupError(f"pg_restore 失败：{out.stderr.strip()[:500]}")
        else:
            shutil.copyfile(dump, cast(str, url.database))  # a file SQLite: create() refuses any other
        if uploads.exists():
            uploads.rename(uploads.with_name(f"{uploads.name}.before-restore-{now.strftime('%Y%m%dT%H%M%SZ')}"))
        if (tmp / "uploads").exists():
            shutil.copytree(tmp / "uploads", uploads)
        else:
            uploads.mkdir(parents=True)
    return manifest
