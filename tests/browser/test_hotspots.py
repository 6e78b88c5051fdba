"""热点预警 in a real browser (issue 20 item 4), under the server's Content-Security-Policy: without a tile server
the page plots the hot spots by longitude and latitude; with one (a second server on the same database, a tile
server of our own on another origin) Leaflet draws the map with its tiles and a marker leads to the hot spot.
The chart of the clusters over time draws in both, with no CSP violation, and 合并办理 works from the page."""
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser import steps
from tests.browser.conftest import serving

TILE = (Path(__file__).resolve().parents[2] / "static/vendor/leaflet/images/layers.png").read_bytes()  # any PNG


@pytest.fixture(scope="module")
def planted(server_env):
    """A hot spot of five noise tickets with coordinates, detected now, in the browser tests' database."""
    from app import create_app
    from config import TestingConfig
    from hotline import intake
    from hotline.hotspot_models import Hotspot
    from hotline.hotspots import detect

    app = create_app(type("Cfg", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": server_env["DATABASE_URL"]}))
    now = datetime.now(timezone.utc)
    with app.app_context():
        for i in range(5):
            received = now - timedelta(hours=1 + i)
            intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": f"1360000{i:04d}",
                                  "content": "楼下烧烤店每晚噪音扰民到凌晨", "address": f"亭湖区浏览器花园{i + 1}栋",
                                  "lat": 33.3801 + i * 0.0002, "lng": 120.1601 + i * 0.0002},
                                 channel="phone", received_at=received, now=received, actor="e2e")
        detect(now)
        return Hotspot.query.filter_by(place_key="estate:浏览器花园").one().id


def _watch(page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


CHARTS = "() => Object.values(Chart.instances).map(c => [c.canvas.id, c.config.type, c.data.datasets[0].data.length])"


def test_the_hot_spots_plot_without_a_tile_server_and_merge_in_one_click(server, browser, request, planted):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = _watch(page)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, server, "sup@e2e.cn")
        page.goto(server + "/hotline/hotspots")
        page.wait_for_function("() => typeof Chart !== 'undefined' && Object.keys(Chart.instances).length === 2")
        charts = sorted(page.evaluate(CHARTS))
        assert charts[0][:2] == ["hotspot-chart", "line"] and charts[0][2] >= 30
        assert charts[1] == ["hotspot-plot", "bubble", 1]  # one hot spot at its tickets' mean position
        assert page.locator(".leaflet-container").count() == 0
        page.get_by_role("link", name="浏览器花园 · 噪声扰民", exact=False).first.click()
        page.get_by_role("heading", level=1).filter(has_text="浏览器花园").wait_for()
        page.wait_for_function("() => Object.keys(Chart.instances).length === 2")
        assert sorted(page.evaluate(CHARTS))[1] == ["hotspot-plot", "bubble", 5]  # its five tickets
        page.get_by_role("button", name="合并办理").click()
        page.get_by_text("件工单并入").wait_for()
        assert "已处置" in page.locator("h1").inner_text()
        assert problems == []


class _Tiles(BaseHTTPRequestHandler):
    asked: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Tiles.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def tiled(server_env, planted):
    """A tile server of our own on another origin, and a second `flask serve` on the same database using it."""
    tiles = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    env = {**server_env, "HOTSPOT_TILE_URL": f"http://127.0.0.1:{tiles.server_address[1]}/{{z}}/{{x}}/{{y}}.png",
           "HOTSPOT_TILE_ATTRIBUTION": "测试底图"}
    try:
        with serving(env) as base:
            yield base, tiles.server_address[1]
    finally:
        tiles.shutdown()


def test_with_a_tile_server_leaflet_draws_the_map_and_its_tiles(tiled, browser, request, planted):
    base, tile_port = tiled
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = _watch(page)
    with steps.screenshots_on_failure(request, page=page):
        steps.login_as(page, base, "sup@e2e.cn")
        resp = page.goto(base + "/hotline/hotspots?state=all")
        assert f"img-src 'self' data: http://127.0.0.1:{tile_port};" in resp.headers["content-security-policy"]
        page.locator("#hotspot-map.leaflet-container path.leaflet-interactive").first.wait_for()
        page.locator("img.leaflet-tile-loaded").first.wait_for()
        assert _Tiles.asked and all(p.endswith(".png") for p in _Tiles.asked)
        assert "测试底图" in page.locator(".leaflet-control-attribution").inner_text()
        page.locator("path.leaflet-interactive").first.click(force=True)
        page.locator(".leaflet-popup-content a").click()
        page.get_by_role("heading", level=1).filter(has_text="浏览器花园").wait_for()
        assert page.url.endswith(f"/hotline/hotspots/{planted}")
        assert problems == []
