"""CSRF tokens expire after WTF_CSRF_TIME_LIMIT (a day); a form posted with this session's own expired
token loses nothing typed: the re-submit page carries every value back with a fresh token, asks for
passwords and files again, and submitting it does what the first post would have done. Old tokens are
made explicitly, signed at a past time (no sleeping)."""
import io
import time
from html.parser import HTMLParser

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from core.csrf import EXPIRED_MESSAGE, SALT, password_fields
from tests.conftest import csrf_from, login, make_user
from tests.hotline.conftest import hot  # noqa: F401  (fixture)
from tests.test_csrf import CSRF_MESSAGE, form_posts
from tests.test_route_access import _url

DAY = 24 * 3600
TYPED = {"type": "help", "category_code": "020201", "caller_phone": "13800003333",
         "content": "想了解低保申请条件\n第二行：家里 3 口人", "address": "亭湖区某路 12 号"}


def token_aged(app, client, seconds):
    """A token of this client's session as if generated `seconds` ago."""
    class Past(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - seconds
    with client.session_transaction() as sess:
        raw = sess["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt=SALT, signer=Past).dumps(raw)


class _Form(HTMLParser):
    """The re-submit form (#resubmit): its action and its inputs (name, type, value) in order."""

    def __init__(self, html):
        super().__init__()
        self.action, self.inputs, self.enctype, self._inside = None, [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "resubmit":
            self.action, self.enctype, self._inside = attrs["action"], attrs.get("enctype"), True
        elif tag == "input" and self._inside:
            self.inputs.append((attrs.get("name"), attrs.get("type"), attrs.get("value")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False

    def hidden(self):
        return MultiDict([(n, v) for n, t, v in self.inputs if t == "hidden"])


def test_the_limit_is_a_day(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == DAY


def test_a_token_younger_than_a_day_still_works(app, client, hot):  # noqa: F811
    client.get("/hotline/new")
    resp = client.post("/hotline/new", data={**TYPED, "csrf_token": token_aged(app, client, DAY - 600)})
    assert resp.status_code == 302


def test_an_expired_token_keeps_everything_typed(app, client, hot):  # noqa: F811
    from hotline.models import Ticket
    client.get("/hotline/new")
    resp = client.post("/hotline/new", data={**TYPED, "csrf_token": token_aged(app, client, DAY + 600)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and EXPIRED_MESSAGE in html and CSRF_MESSAGE not in html
    assert Ticket.query.count() == 0  # nothing was done yet
    form = _Form(html)
    assert form.action == "/hotline/new"
    kept = form.hidden()
    assert {k: kept[k] for k in TYPED} == TYPED  # line breaks and all
    again = client.post(form.action, data=form.hidden())  # “再次提交”, with the page's fresh token
    assert again.status_code == 302
    ticket = Ticket.query.one()
    assert ticket.content == TYPED["content"] and ticket.caller_phone == TYPED["caller_phone"]


def test_another_sessions_old_token_is_refused_plainly(app, client, hot):  # noqa: F811
    """An attacker's own old token, posted into a victim's session: no page with the attacker's values."""
    attacker = app.test_client()
    attacker.get("/hotline/new")
    old = token_aged(app, attacker, DAY + 600)
    client.get("/hotline/new")
    resp = client.post("/hotline/new", data={**TYPED, "content": "攻击者的内容", "csrf_token": old})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and CSRF_MESSAGE in html
    assert EXPIRED_MESSAGE not in html and "攻击者的内容" not in html


def test_files_are_kept_for_the_second_submit(app, client, seeded):
    """The file that passed the check is kept server-side (core/pending_uploads.py): one click files it."""
    from requests_module.models import DisclosureRequest
    from tests.requests.helpers import APPLICATION
    client.get("/requests/new")
    resp = client.post("/requests/new", content_type="multipart/form-data", data={
        **APPLICATION, "csrf_token": token_aged(app, client, 2 * DAY),
        "attachments": [(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "证明.png")]})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "已上传：证明.png（保留）" in html and "请重新选择" not in html
    form = _Form(html)
    assert form.enctype == "multipart/form-data" and "pending" in form.hidden()
    again = client.post(form.action, content_type="multipart/form-data", data=form.hidden().to_dict())
    assert again.status_code == 302
    assert len(DisclosureRequest.query.one().attachments) == 1


def test_passwords_are_typed_again_never_written_into_the_page(app, client, seeded):
    assert {"password", "confirm", "current"} <= password_fields()
    user = make_user("citizen")
    client.get("/auth/login")
    resp = client.post("/auth/login", data={"login_id": user.login_id, "password": "S3cret-typed-pw",
                                            "csrf_token": token_aged(app, client, 3 * DAY)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and EXPIRED_MESSAGE in html and "S3cret-typed-pw" not in html
    form = _Form(html)
    assert ("password", "password", None) in form.inputs and form.hidden()["login_id"] == user.login_id


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
def test_every_form_gets_the_same_re_submit_page(app, client, seeded, visitor):
    """One mechanism: every form POST of the URL map, posted with this session's expired token."""
    if visitor != "anonymous":
        assert login(client, make_user(visitor).login_id).status_code == 302
    csrf_from(client.get("/auth/login").get_data(as_text=True))  # the session has its token
    old = token_aged(app, client, DAY + 1)
    for rule in form_posts(app):
        url = _url(rule)
        resp = client.post(url, data={"csrf_token": old, "note": "typed"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and EXPIRED_MESSAGE in html, url
        form = _Form(html)
        assert form.action == url and form.hidden().getlist("note") == ["typed"], url
