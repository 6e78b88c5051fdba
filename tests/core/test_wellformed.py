"""Whatever was typed, answers stay well-formed (issue 13): a NUL byte in a path, query or JSON body is a
400 on every route, on SQLite and PostgreSQL alike; one typed into a page's form is removed so nothing
typed is lost (issue 15); control characters never reach an HTML, XML or JSON answer (Atom and Open311
XML parse, JSON carries no control escapes)."""
from xml.etree import ElementTree

import pytest

from core.wellformed import NUL_MESSAGE
from tests.conftest import at, csrf_from, login, make_user
from tests.test_route_access import _url

NUL = "a\x00b"


def _routes(app):
    return sorted((r.rule, m) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}
                  if not r.rule.startswith("/static/"))


@pytest.mark.parametrize("who", ["anonymous", "supervisor"])
def test_a_nul_byte_anywhere_is_a_400_on_every_route(app, client, seeded, now, who):
    headers = {}
    if who != "anonymous":
        user = make_user(who)
        assert login(client, user.login_id).status_code == 302
        from core.auth.service import create_token
        headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    checked = 0
    for rule, method in _routes(app):
        url = _url(rule)
        if rule == "/auth/logout":
            continue
        answers = [client.open(url, method=method, query_string={"q": NUL}, headers=headers)]
        if method == "POST":
            answers.append(client.post(url, json={"text": NUL, "n\x00": 1}, headers=headers))
            form = client.post(url, data={"csrf_token": token, "text": NUL, "name": NUL}, headers=headers)
            if rule.startswith("/api/"):
                answers.append(form)
            else:  # a page form: the NUL is removed and the view answers as it would without it
                assert form.status_code < 500 and NUL_MESSAGE not in form.get_data(as_text=True), f"POST {url}"
        for resp in answers:
            where = f"{method} {url} as {who}"
            assert resp.status_code == 400, where
            body = resp.get_data(as_text=True)
            assert NUL_MESSAGE in body, where
        checked += 1
    assert checked > 100
    # a NUL inside a path segment that routing accepts
    assert client.get("/log/GK-2026-%00").status_code == 400


def test_nul_typed_into_a_page_form_is_removed_and_nothing_typed_is_lost(app, client, seeded):
    """A NUL pasted into the application form (text and an upload's file name) is removed: the application
    is filed with the text as typed minus the invisible character, the file kept, and the person told."""
    import io

    from core.wellformed import CLEANED_MESSAGE
    from requests_module.models import DisclosureRequest
    from tests.requests.helpers import APPLICATION
    page = client.get("/requests/new").get_data(as_text=True)
    data = {**APPLICATION, "description": "申请公开\x002025年城乡低保对象名单", "csrf_token": csrf_from(page),
            "attachments": [(io.BytesIO(b"%PDF-1.4\x00"), "证\x00明.pdf")]}
    resp = client.post("/requests/new", data=data, content_type="multipart/form-data", follow_redirects=True)
    assert resp.status_code == 200 and NUL_MESSAGE not in resp.get_data(as_text=True)
    assert CLEANED_MESSAGE in resp.get_data(as_text=True)
    req = DisclosureRequest.query.one()
    assert req.description == "申请公开2025年城乡低保对象名单"
    assert [a.filename for a in req.attachments] == ["证明.pdf"]


def test_nul_in_an_api_body_is_refused(app, client, seeded, now):
    from core.auth.service import create_token
    user = make_user("supervisor")
    headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
    resp = client.post("/api/v1/disclosure-requests", json={"description": "a\x00b"}, headers=headers)
    assert resp.status_code == 400 and NUL_MESSAGE in resp.get_data(as_text=True)


def test_control_characters_never_reach_an_answer(app, client, seeded):
    from core.departments.models import Department
    from hotline import handling, intake, reply
    from hotline.seed import seed_categories
    from public_log import review
    from public_log.models import PublicRecord

    seed_categories()
    staff, sup = make_user("staff", "s@x.cn", department="mzj"), make_user("supervisor", "sup@x.cn")
    noisy = "低保\x01发放\x0b延迟\x1f问题\x7f（含控制字符）"
    t = intake.create_ticket({"type": "complaint", "category_code": "020201", "caller_phone": "13900001111",
                              "content": noisy, "address": "亭湖区解放路\x02"}, channel="phone",
                             received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="op")
    intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 9, 5), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 10), actor=staff)
    reply.reply(t, text="答复\x03正文\x08", now=at(2026, 11, 16, 10), actor=staff)
    record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
    review.approve_publication(record, now=at(2026, 11, 19, 9), actor=sup, confirmed=True)
    span = "start_date=2026-11-01T00:00:00%2B08:00&end_date=2026-11-30T00:00:00%2B08:00"
    xml = ["/log/feed.atom", "/log/departments/mzj/feed.atom", f"/open311/v2/requests.xml?{span}",
           f"/open311/v2/requests/{t.number}.xml"]
    for url in xml:
        resp = client.get(url)
        assert resp.status_code == 200, url
        ElementTree.fromstring(resp.data)  # well-formed: raises on a control character
        assert "答复正文" in resp.get_data(as_text=True), url
    for url in [f"/open311/v2/requests.json?{span}", f"/api/v1/log/{record.public_id}", "/api/v1/log",
                f"/log/{record.public_id}", "/log/"]:
        body = client.get(url).get_data(as_text=True)
        assert "\\u0001" not in body and "\\u000b" not in body and "\x01" not in body and "\x7f" not in body, url
    one = client.get(f"/open311/v2/requests/{t.number}.json").get_json()[0]
    assert one["description"] == "低保发放延迟问题（含控制字符）" and one["status_notes"] == "答复正文"

