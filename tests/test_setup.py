"""The deployment steps as plain commands: migrations on SQLite and PostgreSQL, seed, demo login, serving."""
import os
import re
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from tests.conftest import check_pg
from tests.waiting import wait_for_http

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def run(args, env, timeout=300):
    return subprocess.run(FLASK + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def env_for(url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")}
    env.update(DATABASE_URL=url, INSTANCE_PATH=str(tmp_path / "instance"), APP_ENV="development")
    return env


def assert_schema_matches_models(url):
    from app import create_app
    from core.extensions import db
    create_app()  # registers every module's models, as `flask db` does
    engine = create_engine(url)
    with engine.connect() as conn:
        from public_log.search import include_name, include_object
        context = MigrationContext.configure(conn, opts={"include_name": include_name,
                                                         "include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


@pytest.fixture
def pg_database():
    """A throw-away PostgreSQL database, so migrations run on an empty schema."""
    base = check_pg()
    name = f"gk_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


TSV_DEFINITION = ("SELECT pg_get_expr(d.adbin, d.adrelid), a.attstorage FROM pg_attrdef d JOIN pg_attribute a "
                  "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                  "WHERE d.adrelid = 'public_search_docs'::regclass AND a.attname = 'tsv'")


def _upgrade_seed_and_check(url, tmp_path):
    env = env_for(url, tmp_path)
    out = run(["db", "upgrade"], env)
    assert out.returncode == 0, out.stderr
    assert_schema_matches_models(url)
    first = run(["seed", "--demo"], env)
    assert first.returncode == 0, first.stderr
    assert "演示账号" in first.stdout and "admin@demo.local" in first.stdout
    second = run(["seed", "--demo"], env)
    assert second.returncode == 0 and "已存在" in second.stdout and "Demo" not in second.stdout
    return env, first.stdout


def test_sqlite_migrate_seed_and_demo_login(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env, seed_out = _upgrade_seed_and_check(url, tmp_path)
    password = re.search(r"staff\.mzj@demo\.local\s+(\S+)", seed_out).group(1)

    from app import create_app
    from config import TestingConfig
    from tests.conftest import login

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Cfg)
    client = app.test_client()
    resp = login(client, "staff.mzj@demo.local", password)
    assert resp.status_code == 302
    assert "民政局承办人" in client.get("/").get_data(as_text=True)
    due = run(["calendar", "due", "--from", "2026-09-28", "--workdays", "20"], env)
    assert due.stdout.strip() == "2026-10-30 official"


def test_postgres_migrate_seed_downgrade(tmp_path, pg_database):
    env, _ = _upgrade_seed_and_check(pg_database, tmp_path)
    engine = create_engine(pg_database)
    with engine.begin() as conn:
        assert conn.execute(text("select count(*) from departments")).scalar() >= 30
    # The trigger keeps the audit trail append-only for code that bypasses the ORM: a known row can be
    # neither changed nor deleted (a trigger on an empty table would prove nothing).
    with engine.begin() as conn:
        row = conn.execute(text("INSERT INTO audit_events (at, actor_label, entity_kind, entity_id, action) "
                                "VALUES (now(), 'test', 'probe', '1', 'made') RETURNING id")).scalar()
        count = conn.execute(text("select count(*) from audit_events")).scalar()
    for statement in (f"update audit_events set action = 'forged' where id = {row}",
                      f"delete from audit_events where id = {row}", "delete from audit_events"):
        with pytest.raises(Exception, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text(f"select action from audit_events where id = {row}")).scalar() == "made"
        assert conn.execute(text("select count(*) from audit_events")).scalar() == count
    # the search column as migrated is the one the models create (public_log.search.POSTGRES_DDL)
    with engine.connect() as conn:
        migrated = conn.execute(text(TSV_DEFINITION)).one()
        conn.execute(text("CREATE TEMP TABLE probe (record_id integer, title_tokens text, "
                          "request_tokens text, reply_tokens text, filter_tokens text)"))
        from public_log.search import POSTGRES_DDL
        conn.execute(text(POSTGRES_DDL[0].replace("public_search_docs", "probe")))
        probe = conn.execute(text(TSV_DEFINITION.replace("'public_search_docs'", "'probe'"))).one()
        assert probe[0] == migrated[0] and "'zqid'" in migrated[0] and "filter_tokens" in migrated[0]
        assert migrated[1] == "m"  # kept in the row (STORAGE MAIN)
    engine.dispose()
    down = run(["db", "downgrade", "base"], env)
    assert down.returncode == 0, down.stderr


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_ticket_verdicts_are_backfilled_from_the_clocks(tmp_path, request, db_kind):
    """Migration 0014 counts the verdicts of clocks stopped before it, as hotline.common.stop counts
    them afterwards: a sign-for signed in time, one signed late, a returned one (no verdict)."""
    url = f"sqlite:///{tmp_path / 'verdicts.db'}" if db_kind == "sqlite" else request.getfixturevalue("pg_database")
    env = env_for(url, tmp_path)
    assert run(["db", "upgrade", "0013_report_runs"], env).returncode == 0
    engine = create_engine(url)
    clock = ("INSERT INTO clocks (entity_kind, entity_id, entity_label, name, unit, length, state, started_at, pauses, "
             "extension, due_at, warn_at, provisional, stopped_at, on_time, stop_reason) VALUES ('ticket', :t, '', :n, "
             "'workhours', 2, 'stopped', '2026-11-02 01:00:00', '[]', 0, '2026-11-02 03:00:00', '2026-11-02 02:30:00', "
             ":f, '2026-11-02 02:00:00', :ok, :why)")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO hotline_categories (code, name, level, active) VALUES ('01', '城乡建设', 1, :t)"),
                     {"t": True})
        for ticket_id in (1, 2):
            conn.execute(text("INSERT INTO tickets (id, status, channel, anonymous, confidential, type, category_code, "
                              "urgency, address, content, summary, received_at, extension_used, direct, reopen_count, "
                              "return_count, version) VALUES (:id, 'handling', 'phone', :f, :f, 'complaint', '01', "
                              "'normal', '', 'x', '', '2026-11-02 01:00:00', :f, :f, 0, 0, 1)"), {"id": ticket_id, "f": False})
        for t, name, ok, why in (("1", "sign_for", True, "signed"), ("1", "handling", False, "replied"),
                                 ("2", "sign_for", True, "returned"), ("2", "sign_for", False, "signed")):
            conn.execute(text(clock), {"t": t, "n": name, "ok": ok, "why": why, "f": False})
    assert run(["db", "upgrade"], env).returncode == 0
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, sign_verdicts, sign_in_time, done_verdicts, done_in_time FROM tickets "
                                 "ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 1, 1, 1, 0), (2, 1, 0, 0, 0)]


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_answer_verdicts_are_backfilled_from_the_clocks(tmp_path, request, db_kind):
    """Migration 0039 keeps the newest answer clock's frozen verdict on each application, as
    requests_module.common.keep_answer_verdict keeps it afterwards: replied late after an earlier clock in time,
    replied in time, still running (none), never received (no clock)."""
    url = f"sqlite:///{tmp_path / 'answers.db'}" if db_kind == "sqlite" else request.getfixturevalue("pg_database")
    env = env_for(url, tmp_path)
    assert run(["db", "upgrade", "0038_hotline_rollups"], env).returncode == 0
    engine = create_engine(url)
    clock = ("INSERT INTO clocks (id, entity_kind, entity_id, entity_label, name, unit, length, state, started_at, "
             "pauses, extension, due_at, warn_at, provisional, stopped_at, on_time) VALUES (:id, 'disclosure_request', "
             ":r, '', :n, 'workdays', 20, :s, '2026-11-02 01:00:00', '[]', 0, '2026-11-30 15:59:59', "
             "'2026-11-25 15:59:59', :f, NULL, :ok)")
    with engine.begin() as conn:
        for app_id in (1, 2, 3, 4):
            conn.execute(text("INSERT INTO disclosure_requests (id, status, channel, applicant_type, name, id_type, "
                              "id_number, phone, email, address, contact_person, title, description, doc_number, form, "
                              "delivery, publish_consent, submitted_at, extension_days, version) VALUES (:id, 'closed', "
                              "'in_person', 'person', '张三', 'resident_id', 'x', '1', '', '', '', 't', 'd', '', "
                              "'electronic', 'online', :f, '2026-11-02 01:00:00', 0, 1)"), {"id": app_id, "f": False})
        for clock_id, app_id, name, state, ok in ((1, "1", "answer", "stopped", True), (2, "1", "answer", "stopped", False),
                                                  (3, "2", "answer", "stopped", True), (4, "2", "receipt", "stopped", False),
                                                  (5, "3", "answer", "running", None)):
            conn.execute(text(clock), {"id": clock_id, "r": app_id, "n": name, "s": state, "ok": ok, "f": False})
    assert run(["db", "upgrade"], env).returncode == 0
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, answer_on_time FROM disclosure_requests ORDER BY id")).all()
    engine.dispose()
    assert [(i, None if v is None else bool(v)) for i, v in rows] == [(1, False), (2, True), (3, None), (4, None)]


def test_users_and_tokens_cli(tmp_path):
    env = env_for(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path)
    assert run(["db", "upgrade"], env).returncode == 0
    assert run(["seed"], env).returncode == 0
    out = run(["users", "create", "--email", "s@x.gov.cn", "--password", "Passw0rd1", "--role", "staff"], env)
    assert out.returncode == 1 and "必须属于一个部门" in out.stderr
    out = run(["users", "create", "--email", "s@x.gov.cn", "--password", "Passw0rd1", "--role", "staff",
               "--department", "nope"], env)
    assert out.returncode == 1 and "没有代码为" in out.stderr
    out = run(["users", "create", "--email", "s@x.gov.cn", "--password", "Passw0rd1", "--role", "staff",
               "--department", "mzj"], env)
    assert out.returncode == 0, out.stderr
    tok = run(["tokens", "create", "--email", "s@x.gov.cn"], env)
    assert tok.returncode == 0 and tok.stdout.strip().startswith("gk_")
    listing = run(["tokens", "list"], env).stdout
    assert "有效" in listing and tok.stdout.strip() not in listing
    token_id = listing.split()[0]
    assert run(["tokens", "revoke", token_id], env).returncode == 0
    assert "已吊销" in run(["tokens", "list"], env).stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_home_page(tmp_path):
    """What `make run` ends with (`flask serve`, in-process jobs): the home page and the vendored assets; and
    the demo accounts printed again last, where a newcomer looks — only those whose first password still
    works (issue 18 item 15)."""
    env = env_for(f"sqlite:///{tmp_path / 'serve.db'}", tmp_path)
    assert run(["db", "upgrade"], env).returncode == 0
    seeded = run(["seed", "--demo"], env).stdout
    first = dict(re.findall(r"(\S+@demo\.local)\s+(\S+)", seeded))
    memo = tmp_path / "instance" / "demo-accounts.txt"
    assert memo.stat().st_mode & 0o077 == 0  # readable by its owner only
    changed = run(["users", "set-password", "--login", "supervisor@demo.local", "--password", "Changed0ne9"], env)
    assert changed.returncode == 0, changed.stderr
    port = _free_port()
    proc = subprocess.Popen(FLASK + ["serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = []
        for line in proc.stdout:
            banner.append(line)
            if line.strip() == "" and any("演示账号" in b for b in banner):
                break
        shown = dict(re.findall(r"(\S+@demo\.local)\s+(\S+)", "".join(banner)))
        assert f"打开 http://127.0.0.1:{port}/" in "".join(banner)
        assert "supervisor@demo.local" not in shown  # its first password no longer works
        assert shown == {k: v for k, v in first.items() if k != "supervisor@demo.local"} and len(shown) == 7
        body = wait_for_http(f"http://127.0.0.1:{port}/", "`flask serve` to answer")
        assert "申请政府信息公开" in body and "12345 诉求" in body
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/bootstrap/bootstrap.min.css").read()
        assert b"Bootstrap" in css[:200]
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js").status == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_service_runs_without_the_development_requirements(tmp_path):
    """`make run` installs only requirements.txt: the app must start and serve its pages with every package
    that only requirements-dev.txt brings (test and lint tooling) unimportable."""
    from importlib.metadata import packages_distributions

    def names(path):
        lines = (ln.split("#")[0].strip() for ln in (ROOT / path).read_text().splitlines())
        return {re.split(r"[=<>\[ ]", ln)[0].lower().replace("_", "-") for ln in lines if ln and not ln.startswith("-r")}

    dev_only = names("requirements-dev.txt") - names("requirements.txt")
    modules = sorted(m for m, dists in packages_distributions().items()
                     if any(d.lower().replace("_", "-") in dev_only for d in dists) and not m.startswith("_"))
    assert "playwright" in modules and "hypothesis" in modules and "flask" not in modules
    script = f"""
import sys
BLOCKED = set({modules!r})
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("development-only package imported at run time: " + name)
sys.meta_path.insert(0, Block())
from app import create_app
from config import TestingConfig
class Cfg(TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite:///{tmp_path / 'runtime.db'}"
app = create_app(Cfg)
with app.app_context():
    from core.extensions import db
    db.create_all()
client = app.test_client()
for path in ("/", "/requests/new", "/hotline/new", "/log/", "/auth/login"):
    assert client.get(path).status_code == 200, path
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-3000:]
