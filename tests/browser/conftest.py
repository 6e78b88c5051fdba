"""Browser-test fixtures: a `flask serve` on a fresh SQLite database with seeded users, and Debian's
chromium driven by Playwright (never a downloaded browser).

Journeys wait on what a user would see (a page's heading or message, a menu that is open and still),
never on animations or fixed sleeps, and every wait is bounded by PATIENCE so that a slow or busy
machine gets the time it needs (issue 22). The steps the journeys share are in tests/browser/steps.py.
"""
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.steps import PASSWORD
from tests.conftest import service_unavailable
from tests.waiting import PATIENCE, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SECRET_KEY = "browser-tests-secret"  # known to the tests that sign an old CSRF token
CTI_TOKEN = "browser-cti-token-0123456789"  # the simulated PBX's (tests/browser/test_cti_screen_pop.py)
USERS = [("sup@e2e.cn", "supervisor"), ("mzj@e2e.cn", "staff", "mzj"), ("op@e2e.cn", "operator"),
         ("hbj@e2e.cn", "staff", "sthjj"), ("citizen@e2e.cn", "citizen"),
         ("admin@e2e.cn", "admin"), ("appr@e2e.cn", "approver", "mzj")]  # (email, role, department if any)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _flask(env, *args):
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.fixture(scope="session")
def server_env(tmp_path_factory):
    """The environment of the browser tests' server: a fresh SQLite database, migrated and seeded, with USERS."""
    if not Path(CHROMIUM).exists():
        service_unavailable("Debian chromium is not installed (apt-get install chromium); browser tests skipped")
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")}
    env.update(APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp / 'e2e.db'}", INSTANCE_PATH=str(tmp), SECRET_KEY=SECRET_KEY,
               RATE_LIMIT_LOGIN="200 per minute", CAPTCHA_AFTER="50",  # limits stay on; one address logs in often
               CTI_TOKENS=f"sim={CTI_TOKEN}")
    _flask(env, "db", "upgrade")
    _flask(env, "seed")
    for email, role, *department in USERS:
        _flask(env, "users", "create", "--email", email, "--password", PASSWORD, "--role", role,
               *(["--department", *department] if department else []))
    return env


@contextmanager
def serving(env):
    """`flask serve` in `env` on a free port: its base URL while the block runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", "the browser tests' flask serve to answer")
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def server(server_env):
    with serving(server_env) as base:
        yield base


class PatientBrowser:
    """The Playwright browser, with every page's actions, navigations and assertions bounded by PATIENCE
    instead of Playwright's 5 s / 30 s defaults."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(PATIENCE * 1000)
        context.set_default_navigation_timeout(PATIENCE * 1000)
        return context

    def new_page(self, **options):
        """A page in a context of its own, closed with it (as Browser.new_page does)."""
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser():
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=PATIENCE * 1000)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield PatientBrowser(b)
        b.close()
