"""Security headers on every kind of response, and templates that keep to the policy (no inline script,
no inline style, no event-handler attributes)."""
import re
from pathlib import Path

import pytest

from app import create_app
from config import TestingConfig

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize("path", ["/", "/log/", "/api/v1/departments", "/static/css/app.css", "/no-such-page"])
def test_headers_on_pages_api_static_and_errors(client, seeded, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers  # plain HTTP in tests and development


def test_hsts_where_cookies_are_secure():
    class Secure(TestingConfig):
        SESSION_COOKIE_SECURE = True
    resp = create_app(Secure).test_client().get("/static/css/app.css")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_templates_keep_to_the_policy():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{path.name}: inline script {tag}")
        if re.search(r"\sstyle=\"", text):
            problems.append(f"{path.name}: inline style attribute")
        if re.search(r"<style\b", text):
            problems.append(f"{path.name}: <style> element")
        if re.search(r"\son[a-z]+=\"", text):
            problems.append(f"{path.name}: event-handler attribute")
    assert problems == []


def test_forwarded_headers_are_trusted_only_behind_a_configured_proxy():
    class Proxied(TestingConfig):
        PROXY_COUNT = 1
    from core.extensions import db
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "gk.example.gov.cn"}

    def feed(config):
        app = create_app(config)
        with app.app_context():
            db.create_all()  # an empty in-memory database: the feed has no entries, only its links
            return app.test_client().get("/log/feed.atom", headers=headers)
    behind, direct = feed(Proxied), feed(TestingConfig)
    assert b"https://gk.example.gov.cn/log/" in behind.data
    assert b"gk.example.gov.cn" not in direct.data  # nobody can claim another host without a proxy


def test_session_cookie_is_httponly_samesite_and_secure_in_production(client, seeded):
    cookie = client.get("/auth/login").headers["Set-Cookie"]  # the CSRF token lives in the session
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain-HTTP development

    class Production(TestingConfig):  # what ProductionConfig sets, without its start-up checks
        SESSION_COOKIE_SECURE = True
        REMEMBER_COOKIE_SECURE = True
    from config import ProductionConfig
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    from core.extensions import db
    app = create_app(Production)
    with app.app_context():
        db.create_all()
        secure = app.test_client().get("/auth/login").headers["Set-Cookie"]
    assert "Secure" in secure and "HttpOnly" in secure and "SameSite=Lax" in secure
