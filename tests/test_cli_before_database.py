"""A command run before the database exists says what to run first, in one line, instead of a SQLAlchemy
traceback (issue 18 item 11): on a fresh instance path with SQLite, an empty PostgreSQL database and an
unreachable server."""
import socket

from tests.test_setup import env_for, pg_database, run  # noqa: F401  (pg_database: the fixture)


def _says_run_upgrade_first(out):
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert "Traceback" not in out.stderr and len(lines) == 1, out.stderr
    assert "请先运行 `flask --app app db upgrade`" in lines[0] and "run `flask --app app db upgrade` first" in lines[0]


def test_fresh_sqlite_instance(tmp_path):
    env = env_for(f"sqlite:///{tmp_path / 'instance' / 'app.db'}", tmp_path)
    _says_run_upgrade_first(run(["seed", "--demo"], env))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _says_run_upgrade_first(run(["serve", "--port", str(port)], env, timeout=120))  # not a server that 500s


def test_empty_postgres_database(tmp_path, pg_database):  # noqa: F811
    _says_run_upgrade_first(run(["seed", "--demo"], env_for(pg_database, tmp_path)))


def test_unreachable_postgres(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = env_for(f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing", tmp_path)
    out = run(["users", "create", "--email", "a@x.cn", "--password", "Passw0rd!Long", "--role", "admin"], env)
    _says_run_upgrade_first(out)
