"""The citizen status look-up (tracking number + secret) of both workflows, through the pages: only
the whole phone number (or, for applications, the whole identity number) opens the item; an empty,
partial or wrong secret never does, and the look-ups are throttled per address."""
from datetime import date

import pytest

from core.auth.lookup import secret_matches
from core.extensions import db
from tests.conftest import at, csrf_from
from tests.test_limits import limited_app

PHONE, ID_NUMBER = "13800001111", "11010519491231002X"
REFUSED = ["", "   ", "1111", "00001111", "1380000111", "3800001111", "13800001112", "138000011110", "%", "*",
           "1100", "31002X", "11010519491231002", PHONE + ID_NUMBER]


def _application():
    from tests.requests.helpers import received
    return received(date(2026, 11, 2), phone=PHONE, id_number=ID_NUMBER)


def _ticket():
    from hotline import intake
    from hotline.seed import seed_categories
    seed_categories()
    return intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": PHONE,
                                 "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="web",
                                received_at=at(2026, 11, 2, 9), now=at(2026, 11, 2, 9), actor="公众")


# workflow -> (make the item, look-up page, field holding the secret, item page, form page for a token)
KINDS = {
    "application": (_application, "/requests/lookup", "secret", "/requests/{id}", "/requests/"),
    "ticket": (_ticket, "/hotline/lookup", "phone", "/hotline/my/{id}", "/hotline/new"),
}


def _opens(app, kind, item, secret):
    """A fresh visitor looks the item up with `secret`; True when the item page then opens."""
    _, lookup, field, show, form = KINDS[kind]
    visitor = app.test_client()
    token = csrf_from(visitor.get(form).get_data(as_text=True))
    resp = visitor.post(lookup, data={"number": item.number, field: secret, "csrf_token": token})
    assert resp.status_code == 302, (kind, secret)  # never a 500, whatever was typed
    return visitor.get(show.format(id=item.id)).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_whole_secret_opens_the_item(app, seeded, kind):
    item = KINDS[kind][0]()
    for secret in REFUSED:
        assert not _opens(app, kind, item, secret), f"{kind} opened with secret {secret!r}"
    assert _opens(app, kind, item, PHONE)
    assert _opens(app, kind, item, " 138 0000-1111 ")  # the same number, typed with spaces and a dash


def test_an_application_also_opens_with_the_whole_identity_number(app, seeded):
    item = _application()
    assert _opens(app, "application", item, ID_NUMBER.lower())
    assert not _opens(app, "application", item, ID_NUMBER[:-1])


def test_an_item_without_a_phone_never_opens_with_an_empty_secret(app, seeded):
    item = _ticket()
    item.caller_phone = ""  # an anonymous call without a number
    db.session.commit()
    for secret in ("", " ", "-"):
        assert not _opens(app, "ticket", item, secret)


def test_secret_matches_is_the_one_rule():
    assert secret_matches("138 0000 1111", PHONE) and secret_matches("x", "", "X")
    for secret in REFUSED:
        assert not secret_matches(secret, PHONE, ID_NUMBER), secret
    assert not secret_matches("", "", None)


@pytest.mark.parametrize("kind", KINDS)
def test_look_ups_are_throttled_per_address(kind):
    """The right secret, asked for too often from one address, gets 429 like a guess would."""
    app = limited_app(RATE_LIMIT_LOOKUP="3 per minute")
    client = app.test_client()
    _, lookup, field, _, _ = KINDS[kind]
    with app.app_context():
        answers = [client.post(lookup, data={"number": "X", field: "13900000000"},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code for _ in range(4)]
        assert answers == [302, 302, 302, 429]
        other = client.post(lookup, data={"number": "X", field: PHONE}, environ_base={"REMOTE_ADDR": "10.0.0.8"})
        assert other.status_code == 302
