"""The handling page shows what a clerk needs to deliver the answer (issue 18 item 4), no department is chosen
by default (item 8), and the page writes every day one way (item 7)."""
import re
from datetime import date

from requests_module import intake
from requests_module.models import DELIVERIES, FORMS
from tests.conftest import csrf_from, login, make_user, pinned
from tests.requests.helpers import noon, received, stored

DAY = date(2026, 11, 2)
VAGUE = {"title": "某份材料", "description": "请提供该材料。"}  # matches no department's topics: no suggestion


def _page_as(app, role, login_id, department=None):
    make_user(role, login_id, department=department)
    client = app.test_client()
    assert login(client, login_id).status_code == 302
    return client


def _text(html, start, end="</section>"):
    part = html[html.index(start):html.index(end, html.index(start))]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_the_applicant_and_delivery_block_shows_what_the_clerk_needs(app, seeded):
    req = received(DAY, address="亭湖区文港南路 8 号 1 单元", form="paper", delivery="mail", publish_consent="")
    client = _page_as(app, "staff", "clerk@x.cn", "mzj")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    block = _text(html, 'id="applicant-facts"')
    assert "申请人与送达" in block and "张三" in block and "13800001111" in block
    assert "通信地址 亭湖区文港南路 8 号 1 单元" in block
    assert f"获取信息的方式 {DELIVERIES['mail']}" in block and f"信息的载体形式 {FORMS['paper']}" in block
    assert "答复公开 不同意公开" in block
    assert html.index('id="applicant-facts"') < html.index('id="tl-h"')  # near the top, before the history


def test_the_block_escapes_what_the_applicant_typed_and_says_what_is_missing(app, seeded):
    req = received(DAY, name="<b>王五</b>", email="", address="")
    client = _page_as(app, "staff", "clerk@x.cn", "mzj")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    block = _text(html, 'id="applicant-facts"')
    assert "<b>王五</b>" not in html and "&lt;b&gt;王五&lt;/b&gt;" in html
    assert "电子邮箱 未填写" in block and "通信地址 未填写" in block and "答复公开 同意" in block


def test_assigning_starts_with_no_department_chosen_and_refuses_none(app, seeded):
    req = received(DAY, dep=None, **VAGUE)
    assert intake.suggestions(req) == []
    client = _page_as(app, "supervisor", "sup@x.cn")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        form = html[html.index('id="act-assign"'):html.index("</form>", html.index('id="act-assign"'))]
        assert re.search(r'<select[^>]*id="as-department"[^>]*required', form)
        first = re.search(r"<option[^>]*>[^<]*</option>", form).group(0)
        assert first == '<option value="" selected>请选择承办部门</option>'
        assert form.count(" selected") == 1
        resp = client.post(f"/requests/staff/{req.id}/assign", data={"department": "", "csrf_token": csrf_from(html)})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "请选择承办部门" in body
    assert stored(req).status == "received" and stored(req).department_id is None


def test_a_suggested_department_is_preselected(app, seeded):
    req = received(DAY, dep=None)  # 低保: 民政局
    best = intake.suggestions(req)[0].department
    client = _page_as(app, "supervisor", "sup@x.cn")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    form = html[html.index('id="act-assign"'):html.index("</form>", html.index('id="act-assign"'))]
    assert f'<option value="{best.code}" selected>' in form and '<option value="">请选择承办部门</option>' in form


def test_reassigning_without_a_department_is_refused_and_keeps_the_reason(app, seeded):
    req = received(DAY)
    client = _page_as(app, "staff", "clerk@x.cn", "mzj")
    with pinned(app, noon(DAY)):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
        resp = client.post(f"/requests/staff/{req.id}/reassign",
                           data={"department": "", "reason": "不属于本局职责，应由住建局办理", "csrf_token": csrf_from(html)})
    body = resp.get_data(as_text=True)
    form = body[body.index('id="act-reassign"'):body.index("</form>", body.index('id="act-reassign"'))]
    assert resp.status_code == 400 and "请选择承办部门" in form
    assert 'value="不属于本局职责，应由住建局办理"' in form  # the typed reason is still there
    assert '<option value="" selected>请选择改派部门</option>' in form
    assert stored(req).department.code == "mzj"


def test_the_intake_queue_starts_with_no_department_chosen_and_refuses_none(app, seeded):
    req = received(DAY, dep=None, **VAGUE)
    client = _page_as(app, "supervisor", "sup@x.cn")
    with pinned(app, noon(DAY)):
        html = client.get("/requests/staff/intake").get_data(as_text=True)
        select = html[html.index(f'id="dep{req.id}"'):html.index("</select>", html.index(f'id="dep{req.id}"'))]
        assert 'required' in select and '<option value="" selected>请选择承办部门</option>' in select
        resp = client.post(f"/requests/staff/{req.id}/assign", data={"department": "", "from": "intake",
                                                                     "csrf_token": csrf_from(html)},
                           follow_redirects=True)
    assert "请选择承办部门" in resp.get_data(as_text=True)
    assert stored(req).status == "received"


def test_the_page_writes_days_one_way(app, seeded):
    from requests_module import handling
    from tests.requests.helpers import GUIDANCE
    req = received(date(2026, 11, 2))
    handling.send_correction_notice(req, guidance=GUIDANCE, items="请写明年份。", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)),
                                    actor="t")
    client = _page_as(app, "staff", "clerk@x.cn", "mzj")
    with pinned(app, noon(date(2026, 11, 4))):
        html = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    facts = re.sub(r"<[^>]+>", " ", html[html.index('<div class="col-lg-7">'):html.index('id="tl-h"')])
    assert "收到 2026年11月2日" in facts and "2026年11月3日 告知" in facts
    assert not re.search(r"\d{4}-\d{2}-\d{2}", facts) and not re.search(r"月0\d日", html)


def test_timeline_details_name_methods_and_kinds_in_chinese(app, seeded):
    """Each step's `method` in its own table (fee, refund, delivery) and every `kind` in Chinese, attachments included;
    a list of days as zh_date; no id of a record the page lists by name."""
    from core.audit import AuditEvent
    from requests_module.presenter import audit_row
    from tests.conftest import at

    def row(action, after):
        return audit_row(AuditEvent(at=at(2026, 11, 3, 9), actor_label="t", action=action, entered_at=None,
                                    after=after), {}).details
    assert ("方式", "按件计收") in row("fee_notice", '{"method": "piece", "status": "awaiting_payment"}')
    assert ("方式", "原渠道退回") in row("fee_refunded", '{"method": "original"}')
    assert ("方式", "挂号信（邮政给据）") in row("document_delivered", '{"method": "registered_mail", "document": 7}')
    assert row("document_delivered", '{"document": 7, "kind": "reply"}') == [("类别", "政府信息公开申请答复书")]
    assert row("x", '{"kind": "correction", "later": ["2026-11-02", "2026-11-03"]}') == [
        ("类别", "补正材料"), ("later", "2026年11月2日、2026年11月3日")]
    assert row("decided", '{"decision": "corrected", "paper_number": "亭政公〔2026〕1号"}') == [
        ("决定", "予以更正"), ("纸质原件文号", "亭政公〔2026〕1号")]
