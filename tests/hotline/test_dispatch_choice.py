"""The dispatch form chooses no department by default (issue 18 item 8): a blank 请选择承办部门 comes first unless
there is a suggestion; dispatching without a choice is refused with that message, the typed form kept."""
import json
import re

from core.extensions import db
from hotline.models import Category, Ticket
from tests.conftest import csrf_from
from tests.hotline.helpers import log_call


def _dispatch_form(html):
    start = html.index('id="department"')
    return html[html.rindex("<form", 0, start):html.index("</form>", start)]


def test_without_a_suggestion_no_department_is_chosen_and_none_is_refused(desk):
    db.session.get(Category, "030101").department_id = None
    db.session.commit()
    log_call(desk, content="有件事情想反映一下")
    t = Ticket.query.one()
    page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    form = _dispatch_form(page)
    assert '<option value="" selected>请选择承办部门</option>' in form and form.count(" selected") == 1
    assert re.search(r'<select[^>]*id="department"[^>]*required', form)
    assert "受理渠道" in page and "电话" in page
    resp = desk.post(f"/hotline/tickets/{t.id}/dispatch", data={"department": "", "co": ["zjj"],
                                                                 "csrf_token": csrf_from(page)})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请选择承办部门" in body
    kept = json.loads(re.search(r'<script type="application/json" id="kept-form">(.*?)</script>', body, re.S).group(1))
    assert kept == {"action": "dispatch", "fields": {"department": [""], "co": ["zjj"]}}  # put back in the form
    db.session.expire_all()
    assert db.session.get(Ticket, t.id).status == "new" and db.session.get(Ticket, t.id).department_id is None


def test_a_suggested_department_is_preselected(desk):
    log_call(desk)
    t = Ticket.query.one()
    form = _dispatch_form(desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True))
    assert '<option value="">请选择承办部门</option>' in form and re.search(r'<option value="sthjj" selected>', form)
