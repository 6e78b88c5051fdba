"""Browser-test fixtures: a `flask serve` on a fresh SQLite database with seeded users, and Debian's
chromium driven by Playwright (never a downloaded browser)."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _flask(env, *args):
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        service_unavailable("Debian chromium is not installed (apt-get install chromium); browser tests skipped")
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")}
    env.update(APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp / 'e2e.db'}", INSTANCE_PATH=str(tmp),
               RATE_LIMIT_LOGIN="200 per minute", CAPTCHA_AFTER="50")  # limits stay on; one address logs in often
    _flask(env, "db", "upgrade")
    _flask(env, "seed")
    _flask(env, "users", "create", "--email", "sup@e2e.cn", "--password", "Passw0rd1", "--role", "supervisor")
    _flask(env, "users", "create", "--email", "mzj@e2e.cn", "--password", "Passw0rd1", "--role", "staff",
           "--department", "mzj")
    _flask(env, "users", "create", "--email", "op@e2e.cn", "--password", "Passw0rd1", "--role", "operator")
    _flask(env, "users", "create", "--email", "hbj@e2e.cn", "--password", "Passw0rd1", "--role", "staff",
           "--department", "hbj")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def login_as(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("#login", email)
    page.fill("#password", "Passw0rd1")
    page.keyboard.press("Enter")
    # wait for where the login leads rather than for "a" navigation (a slow CI machine may have
    # finished it before an expect_navigation() listener was in place)
    page.wait_for_url(lambda url: "/auth/login" not in url, timeout=60_000)


def department_signs_and_replies(page, base, email, number, text):
    """Staff of the ticket's department sign for it in their queue and reply from the ticket page."""
    login_as(page, base, email)
    page.goto(base + "/hotline/queue")
    page.get_by_label(f"签收 {number}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="批量签收所选").click()
    with page.expect_navigation():
        page.get_by_role("link", name=number).click()
    page.get_by_label("答复内容").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="提交答复").click()
