"""Every form route of the URL map (as in test_csrf) takes extreme input without a 500, on SQLite and on
PostgreSQL: integers beyond 64 bits (±2**70), dates in the years 0001 and 9999, and NUL bytes, posted
into every field name the templates and forms use — each field alone and all of them at once — by an
account allowed to post there, with a valid CSRF token, against a real ticket and application.

Each field alone goes only to the routes that read it: the all-fields posts record which names the view and its
forms looked up in `request.form` (a recording form dict), and a field a view never reads cannot fail there alone.
Posting every one of ~200 names alone to each of ~150 routes took over ten minutes per backend."""
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import ImmutableMultiDict
from wtforms.fields.core import UnboundField

from core.csrf import EXPIRED_MESSAGE, REFUSED_MESSAGE
from tests.conftest import csrf_from, login, make_user
from tests.test_csrf import form_posts
from tests.test_route_access import ACCESS, SAMPLES

BAD = [str(2**70), str(-2**70), "0001-01-01", "9999-12-31"]
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def field_names():
    """Every field a page posts: name="…" in the templates, the names given to the field macros of the
    handling page (templates/requests/_action.html: `input(f, 'amount', …)`, `name='on'`) and each WTForms
    field of the app's forms."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'name="([a-z_]+)"', text))
        names |= set(re.findall(r"\(f, '([a-z_]+)'", text)) | set(re.findall(r"name='([a-z_]+)'", text))
    from flask_wtf import FlaskForm
    classes, seen = [FlaskForm], set()
    while classes:
        cls = classes.pop()
        classes.extend(c for c in cls.__subclasses__() if c not in seen)
        seen.add(cls)
        names |= {n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField)}
    return sorted(names - {"csrf_token", "captcha_token"})


class RecordingForm(ImmutableMultiDict):
    """A request's form data that notes every name looked up (views: `.get`, `[]`, `in`; WTForms: `getlist`)."""
    read: set = set()

    def __getitem__(self, key):
        RecordingForm.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        RecordingForm.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        RecordingForm.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        RecordingForm.read.add(key)
        return super().__contains__(key)


def urls(app, ticket_id, request_id, correction_id=None):
    """Each form route with its samples; an <action> route once per action of its view's table."""
    from hotline.staff_views import ACTIONS as TICKET_ACTIONS
    from requests_module.staff_views import ACTIONS as REQUEST_ACTIONS
    samples = {**SAMPLES, "<int:ticket_id>": str(ticket_id), "<int:request_id>": str(request_id)}
    if correction_id is not None:
        samples["<int:correction_id>"] = str(correction_id)
    out = []
    for rule in form_posts(app):
        if rule == "/auth/logout":
            continue  # takes no field, and would end the session the walk runs in
        actions = (TICKET_ACTIONS if rule.startswith("/hotline/tickets/") else
                   REQUEST_ACTIONS if rule.startswith("/requests/staff/") else [None])
        for action in actions:
            url = rule.replace("<action>", action or "")
            for key, value in samples.items():
                url = url.replace(key, value)
            out.append((rule, url))
    return out


def test_extreme_values_in_every_form_field_never_answer_500(app, seeded, now, monkeypatch):
    from hotline import intake
    from hotline.seed import seed_categories
    from tests.requests.correction_helpers import registered
    from tests.requests.helpers import received
    seed_categories()
    request_id = received(now.date()).id
    correction_id = registered(now.date()).id
    ticket_id = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800001111",
                                      "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                                     received_at=now, now=now, actor="op").id
    clients = {}
    for role in ("supervisor", "admin"):
        client = app.test_client()
        assert login(client, make_user(role, f"{role}.forms@x.cn").login_id).status_code == 302
        clients[role] = (client, csrf_from(client.get("/auth/password").get_data(as_text=True)))
    fields = field_names()
    assert {"received_on", "days", "consultation", "ticket", "year", "amount", "hours"} <= set(fields)
    monkeypatch.setattr(app.request_class, "parameter_storage_class", RecordingForm)
    posted, read_alone = 0, set()

    def post(url, data):
        nonlocal posted
        resp = client.post(url, data={**data, "csrf_token": token})
        posted += 1
        assert resp.status_code < 500, f"POST {url} {data} → {resp.status_code}"
        # the refusal's own words (a captcha picture's base64 may well contain the letters "CSRF")
        body = resp.get_data(as_text=True)
        assert resp.status_code != 400 or (REFUSED_MESSAGE not in body and EXPIRED_MESSAGE not in body), \
            f"POST {url}: token lost"

    for n, (rule, url) in enumerate(urls(app, ticket_id, request_id, correction_id)):
        client, token = clients["admin" if ACCESS[(rule, "POST")] == "admin" else "supervisor"]
        RecordingForm.read = set()
        for value in BAD + ["x\x00y"]:
            post(url, {name: value for name in fields})
        read = sorted(RecordingForm.read & set(fields))
        read_alone |= set(read)
        # each field the route reads, alone, its bad value turning with the route, so that every field meets
        # every value
        for i, name in enumerate(read):
            post(url, {name: BAD[(i + n) % len(BAD)]})
    assert posted > 500
    assert {"received_on", "days", "consultation", "amount", "hours", "year", "text"} <= read_alone  # it does record


def test_a_bad_year_in_a_form_is_a_chinese_message_and_the_typed_text_stays(app, seeded, as_role):
    """The register form with received_on 9999-12-31: 400-free page, a message naming the year range,
    and the typed values still in the form."""
    client = app.test_client()
    assert login(client, make_user("supervisor", "sup.reg@x.cn").login_id).status_code == 302
    page = client.get("/requests/staff/register").get_data(as_text=True)
    from tests.requests.helpers import APPLICATION
    resp = client.post("/requests/staff/register", data={**APPLICATION, "received_on": "9999-12-31",
                                                         "channel": "in_person", "csrf_token": csrf_from(page)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "年份应在 1900 到 2100 之间" in html
    assert "9999-12-31" in html and "2025年城乡低保对象名单" in html


@pytest.mark.parametrize("value, message", [(str(2**70), "应在 1900 到 2100 之间"), ("abc", "应为整数")])
def test_the_calendar_import_year_is_range_checked_in_chinese(app, seeded, value, message):
    client = app.test_client()
    assert login(client, make_user("admin", "adm.cal@x.cn").login_id).status_code == 302
    token = csrf_from(client.get("/admin/calendar/").get_data(as_text=True))
    from io import BytesIO
    resp = client.post("/admin/calendar/import", data={"year": value, "csrf_token": token,
                                                       "file": (BytesIO(b"2027-01-01,holiday,x\n"), "c.csv")},
                       follow_redirects=True)
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
