"""热点预警 pages and API (issue 20 item 4): supervisors and admins only, every role tried on the page and through the
API; the one-click 合并办理 and 联合派单 with CSRF, through the tickets' own use cases; chart and map data; the
tile server in the Content-Security-Policy; bad input never answers 500."""
import json
import re
from datetime import timedelta

import pytest

from core.departments.models import Department
from core.extensions import db
from core.notifications.models import Notification
from hotline import intake
from hotline.hotspot_models import Hotspot
from hotline.hotspots import detect
from hotline.models import Ticket
from hotline.seed import seed_categories
from tests.access_matrix import Visitor, check, make_people
from tests.conftest import at, csrf_from, login, make_user, pinned

NOW = at(2026, 11, 20, 10, 0)
USERS = {"operator": ("operator", None), "staff": ("staff", "sthjj"), "approver": ("approver", "sthjj"),
         "supervisor": ("supervisor", None), "admin": ("admin", None), "citizen": ("citizen", None)}
ALLOWED = {"supervisor", "admin"}
NAMES = "甲乙丙丁戊己庚辛"  # estates 测试甲花园 …: a digit would start a house number


def plant(n=0, count=5, content="小区楼下烧烤店每晚噪音扰民到凌晨", **extra):
    """A hot spot of `count` new noise tickets at estate 测试{NAMES[n]}花园, detected at NOW."""
    tickets = []
    for i in range(count):
        received = NOW - timedelta(hours=2 + i)
        tickets.append(intake.create_ticket(
            {"type": "complaint", "category_code": "030101", "caller_phone": f"139{n:04d}{i:04d}", "content": content,
             "address": f"亭湖区测试{NAMES[n]}花园{i + 1}栋", **extra}, channel="phone", received_at=received, now=received,
            actor="op"))
    detect(NOW)
    return Hotspot.query.filter_by(place_key=f"estate:测试{NAMES[n]}花园").one(), tickets


@pytest.fixture
def people(seeded):
    seed_categories()
    return make_people(USERS)


@pytest.fixture
def sup(client, people):
    """The test client as a supervisor, its requests served at NOW."""
    assert login(client, people["supervisor"].login_id).status_code == 302
    with pinned(client.application, NOW):
        yield client


def token(client, hotspot):
    return csrf_from(client.get(f"/hotline/hotspots/{hotspot.id}").get_data(as_text=True))


@pytest.mark.parametrize("label", list(USERS))
def test_every_page_and_api_read_as_every_role(app, people, label):
    hotspot, _ = plant()
    visitor = Visitor(app, people[label])
    pages = [visitor.page.get(u).status_code for u in ("/hotline/hotspots", f"/hotline/hotspots/{hotspot.id}")]
    api = [visitor.api.get(u, headers=visitor.headers).status_code
           for u in ("/api/v1/tickets/hotspots", f"/api/v1/tickets/hotspots/{hotspot.id}")]
    if label in ALLOWED:
        assert pages == [200, 200] and api == [200, 200]
    else:
        assert pages == [403, 403] and api == ([401, 401] if label == "citizen" else [403, 403])
    anonymous = app.test_client()
    assert anonymous.get("/hotline/hotspots").status_code == 302
    assert anonymous.get("/api/v1/tickets/hotspots").status_code == 401


@pytest.mark.parametrize("label", list(USERS))
def test_every_action_as_every_role_pages_and_api_agree(app, people, label):
    visitor = Visitor(app, people[label])
    tries = []
    for n, action in enumerate(("merge", "dispatch")):
        page_spot, page_tickets = plant(2 * n)
        api_spot, api_tickets = plant(2 * n + 1)
        tries.append((action, visitor.post_page(f"/hotline/hotspots/{page_spot.id}/{action}"),
                      visitor.post_api(f"/api/v1/tickets/hotspots/{api_spot.id}/{action}", {})))
        if label not in ALLOWED:  # refused: nothing changed
            db.session.expire_all()
            assert {t.status for t in page_tickets + api_tickets} == {"new"}
            assert page_spot.handled_at is None and api_spot.handled_at is None
    check(label, {"merge", "dispatch"} if label in ALLOWED else set(), tries)


def test_the_list_shows_the_hot_spots_with_chart_and_map_data(sup):
    hotspot, tickets = plant(lat=33.38, lng=120.16)
    page = sup.get("/hotline/hotspots").get_data(as_text=True)
    assert "测试甲花园 · 噪声扰民" in page and f"/hotline/hotspots/{hotspot.id}" in page and "待处置" in page
    assert "近 7 天同一地点、同一主题不少于 5 件，来自不少于 3 位来电人" in page
    data = json.loads(re.search(r'<script type="application/json" id="hotspot-data">(.*?)</script>', page, re.S).group(1))
    [series] = data["chart"]["series"]
    assert len(data["chart"]["days"]) == 30 and data["chart"]["days"][-1] >= "2026-11-20"
    assert sum(series["counts"]) == 5 and series["label"].startswith("测试甲花园")
    [point] = data["points"]
    assert point["count"] == 5 and point["lat"] == pytest.approx(33.38) and point["href"] == f"/hotline/hotspots/{hotspot.id}"
    assert "js/hotspots.js" in page and "chartjs" in page and "leaflet.js" not in page  # no tile server: a plot
    assert sup.get("/hotline/hotspots?state=handled").get_data(as_text=True).count("测试甲花园") == 0
    assert "测试甲花园" in sup.get("/hotline/hotspots?state=all").get_data(as_text=True)


def test_the_hot_spot_page_lists_its_tickets_escaped(sup):
    hotspot, tickets = plant(content="<script>alert(1)</script>楼下烧烤店噪音扰民")
    page = sup.get(f"/hotline/hotspots/{hotspot.id}").get_data(as_text=True)
    assert all(t.number in page for t in tickets)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'name="master"' in page and 'name="department"' in page and 'value="sthjj" selected' in page  # 噪声扰民 → 环保


def test_one_click_merge_from_the_page(sup, people):
    hotspot, tickets = plant()
    master = tickets[2]
    resp = sup.post(f"/hotline/hotspots/{hotspot.id}/merge", data={"csrf_token": token(sup, hotspot),
                                                                  "master": str(master.id)})
    assert resp.status_code == 302
    db.session.expire_all()
    others = [t for t in tickets if t.id != master.id]
    assert all(t.status == "closed" and t.merged_into_id == master.id for t in others) and master.status == "new"
    assert Notification.query.filter_by(event="ticket_merged").count() == 4  # each caller told by SMS
    hotspot = db.session.get(Hotspot, hotspot.id)
    assert (hotspot.handled_how, hotspot.handled_by_id) == ("merge", people["supervisor"].id)
    page = sup.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已将 4 件工单并入" in page and "已处置" in page
    assert detect(NOW + timedelta(hours=1)).raised == []  # merged tickets still belong to it: no new alert
    again = sup.post(f"/hotline/hotspots/{hotspot.id}/merge", data={"csrf_token": token(sup, hotspot)})
    assert again.status_code == 400 and "没有可并入主工单的工单" in again.get_data(as_text=True)


def test_one_click_joint_dispatch_from_the_page(sup):
    hotspot, tickets = plant()
    intake.dispatch(tickets[0], Department.query.filter_by(code="mzj").one(), now=NOW, actor="op")  # already out
    resp = sup.post(f"/hotline/hotspots/{hotspot.id}/dispatch",
                    data={"csrf_token": token(sup, hotspot), "department": "sthjj", "co": ["zjj", "slj"]})
    assert resp.status_code == 302
    db.session.expire_all()
    rest = [db.session.get(Ticket, t.id) for t in tickets[1:]]
    assert {t.status for t in rest} == {"dispatched"} and {t.department.code for t in rest} == {"sthjj"}
    assert all({c.department.code for c in t.co_handlers} == {"zjj", "slj"} for t in rest)
    assert db.session.get(Ticket, tickets[0].id).department.code == "mzj"  # left as it was
    assert "已将 4 件工单联合派给" in sup.get(resp.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Hotspot, hotspot.id).handled_how == "dispatch"
    none_left = sup.post(f"/hotline/hotspots/{hotspot.id}/dispatch",
                         data={"csrf_token": token(sup, hotspot), "department": "sthjj"})
    assert none_left.status_code == 400 and "没有待派单的工单" in none_left.get_data(as_text=True)


def test_the_actions_need_the_csrf_token(sup):
    hotspot, tickets = plant()
    for action, data in (("merge", {}), ("dispatch", {"department": "sthjj"})):
        for extra in ({}, {"csrf_token": "forged"}):
            resp = sup.post(f"/hotline/hotspots/{hotspot.id}/{action}", data={**data, **extra})
            assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert {t.status for t in tickets} == {"new"} and db.session.get(Hotspot, hotspot.id).handled_at is None


@pytest.mark.parametrize("field, value", [
    ("master", "abc"), ("master", "99999999999999999999999"), ("master", "-1"), ("master", "1.5"),
    ("master", "\x00"), ("department", "nope"), ("department", ""), ("department", "\x00sthjj\x00" * 300),
])
def test_bad_form_input_is_a_clear_400_and_keeps_the_form(sup, field, value):
    hotspot, tickets = plant()
    action = "merge" if field == "master" else "dispatch"
    resp = sup.post(f"/hotline/hotspots/{hotspot.id}/{action}", data={"csrf_token": token(sup, hotspot), field: value})
    page = resp.get_data(as_text=True)
    if field == "department" and value.startswith("\x00sthjj"):
        assert resp.status_code == 400 and "请选择主办部门" in page  # the NUL removed, the long code is no code
    elif value == "\x00":
        assert resp.status_code == 302  # the NUL removed: no master named, the earliest one is taken
        return
    else:
        assert resp.status_code == 400
        assert ("请选择本热点中未办结的工单作主工单" if field == "master" else "请选择主办部门") in page
    assert 'id="kept-form"' in page  # what was chosen is put back
    db.session.expire_all()
    assert {t.status for t in tickets} == {"new"}


def test_a_ticket_of_another_hot_spot_is_no_master(sup):
    first, _ = plant(0)
    _, others = plant(1)
    resp = sup.post(f"/hotline/hotspots/{first.id}/merge", data={"csrf_token": token(sup, first),
                                                                "master": str(others[0].id)})
    assert resp.status_code == 400 and "请选择本热点中未办结的工单作主工单" in resp.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [
    ("/hotline/hotspots?state=nope", 400), ("/hotline/hotspots?state=%00", 400), ("/hotline/hotspots?state=", 200),
    ("/hotline/hotspots/99999999999999999999", 404), ("/hotline/hotspots/0", 404), ("/hotline/hotspots/abc", 404),
    ("/hotline/hotspots/2147483647", 404), ("/api/v1/tickets/hotspots?state=x", 400),
    ("/api/v1/tickets/hotspots/99999999999999", 404),
])
def test_bad_urls_never_answer_500(app, people, url, status):
    client = app.test_client()
    login(client, people["supervisor"].login_id)
    assert client.get(url).status_code == status


def test_the_api_lists_shows_merges_and_dispatches(app, api_as, people):
    spot, tickets = plant(0)
    other, other_tickets = plant(1)
    api = api_as("supervisor", login="api-sup@x.cn")
    listed = api.get("/tickets/hotspots").get_json()["items"]
    assert {h["id"] for h in listed} == {spot.id, other.id} and all(h["state"] == "open" for h in listed)
    one = api.get(f"/tickets/hotspots/{spot.id}").get_json()
    assert one["tickets"] == 5 and [m["number"] for m in one["members"]] == [t.number for t in tickets[::-1]]
    for body in ({"master": "x"}, {"master": 2**40}, {"master": True}, {"master": 1.5}, {"extra": 1}):
        assert api.post(f"/tickets/hotspots/{spot.id}/merge", body).status_code == 400, body
    merged = api.post(f"/tickets/hotspots/{spot.id}/merge", {"master": tickets[0].id})
    assert merged.status_code == 200 and merged.get_json()["state"] == "handled"
    assert {m["merged_into"] for m in merged.get_json()["members"]} == {None, tickets[0].id}
    for body in ({}, {"department": "nope"}, {"department": 5}, {"department": "sthjj", "co_departments": "zjj"},
                 {"department": "sthjj", "co_departments": ["nope"]}):
        assert api.post(f"/tickets/hotspots/{other.id}/dispatch", body).status_code == 400, body
    done = api.post(f"/tickets/hotspots/{other.id}/dispatch", {"department": "sthjj", "co_departments": ["zjj"]})
    assert done.status_code == 200 and done.get_json()["refused"] == []
    assert {m["department"] for m in done.get_json()["members"]} == {"sthjj"}
    assert api.post(f"/tickets/hotspots/{other.id}/dispatch", {"department": "sthjj"}).status_code == 400
    assert api.get("/tickets/hotspots?state=handled").get_json()["items"][0]["id"] in {spot.id, other.id}


def test_the_map_uses_a_configured_tile_server_and_the_policy_allows_only_its_images(app, sup):
    hotspot, _ = plant(lat=33.38, lng=120.16)
    default = sup.get("/hotline/hotspots").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in default
    app.config.update(HOTSPOT_TILE_URL="https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png",
                      HOTSPOT_TILE_ATTRIBUTION="© 亭湖区测绘")
    try:
        for url in ("/hotline/hotspots", f"/hotline/hotspots/{hotspot.id}"):
            resp = sup.get(url)
            policy, page = resp.headers["Content-Security-Policy"], resp.get_data(as_text=True)
            assert "img-src 'self' data: https://*.tiles.example.gov.cn;" in policy and "script-src 'self';" in policy
            assert "vendor/leaflet/leaflet.js" in page and "vendor/leaflet/leaflet.css" in page
            assert 'data-tile-url="https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png"' in page
        for bad in ("javascript:alert(1)//{z}{x}{y}", "https://x.example/{z}/{x}/{y}.png; script-src *",
                    "https://x.example/tiles.png", "ftp://x.example/{z}/{x}/{y}"):
            app.config["HOTSPOT_TILE_URL"] = bad
            resp = sup.get("/hotline/hotspots")
            assert resp.headers["Content-Security-Policy"] == default and "leaflet.js" not in resp.get_data(as_text=True)
        app.config["HOTSPOT_TILE_URL"] = "/tiles/{z}/{x}/{y}.png"  # a proxy on this server: 'self' is enough
        resp = sup.get("/hotline/hotspots")
        assert resp.headers["Content-Security-Policy"] == default and "leaflet.js" in resp.get_data(as_text=True)
    finally:
        app.config.update(HOTSPOT_TILE_URL="", HOTSPOT_TILE_ATTRIBUTION="")


def test_supervisors_and_admins_find_it_in_the_header(app, people):
    for label, sees in (("supervisor", True), ("admin", True), ("operator", False), ("staff", False)):
        client = app.test_client()
        login(client, people[label].login_id)
        assert ('href="/hotline/hotspots"' in client.get("/").get_data(as_text=True)) is sees, label


def test_the_alert_in_the_inbox_links_the_hot_spot_and_its_tickets(sup, people):
    hotspot, tickets = plant()
    page = sup.get("/notifications/").get_data(as_text=True)
    assert "【热点预警】测试甲花园 · 噪声扰民" in page and f'href="/hotline/hotspots/{hotspot.id}"' in page
    assert all(f'href="/hotline/tickets/{t.id}"' in page for t in tickets)


def test_a_new_supervisor_gets_the_alert_when_the_hot_spot_grows(app, people):
    hotspot, _ = plant()
    late = make_user("supervisor", "late@x.cn")
    intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13700000001",
                          "content": "烧烤店噪音扰民", "address": "亭湖区测试甲花园9栋"}, channel="phone",
                         received_at=NOW, now=NOW, actor="op")
    assert detect(NOW + timedelta(minutes=30)).grown == [hotspot.id]
    assert Notification.query.filter_by(event="hotspot_alert", user_id=late.id).count() == 1
    assert Notification.query.filter_by(event="hotspot_alert", user_id=people["supervisor"].id).count() == 1
