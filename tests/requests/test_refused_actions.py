"""The handling page when an action is refused (usability review): the page comes back (400 for bad
input, 409 for a state conflict) with everything typed still in that action's form and only that one,
the error next to the field it names (aria-invalid, aria-describedby), the first invalid field — or the
form's error summary — autofocused; success keeps post/redirect/get. And the 全过程记录 shows its
details as labelled Chinese, not raw JSON."""
import io
import re
from datetime import date
from html.parser import HTMLParser

from core.extensions import db
from requests_module import handling
from requests_module.models import DisclosureRequest
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.requests.helpers import DISCLOSED, GUIDANCE, noon, received

DAY = date(2026, 10, 12)  # a Monday after the National Day holidays


class Page(HTMLParser):
    """The elements of a page by id (tag, attributes), the text inside each, the ids of autofocused ones."""

    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self, html):
        super().__init__()
        self.by_id, self.text, self.autofocus, self._stack = {}, {}, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)
            if "autofocus" in attrs:
                self.autofocus.append(attrs["id"])
        if tag not in self.VOID:
            self._stack.append((tag, attrs.get("id")))

    def handle_data(self, data):
        for _, element_id in self._stack:
            if element_id:
                self.text[element_id] = self.text.get(element_id, "") + data

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def value(self, element_id):
        tag, attrs = self.by_id[element_id]
        return self.text.get(element_id, "") if tag == "textarea" else attrs.get("value")

    def attrs(self, element_id):
        return self.by_id[element_id][1]


def selected(html, select_id):
    """The value of the selected option of one select."""
    block = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected', block).group(1)


def staff_client(app):
    make_user("staff", "clerk@x.cn", department="mzj")
    client = app.test_client()
    assert login(client, "clerk@x.cn").status_code == 302
    return client


def post(client, req, action, files=None, **form):
    token = csrf_from(client.get(f"/requests/staff/{req.id}").get_data(as_text=True))
    data = {**form, "csrf_token": token}
    if files:
        data["attachments"] = files
    return client.post(f"/requests/staff/{req.id}/{action}", data=data, content_type="multipart/form-data")


def submit(app, req, action, day=DAY, **form):
    """A clerk of 民政局 signs in and posts `form` to `req`'s `action` at noon on `day`: the response, its HTML
    and that HTML read as a Page."""
    client = staff_client(app)
    with pinned(app, noon(day)):
        resp = post(client, req, action, **form)
    html = resp.get_data(as_text=True)
    return resp, html, Page(html)


def assert_invalid(page, input_id, message):
    attrs = page.attrs(input_id)
    assert attrs.get("aria-invalid") == "true", input_id
    described = attrs["aria-describedby"].split()
    assert f"{input_id}-err" in described
    assert message in page.text[f"{input_id}-err"]


def test_a_refused_reply_keeps_every_typed_value_and_names_the_field(app, seeded):
    req = received(date(2026, 9, 28))
    resp, html, page = submit(app, req, "reply", outcome="withheld_law", text="经查，该信息属于……\n第二段。",
                              holder_organ="区档案馆", legal_ground="", on="2026-10-09",
                              files=[(io.BytesIO(b"%PDF-1.4 x"), "答复.pdf")])
    assert resp.status_code == 400
    assert page.value("rp-on") == "2026-10-09"  # not reset to today
    assert page.value("reply-text") == "经查，该信息属于……\n第二段。"
    assert page.value("rp-holder") == "区档案馆"
    assert selected(html, "outcome") == "withheld_law"
    assert_invalid(page, "rp-ground", "须写明法律依据")
    assert page.autofocus == ["rp-ground"]  # one autofocus: the first field in error
    assert "aria-invalid" not in page.attrs("reply-text")
    # the file passed the check: it is kept server-side and listed, not to be chosen again (issue 18 item 1)
    assert "已上传：答复.pdf（保留）" in html and 'name="pending" value="' in html and "rp-files-note" not in page.by_id
    # the summary at the top of the form links to the field; the form is an anchor of the page, and its
    # action has no #fragment (a browser skips autofocus on a page whose URL has one)
    assert 'href="#rp-ground"' in html and "act-reply" in page.by_id
    assert f'action="/requests/staff/{req.id}/reply"' in html
    # only the refused form is filled in: the others keep their defaults
    assert page.value("cs-on") == DAY.isoformat() and page.value("items") == ""
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"


def test_a_date_refused_by_the_date_rule_stays_with_the_typed_text(app, seeded):
    req = received(date(2026, 9, 28))
    resp, html, page = submit(app, req, "correction_notice", guidance=GUIDANCE, items="请写明所需年份\n及文号", on="2026-10-13")
    assert resp.status_code == 400
    assert page.value("cn-on") == "2026-10-13" and page.value("items") == "请写明所需年份\n及文号"
    assert_invalid(page, "cn-on", "日期不能晚于今天")
    assert page.autofocus == ["cn-on"]
    assert db.session.get(DisclosureRequest, req.id).correction_notice_on is None


def test_a_missing_field_is_named_next_to_it(app, seeded):
    req = received(date(2026, 9, 28))
    resp, html, page = submit(app, req, "fee_notice", method="pages", quantity="", on="2026-10-10")
    assert resp.status_code == 400 and page.value("fee-on") == "2026-10-10"
    assert page.attrs("fee-quantity").get("aria-invalid") == "true" and page.autofocus == ["fee-quantity"]


def test_the_api_name_of_a_date_is_the_page_input_it_came_from(app, seeded):
    """add_consultation calls its date sent_on; on the page it is the form's `on` input."""
    req = received(date(2026, 9, 28))
    resp, html, page = submit(app, req, "consult", kind="organ", party="市民政局", on="2026-09-01")
    assert resp.status_code == 400 and page.value("cs-party") == "市民政局"
    assert_invalid(page, "cs-on", "征求意见发出日期须为登记当日")  # a step that pauses the period: no 补录
    assert page.autofocus == ["cs-on"]


def test_of_two_consultations_only_the_refused_one_is_filled_in(app, seeded):
    req = received(date(2026, 9, 28))
    one = handling.add_consultation(req, kind="organ", party="甲局", sent_on=DAY, now=noon(DAY), actor="t")
    two = handling.add_consultation(req, kind="organ", party="乙局", sent_on=DAY, now=noon(DAY), actor="t")
    resp, html, page = submit(app, req, "consult_answer", consultation=str(two.id), on="2026-10-10", answer="agreed", opinion="同意公开")
    assert resp.status_code == 400
    assert page.value(f"ca-opinion-{two.id}") == "同意公开" and page.value(f"ca-on-{two.id}") == "2026-10-10"
    assert_invalid(page, f"ca-on-{two.id}", "答复日期不能早于上一步")
    assert page.value(f"ca-opinion-{one.id}") == "" and page.value(f"ca-on-{one.id}") == DAY.isoformat()
    assert "aria-invalid" not in page.attrs(f"ca-on-{one.id}")


def test_a_state_conflict_is_409_with_the_summary_focused_and_the_text_kept(app, seeded):
    """Past the 7 working days the correction notice is refused by the rule, not by a field."""
    req = received(date(2026, 9, 28))
    day = date(2026, 11, 2)
    resp, html, page = submit(app, req, "correction_notice", guidance=GUIDANCE, items="请补充身份证明", on=day.isoformat(), day=day)
    assert resp.status_code == 409
    assert page.value("items") == "请补充身份证明" and page.value("cn-on") == day.isoformat()
    assert page.autofocus == ["act-correction_notice-errors"]
    assert page.attrs("act-correction_notice-errors")["role"] == "alert"
    assert "补正告知应在收到申请后 7 个工作日内" in page.text["act-correction_notice-errors"]
    assert "aria-invalid" not in html


def test_a_refused_form_that_is_no_longer_on_the_page_still_shows_the_typed_text(app, seeded):
    """Someone else sent the correction notice meanwhile: the reply form is gone, the typed text is not."""
    req = received(date(2026, 9, 28))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份", on=DAY, now=noon(DAY), actor="t")
    resp, html, page = submit(app, req, "reply", outcome="disclosed", **DISCLOSED, text="经查，现予以公开。<b>注意</b>", on=DAY.isoformat())
    assert resp.status_code == 409
    assert page.autofocus == ["refused-errors"]
    assert "经查，现予以公开。&lt;b&gt;注意&lt;/b&gt;" in html  # shown, escaped
    assert 'id="reply-text"' not in html


def test_a_refused_dispute_opens_its_section(app, seeded):
    req = received(date(2026, 9, 28))
    resp, html, page = submit(app, req, "dispute", kind="litigation", after="y", filed_on="2026-09-01", note="（2026）苏0902行初1号")
    assert resp.status_code == 400
    assert re.search(r"<details[^>]* open>", html)
    assert "checked" in page.attrs("dispute-after") and selected(html, "dispute-kind") == "litigation"
    assert page.value("dispute-note") == "（2026）苏0902行初1号"
    assert_invalid(page, "dispute-filed", "提起日期不能早于申请收到日期")


def test_a_successful_action_still_redirects(app, seeded):
    req = received(date(2026, 9, 28))
    client = staff_client(app)
    with pinned(app, noon(DAY)):
        resp = post(client, req, "correction_notice", guidance=GUIDANCE, items="请写明所需年份", on=DAY.isoformat())
        assert resp.status_code == 302
        assert resp.headers["Location"] == f"/requests/staff/{req.id}"
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "已发出补正告知" in page and "aria-invalid" not in page and "autofocus" not in page


def test_the_timeline_shows_labelled_chinese_and_no_json(app, seeded):
    req = received(date(2026, 9, 28))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明所需年份", on=date(2026, 9, 29), now=at(2026, 9, 29, 9),
                                    actor="t")
    handling.receive_correction(req, text="2025 年", on=date(2026, 10, 9), now=at(2026, 10, 12, 9),
                                actor="t")  # handed in on 10-09, entered on 10-12: a 补录
    client = staff_client(app)
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    timeline = html[html.index('id="tl-h"'):html.index("</section>", html.index('id="tl-h"'))]
    timeline = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", timeline.split(">", 1)[1]))  # the text a reader sees
    assert "{" not in timeline and '"' + "items" not in timeline and "&#34;" not in timeline
    assert "补正事项：请写明所需年份" in timeline and "补正期限：10 个工作日" in timeline
    assert "申请方式：当面提交" in timeline  # the paper registration, its channel's name
    assert "部门：民政局" in timeline  # the department's name, not its code
    assert "发生日期 2026年10月9日" in timeline and "补录于 2026-10-12 09:00" in timeline
    assert "日期：2026年9月29日" in timeline  # a day as zh_date; no day alone in ISO form (moments are local_dt)
    assert not re.search(r"\d{4}-\d{2}-\d{2}(?! \d{2}:\d{2})", timeline)
    assert "status" not in timeline and "状态" not in timeline  # the step names the new status


def test_the_presenter_translates_known_keys_and_keeps_unknown_ones(app, seeded):
    from core.audit import AuditEvent
    from requests_module.presenter import audit_row
    event = AuditEvent(at=at(2026, 10, 12, 9), actor_label="张三", action="reply", entered_at=None,
                       after='{"status": "closed", "outcome": "withheld_law", "legal_ground": "第十四条",'
                             ' "secret_flag": 1, "amount": "12.50", "days": 10, "on": "2026-10-12"}')
    row = audit_row(event, {})
    assert row.details == [("日期", "2026年10月12日"), ("答复结果", "不予公开：其他法律行政法规禁止公开"),
                           ("法律依据", "第十四条"), ("金额", "12.50 元"), ("天数", "10 个工作日"),
                           ("secret_flag", "1")]  # unknown: under its own name, never lost; status: the step says it
    assert row.happened_on is None
