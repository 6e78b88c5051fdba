"""The citizen status look-up of both workflows, through the pages: a tracking number plus the access
code given on submission (on the receipt page, by SMS/email) opens the item; the phone number, the
identity number or credit code, a part of the code or another item's code never do. A lost code is
sent anew to the contact given at submission, never shown. The look-ups are throttled per address."""
import re
from datetime import date

import pytest

from core.auth import lookup
from core.extensions import db
from core.notifications.models import Notification
from tests.conftest import at, csrf_from
from tests.test_limits import limited_app

PHONE, ID_NUMBER = "13800001111", "11010519491231002X"
CODE = re.compile(r"查询码[：:]\s*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


def code_from(text):
    match = CODE.search(text)
    assert match, "no access code in the text"
    return match.group(1)


def _application():
    from tests.requests.helpers import received
    req = received(date(2026, 11, 2), phone=PHONE, id_number=ID_NUMBER)
    return req, req.access_code


def _ticket():
    from hotline import intake
    from hotline.seed import seed_categories
    seed_categories()
    t = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": PHONE,
                              "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="web",
                             received_at=at(2026, 11, 2, 9), now=at(2026, 11, 2, 9), actor="公众")
    return t, t.access_code


# workflow -> (make the item and its code, look-up page, item page, form page for a token)
KINDS = {
    "application": (_application, "/requests/lookup", "/requests/{id}", "/requests/"),
    "ticket": (_ticket, "/hotline/lookup", "/hotline/my/{id}", "/hotline/new"),
}


def look_up(visitor, kind, item, code, number=None):
    """`visitor` looks the item up with `code`; True when the item page then opens."""
    _, url, show, form = KINDS[kind]
    token = csrf_from(visitor.get(form).get_data(as_text=True))
    resp = visitor.post(url, data={"number": number or item.number, "code": code, "csrf_token": token})
    assert resp.status_code == 302, (kind, code)  # never a 500, whatever was typed
    return visitor.get(show.format(id=item.id)).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_access_code_opens_the_item(app, seeded, kind):
    item, code = KINDS[kind][0]()
    other_item, other_code = KINDS[kind][0]()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    refused = ["", "   ", PHONE, " 138 0000-1111 ", ID_NUMBER, code[:-1], code[1:], code + "2", "%", "*",
               other_code]
    for wrong in refused:
        assert not look_up(app.test_client(), kind, item, wrong), f"{kind} opened with {wrong!r}"
    assert look_up(app.test_client(), kind, item, code)
    assert look_up(app.test_client(), kind, item, " " + code.replace("-", " ").lower())  # spaces, case
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code.replace("-", ""))  # typed with a Chinese IME
    assert look_up(app.test_client(), kind, item, fullwidth)
    assert not look_up(app.test_client(), kind, item, code, number=other_item.number)


@pytest.mark.parametrize("kind", KINDS)
def test_the_code_is_stored_hashed_and_sent_to_the_applicant(app, seeded, kind):
    item, code = KINDS[kind][0]()
    from core.auth.models import LookupCode
    row = LookupCode.query.one()
    assert code not in row.code_hash and code.replace("-", "") not in row.code_hash
    sms = Notification.query.filter_by(event="access_code", channel="sms").one()
    assert sms.address == PHONE and code in sms.body and item.number in sms.body


@pytest.mark.parametrize("kind", KINDS)
def test_a_lost_code_is_sent_again_to_the_contact_only(app, seeded, kind):
    item, old = KINDS[kind][0]()
    url = {"application": "/requests/lookup/code", "ticket": "/hotline/lookup/code"}[kind]
    visitor = app.test_client()
    token = csrf_from(visitor.get(KINDS[kind][3]).get_data(as_text=True))
    answers = []
    for contact in ("13900000000", PHONE):
        resp = visitor.post(url, data={"number": item.number, "contact": contact, "csrf_token": token})
        answers.append(visitor.get(resp.headers["Location"]).get_data(as_text=True))
    assert "新的查询码已发送" in answers[0] and "新的查询码已发送" in answers[1]  # the same answer either way
    sent = Notification.query.filter_by(event="access_code").order_by(Notification.id).all()
    assert len(sent) == 2 and sent[-1].address == PHONE  # one at submission, one now; none to the stranger
    new = code_from(sent[-1].body)
    assert new not in answers[1]  # never shown on the page
    assert look_up(app.test_client(), kind, item, new)
    assert not look_up(app.test_client(), kind, item, old)


def test_an_item_without_a_code_never_opens_with_an_empty_one(app, seeded):
    item, _ = _ticket()
    from core.auth.models import LookupCode
    LookupCode.query.delete()  # an item from before access codes
    db.session.commit()
    for code in ("", " ", "-", "0" * 12):
        assert not look_up(app.test_client(), "ticket", item, code)
    assert not lookup.code_matches("ticket", None, "")


@pytest.mark.parametrize("kind", KINDS)
def test_look_ups_are_throttled_per_address(kind):
    """The right code, asked for too often from one address, gets 429 like a guess would."""
    app = limited_app(RATE_LIMIT_LOOKUP="3 per minute")
    client = app.test_client()
    _, url, _, _ = KINDS[kind]
    with app.app_context():
        answers = [client.post(url, data={"number": "X", "code": "ABCD-EFGH-JKMN"},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code for _ in range(4)]
        assert answers == [302, 302, 302, 429]
        other = client.post(url, data={"number": "X", "code": "ABCD"}, environ_base={"REMOTE_ADDR": "10.0.0.8"})
        assert other.status_code == 302


@pytest.mark.parametrize("kind", KINDS)
def test_the_look_up_address_shows_the_form_and_a_failed_look_up_keeps_the_number(app, seeded, kind):
    """F7: GET on the look-up address (a bookmark, a reload) shows the page with the form, never 405;
    a failed look-up comes back to that form with the typed tracking number still in it."""
    item, code = KINDS[kind][0]()
    _, url, _, _ = KINDS[kind]
    visitor = app.test_client()
    page = visitor.get(url, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'action="{url}"' in html and 'name="code"' in html
    typed = item.number[:-1] + ("9" if item.number[-1] != "9" else "8")  # one digit mistyped
    resp = visitor.post(url, data={"number": typed, "code": code, "csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    again = visitor.get(resp.headers["Location"]).get_data(as_text=True)
    assert "没有找到匹配的" in again and f'value="{typed}"' in again
    assert code not in again  # the code is typed again, like a password


@pytest.mark.parametrize("kind", KINDS)
def test_asking_for_a_new_code_keeps_the_number_for_the_look_up(app, seeded, kind):
    """After “重新获取” the look-up form has the tracking number typed in: only the new code is typed (issue 18
    item 11); the contact typed for the resend is never shown back."""
    item, _ = KINDS[kind][0]()
    _, url, _, form = KINDS[kind]
    visitor = app.test_client()
    html = visitor.get(form).get_data(as_text=True)
    resp = visitor.post(url + "/code", data={"number": item.number, "contact": "13900009999",
                                             "csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    again = visitor.get(resp.headers["Location"]).get_data(as_text=True)
    assert "新的查询码" in again and 'id="number" name="number"' in again and f'value="{item.number}"' in again
    assert "13900009999" not in again


def _submit_application(client):
    from tests.requests.test_pages import submit
    return submit(client)


def _submit_ticket(client):
    from hotline.seed import seed_categories
    seed_categories()
    token = csrf_from(client.get("/hotline/new").get_data(as_text=True))
    return client.post("/hotline/new", data={"type": "complaint", "category_code": "030101", "caller_phone": PHONE,
                                            "content": "夜间施工噪声", "address": "亭湖区某路", "csrf_token": token})


SUBMIT = {"application": _submit_application, "ticket": _submit_ticket}


@pytest.mark.parametrize("kind", KINDS)
def test_the_receipt_page_keeps_showing_the_code_in_this_session(app, seeded, kind, caplog):
    """F8: after submitting, the item's page shows the access code under “请保存查询码” with a print
    button, again on every reload in this browser session — for that item only, never in the logs,
    never in another browser, and no longer once a new code replaced it or the session started afresh."""
    caplog.set_level("DEBUG")
    applicant = app.test_client()
    first = SUBMIT[kind](applicant)
    assert first.status_code == 302
    code = code_from(Notification.query.filter_by(event="access_code").order_by(Notification.id.desc()).first().body)
    for _ in range(2):  # the receipt, then a reload
        page = applicant.get(first.headers["Location"]).get_data(as_text=True)
        assert "请保存查询码" in page and f"查询码：{code}" in page and "data-print" in page
    second = SUBMIT[kind](applicant)
    code2 = code_from(Notification.query.filter_by(event="access_code").order_by(Notification.id.desc()).first().body)
    page2 = applicant.get(second.headers["Location"]).get_data(as_text=True)
    assert f"查询码：{code2}" in page2 and code not in page2  # each item shows its own code only
    assert f"查询码：{code}" in applicant.get(first.headers["Location"]).get_data(as_text=True)
    stranger = app.test_client()  # another browser that looks the item up sees no code on the page
    item_id = int(first.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    item = _load_item(kind, item_id)
    assert look_up(stranger, kind, item, code)
    assert code not in stranger.get(first.headers["Location"]).get_data(as_text=True)
    # the development SMS adapter logs the message it stands in for (logger "notifications"); nothing else
    assert not any(code in record.getMessage() for record in caplog.records if record.name != "notifications")
    lookup.reissue(item_kind(kind), item_id, now=at(2026, 11, 3, 9), label="x", phone=PHONE)
    stale = applicant.get(first.headers["Location"]).get_data(as_text=True)
    assert "请保存查询码" not in stale and code not in stale  # a replaced code is not shown


def item_kind(kind):
    return {"application": "disclosure_request", "ticket": "ticket"}[kind]


def _load_item(kind, item_id):
    from hotline.models import Ticket
    from requests_module.models import DisclosureRequest
    return db.session.get({"application": DisclosureRequest, "ticket": Ticket}[kind], item_id)
