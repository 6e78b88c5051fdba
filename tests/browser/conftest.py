"""Browser-test fixtures: a `flask serve` on a fresh SQLite database with seeded users, and Debian's
chromium driven by Playwright (never a downloaded browser).

Journeys wait on what a user would see (a page's heading or message, a menu that is open and still),
never on animations or fixed sleeps, and every wait is bounded by PATIENCE so that a slow or busy
machine gets the time it needs (issue 22).
"""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import service_unavailable
from tests.waiting import PATIENCE, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
SECRET_KEY = "browser-tests-secret"  # known to the tests that sign an old CSRF token
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _flask(env, *args):
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        service_unavailable("Debian chromium is not installed (apt-get install chromium); browser tests skipped")
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")}
    env.update(APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp / 'e2e.db'}", INSTANCE_PATH=str(tmp), SECRET_KEY=SECRET_KEY,
               RATE_LIMIT_LOGIN="200 per minute", CAPTCHA_AFTER="50")  # limits stay on; one address logs in often
    _flask(env, "db", "upgrade")
    _flask(env, "seed")
    _flask(env, "users", "create", "--email", "sup@e2e.cn", "--password", "Passw0rd1", "--role", "supervisor")
    _flask(env, "users", "create", "--email", "mzj@e2e.cn", "--password", "Passw0rd1", "--role", "staff",
           "--department", "mzj")
    _flask(env, "users", "create", "--email", "op@e2e.cn", "--password", "Passw0rd1", "--role", "operator")
    _flask(env, "users", "create", "--email", "hbj@e2e.cn", "--password", "Passw0rd1", "--role", "staff",
           "--department", "sthjj")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/", "the browser tests' flask serve to answer")
    yield base
    proc.terminate()
    proc.wait(10)


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


def login_as(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("#login", email)
    page.fill("#password", "Passw0rd1")
    page.keyboard.press("Enter")
    # wait for where the login leads rather than for "a" navigation (a slow CI machine may have
    # finished it before an expect_navigation() listener was in place)
    page.wait_for_url(lambda url: "/auth/login" not in url)
    expect_signed_in(page)


def open_navigation(page):
    """Show the main navigation as a user would: on narrow screens (below 1400 px) it sits behind the
    menu button; click it once and wait until the menu is open and no longer animating."""
    toggler = page.get_by_role("button", name="展开导航")
    if not toggler.is_visible():
        return  # wide screen: the navigation is always shown
    if toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    page.locator("#nav.collapse.show").wait_for(state="visible")  # Bootstrap drops .collapsing when it ends


def expect_signed_in(page):
    """The page shows a signed-in user: the navigation (open or behind the menu button) holds 退出."""
    from playwright.sync_api import expect
    expect(page.locator("#nav form[action$='/auth/logout'] button")).to_have_text("退出")


def logout(page):
    """Log out through the navigation, collapsed or expanded, and wait for the signed-out home page."""
    from playwright.sync_api import expect
    open_navigation(page)
    button = page.get_by_role("button", name="退出")
    button.focus()  # the keyboard, not a mouse at coordinates a moving menu may have shifted
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="您已安全退出")).to_be_visible()
    expect(page.locator("#nav a[href$='/auth/login']")).to_have_text("登录")


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
