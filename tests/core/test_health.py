"""GET /healthz against the real parts: the database, a real Redis, a real RQ worker's heartbeat."""
import subprocess
import sys
from pathlib import Path

from app import create_app
from config import TestingConfig
from tests.jobs.test_rq_worker import rq_app  # noqa: F401  (fixture)
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_setup_is_healthy_without_redis(client, seeded):
    resp = client.get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"} and body["checks"]["redis"]["status"] == "not_used"
    assert resp.headers["Cache-Control"] == "no-store"


def test_database_down_answers_503():
    class Broken(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"connect_timeout": 2}}
    resp = create_app(Broken).test_client().get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 503 and body["status"] == "down" and body["checks"]["database"] == {"status": "down"}
    assert "nowhere" not in resp.get_data(as_text=True)  # no connection details in the answer


def test_redis_down_is_degraded_not_out_of_rotation(app, client, seeded, monkeypatch):
    """Every web process shares the one Redis and keeps serving without it (docs/operations.md): a 503 would
    take the whole site out of the load balancer for an outage it survives."""
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    resp = client.get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["redis"] == {"status": "down"} and body["checks"]["database"] == {"status": "ok"}


def test_worker_heartbeat(app, client, seeded, rq_app, redis_url, monkeypatch):  # noqa: F811
    env, _sink = rq_app
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["checks"]["worker"]["status"] == "down"  # no worker yet
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--no-cron"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def healthy():
            answer = client.get("/healthz").get_json()
            return answer if answer["checks"]["worker"]["status"] == "ok" else None
        body = wait_until(healthy, "the worker's first heartbeat in /healthz")
        assert body["status"] == "ok" and body["checks"]["worker"]["alive"] == 1
    finally:
        worker.terminate()
        worker.wait(20)
