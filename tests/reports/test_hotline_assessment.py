"""The 12345 assessment (reports/hotline_assessment.py) for November 2026, read at 2026-12-03 10:00: every
measure recomputed here with plain Python over the raw rows (tickets, clocks, callbacks, returns, 督办单)
and compared per department, with a few figures also stated by hand; then the score, the ranking, the
dashboard (page, JSON, XLSX) and the monthly PDF with their access rules."""
import io
import re
from datetime import date, timedelta, timezone

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.clocks.models import Clock
from core.clocks.service import start_clock, stop_clock
from core.departments.models import Department
from core.extensions import db
from hotline import callback, handling, intake, reply, returns
from hotline.contact import record_contact
from hotline.models import CallbackAttempt, Return, SupervisionOrder, Ticket
from reports.hotline_assessment import MEASURES, assess, month_bounds, score, weights_from
from tests.conftest import at, pinned
from tests.reports.hotline_helpers import catalogue_and_supervisor, dep, new

NOW = at(2026, 12, 3, 10)
LO, HI = at(2026, 11, 1), at(2026, 12, 1)
OPEN = ("running", "paused")


def _return(ticket, code, when, decision):
    """A 退单 through the service and the 12345 centre's review of it 10 minutes later (hotline/returns.py)."""
    returns.request_return(ticket, reason="不属本部门", now=when, actor="s")
    returns.review_return(ticket, upheld=decision == "upheld", note="" if decision == "upheld" else "属本部门职责",
                          now=when + timedelta(minutes=10), actor="op")


def _order(ticket, code, issued, *, feedback_at=None, on_time=None, hours=15):
    o = SupervisionOrder(ticket_id=ticket.id, department_id=dep(code).id, issued_at=issued, reason="超期督办",
                         feedback_at=feedback_at, feedback=("已反馈" if feedback_at else None), feedback_on_time=on_time)
    db.session.add(o)
    db.session.flush()
    c = start_clock(entity_kind="supervision_order", entity_id=o.id, name="supervision_feedback", unit="workhours",
                    length=hours, now=issued, actor="op", department_id=dep(code).id)
    if feedback_at:
        stop_clock(c, now=feedback_at, actor="s", reason="feedback")
    db.session.commit()
    return o


@pytest.fixture
def month(seeded):
    sup = catalogue_and_supervisor()
    # T1 → 生态环境局: contacted, signed, replied in time; callback 满意, 已解决
    t1 = new(at(2026, 11, 2, 9), to="sthjj", dispatched=at(2026, 11, 2, 9, 10))
    handling.sign(t1, now=at(2026, 11, 2, 9, 30), actor="s")
    record_contact(t1, now=at(2026, 11, 2, 10), actor="s")
    reply.reply(t1, text="已处理", now=at(2026, 11, 3, 10), actor="s")
    callback.record_callback(t1, reached=True, resolved=True, satisfaction="satisfied", now=at(2026, 11, 4, 9),
                             actor="op")
    # T2 → 生态环境局: signed late, no contact (the late reply stops the first-contact clock), 不满意 未解决,
    # reopened and dispatched again: the new sign-for, handling and first-contact clocks are overdue at NOW
    t2 = new(at(2026, 11, 3, 9), "inquiry", to="sthjj", dispatched=at(2026, 11, 3, 9, 5))
    handling.sign(t2, now=at(2026, 11, 3, 14, 30), actor="s")
    reply.reply(t2, text="已答复", now=at(2026, 11, 5, 11), actor="s")
    callback.record_callback(t2, reached=True, resolved=False, satisfaction="unsatisfied", now=at(2026, 11, 6, 9),
                             actor="op")
    callback.review(t2, reopen=True, reason="答复不完整", now=at(2026, 11, 6, 10), actor=sup)
    intake.dispatch(t2, dep("sthjj"), now=at(2026, 11, 6, 11), actor="op")
    # T3 → 民政局: never signed nor contacted: three clocks overdue at NOW
    t3 = new(at(2026, 11, 4, 9), "help", "020201", to="mzj", dispatched=at(2026, 11, 4, 9, 5))
    # T4: 直接办结, callback 基本满意 已解决 (the district's figures only: no department)
    t4 = new(at(2026, 11, 5, 9), "inquiry", "020201")
    intake.direct_close(t4, answer="按知识库答复", now=at(2026, 11, 5, 9, 10), actor="op")
    callback.record_callback(t4, reached=True, resolved=True, satisfaction="basic", now=at(2026, 11, 5, 15),
                             actor="op")
    # T5: an emergency transferred to 110: left out
    t5 = new(at(2026, 11, 6, 9))
    intake.transfer_emergency(t5, to="110", now=at(2026, 11, 6, 9, 2), actor="op")
    # T6: returned by 生态环境局 (成立), then 住建局 contacts in time and replies; no callback yet (overdue)
    t6 = new(at(2026, 11, 9, 9), to="sthjj", dispatched=at(2026, 11, 9, 9, 5))
    _return(t6, "sthjj", at(2026, 11, 9, 9, 30), "upheld")
    intake.dispatch(t6, dep("zjj"), now=at(2026, 11, 9, 10), actor="op")
    handling.sign(t6, now=at(2026, 11, 9, 10, 20), actor="z")
    record_contact(t6, now=at(2026, 11, 9, 15), actor="z")
    reply.reply(t6, text="已处理", now=at(2026, 11, 10, 16), actor="z")
    # T6b: returned by 生态环境局, judged 不成立: back to it with its clocks resumed; it contacts in time and
    # replies; no callback yet (overdue)
    t6b = new(at(2026, 11, 9, 9, 30), to="sthjj", dispatched=at(2026, 11, 9, 9, 35))
    _return(t6b, "sthjj", at(2026, 11, 9, 9, 40), "rejected")
    handling.sign(t6b, now=at(2026, 11, 9, 10), actor="s")
    record_contact(t6b, now=at(2026, 11, 9, 11), actor="s")
    reply.reply(t6b, text="已处理", now=at(2026, 11, 10, 16), actor="s")
    # T7: returned by 生态环境局 (成立), then 民政局 contacts late, replies; callback late, 满意, 是否解决 not asked
    t7 = new(at(2026, 11, 10, 9), "inquiry", to="sthjj", dispatched=at(2026, 11, 10, 9, 5))
    _return(t7, "sthjj", at(2026, 11, 10, 9, 20), "upheld")
    intake.dispatch(t7, dep("mzj"), now=at(2026, 11, 10, 10), actor="op")
    handling.sign(t7, now=at(2026, 11, 10, 10, 30), actor="m")
    record_contact(t7, now=at(2026, 11, 12, 9), actor="m")
    reply.reply(t7, text="已答复", now=at(2026, 11, 12, 10), actor="m")
    callback.record_callback(t7, reached=True, satisfaction="satisfied", now=at(2026, 11, 18, 9), actor="op")
    # T8 → 民政局, merged into T3: left out
    t8 = new(at(2026, 11, 11, 9), "help", "020201", to="mzj", dispatched=at(2026, 11, 11, 9, 5))
    callback.merge(t3, [t8], now=at(2026, 11, 11, 9, 30), actor="op")
    # T9 → 民政局, then closed 不予受理 (another helper's flow; here set directly): left out, open clocks too
    t9 = new(at(2026, 11, 12, 9), to="mzj", dispatched=at(2026, 11, 12, 9, 5))
    t9.status, t9.close_reason, t9.closed_at = "closed", "not_accepted", at(2026, 11, 12, 10)
    db.session.commit()
    # a pending return of 民政局 on T3, which it still leads (one dispatched ticket, not two)
    db.session.add(Return(ticket_id=t3.id, department_id=dep("mzj").id, reason="请求改派", requested_at=at(2026, 11, 4, 10)))
    # T10: received in December: another month
    t10 = new(at(2026, 12, 1, 9), to="sthjj", dispatched=at(2026, 12, 1, 9, 5))
    # T11 → 民政局, not signed in its two working hours, then transferred to 122: the late sign-for counts
    t11 = new(at(2026, 11, 13, 9), to="mzj", dispatched=at(2026, 11, 13, 9, 5))
    intake.transfer_emergency(t11, to="122", now=at(2026, 11, 13, 14), actor="op")
    # 督办单: overdue without feedback; on time; late; not yet due; issued in December; on a merged ticket
    _order(t3, "mzj", at(2026, 11, 12, 9))
    _order(t2, "sthjj", at(2026, 11, 5, 9), feedback_at=at(2026, 11, 5, 15), on_time=True)
    _order(t6, "zjj", at(2026, 11, 20, 9), feedback_at=at(2026, 11, 27, 9), on_time=False)
    _order(t7, "mzj", at(2026, 11, 30, 9), hours=60)
    _order(t1, "sthjj", at(2026, 12, 1, 9))
    _order(t8, "mzj", at(2026, 11, 11, 9, 10))
    db.session.commit()
    return [t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t6b, t11]


# ---- the expected figures, with plain Python over the raw rows -------------------------------------------

def _utc(value):
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _late(c):
    return c.state in OPEN and _utc(c.due_at) < NOW


def _clock_rate(clocks, reason=None):
    """[in time, counted]: stopped clocks (by `reason`, if given) and open ones past due."""
    num = den = 0
    for c in clocks:
        if c.state == "stopped" and (reason is None or c.stop_reason == reason):
            den, num = den + 1, num + (1 if c.on_time else 0)
        elif c.state == "stopped" and c.stop_reason == "transferred" and not c.on_time:
            den += 1  # taken from the department by a transfer when already late: late stays late
        elif _late(c):
            den += 1
    return [num, den]


def expected():
    tickets = [t for t in Ticket.query.all() if LO <= _utc(t.received_at) < HI and (
        (t.merged_into_id is None and t.transferred_to is None
         and t.close_reason not in ("not_accepted", "referred_disclosure"))
        # left-out tickets stay in when a department's late step was counted before they left (T11)
        or any(not c.on_time for name in ("sign_for", "handling", "first_contact")
               for c in Clock.query.filter_by(entity_kind="ticket", entity_id=str(t.id), name=name, state="stopped"))
        or t.sign_verdicts)]
    ids = {t.id for t in tickets}
    clocks = {}
    for c in Clock.query.filter_by(entity_kind="ticket").all():
        clocks.setdefault((int(c.entity_id), c.name), []).append(c)
    out = {}

    def row(d):
        return out.setdefault(d, {k: [0, 0] for k in MEASURES} | {"rejected": 0, "pairs": set()})

    def add(d, key, pair):
        row(d)[key][0] += pair[0]
        row(d)[key][1] += pair[1]

    for t in tickets:
        d = t.department_id
        for key, name, reason in (("contact", "first_contact", "contacted"), ("sign_on_time", "sign_for", "signed"),
                                  ("done_on_time", "handling", "replied"), ("callback_on_time", "callback", None)):
            add(d, key, _clock_rate(clocks.get((t.id, name), []), reason))
        reached = [a for a in CallbackAttempt.query.filter_by(ticket_id=t.id).all() if a.reached]
        add(d, "resolved", [sum(1 for a in reached if a.resolved is True),
                            sum(1 for a in reached if a.resolved is not None)])
        add(d, "satisfaction", [sum(1 for a in reached if a.satisfaction in ("satisfied", "basic")),
                                sum(1 for a in reached if a.satisfaction)])
        answered = t.replied_at is not None or t.direct or t.reopen_count > 0
        add(d, "reopen", [1 if t.reopen_count > 0 and answered else 0, 1 if answered else 0])
        if d is not None and t.dispatched_at is not None:
            row(d)["pairs"].add(t.id)
    for r in Return.query.all():
        if r.ticket_id in ids:
            row(r.department_id)["pairs"].add(r.ticket_id)
            row(r.department_id)["returns"][0] += 1
            row(r.department_id)["returns_rejected"][0] += r.decision == "rejected"
            row(r.department_id)["rejected"] += r.decision == "rejected"
    for d, r in out.items():
        r["returns"][1] = r["returns_rejected"][1] = len(r["pairs"])
    excluded = {t.id for t in Ticket.query.all() if t.merged_into_id or t.transferred_to
                or t.close_reason in ("not_accepted", "referred_disclosure")}
    for o in SupervisionOrder.query.all():
        if not (LO <= _utc(o.issued_at) < HI) or o.ticket_id in excluded:
            continue
        if o.feedback_at is not None:
            add(o.department_id, "supervision", [1 if o.feedback_on_time else 0, 1])
        elif any(_late(c) for c in Clock.query.filter_by(entity_kind="supervision_order", entity_id=str(o.id),
                                                         name="supervision_feedback")):
            add(o.department_id, "supervision", [0, 1])
    return out


def _pairs(rates):
    return {k: [r.numerator, r.denominator] for k, r in rates.items()}


def test_every_measure_recomputed_from_the_rows(month):
    a = assess(date(2026, 11, 1), date(2026, 11, 30), now=NOW, min_sample=1)
    exp = expected()
    got = {r.department_id: r for r in a.ranked + a.not_ranked}
    assert set(got) == {d for d in exp if d is not None}
    for d, r in got.items():
        assert _pairs(r.rates) == {k: exp[d][k] for k in MEASURES}, db.session.get(Department, d).code
        assert r.sample == len(exp[d]["pairs"]) and r.rejected_returns == exp[d]["rejected"]
    total = {k: [0, 0] for k in MEASURES}
    for r in exp.values():
        for k in MEASURES:
            total[k] = [total[k][0] + r[k][0], total[k][1] + r[k][1]]
    assert _pairs(a.total) == total
    # a few figures by hand, so that the recount above cannot agree with the code by both being empty
    s, m, z = (_pairs(got[dep(c).id].rates) for c in ("sthjj", "mzj", "zjj"))
    assert s["contact"] == [2, 4]  # T1, T6b in time; T2 late (stopped by the reply), T2's second dispatch overdue
    assert s["resolved"] == [1, 2] and s["satisfaction"] == [1, 2]  # T1 已解决 满意, T2 未解决 不满意
    assert s["returns"] == [3, 5] and s["returns_rejected"] == [1, 5]  # T6, T7 成立, T6b 不成立; T1, T2, T6b led
    assert s["supervision"] == [1, 1] and s["reopen"] == [1, 3]  # T2 reopened; T1, T2, T6b answered
    assert m["contact"] == [0, 2] and m["supervision"] == [0, 1]  # T3 overdue, T7 late; T3's order overdue
    assert m["returns"] == [1, 3] and m["returns_rejected"] == [0, 3]  # the pending return on T3 it leads
    assert m["sign_on_time"] == [1, 3]  # T7 in time; T3 open and overdue; T11 late before its transfer
    assert m["resolved"] == [0, 0] and m["callback_on_time"] == [0, 1]  # T7: resolved not asked; called late
    assert z["contact"] == [1, 1] and z["callback_on_time"] == [0, 1] and z["supervision"] == [0, 1]
    assert a.total["resolved"].numerator == 2 and a.total["resolved"].denominator == 3  # T1, T4 of T1, T2, T4


def _score(rates, rejected, weights, penalty):
    used = [(w, (1 - rates[k][0] / rates[k][1]) if k in ("returns", "returns_rejected", "reopen")
             else rates[k][0] / rates[k][1]) for k, w in weights.items() if w and rates[k][1]]
    if not used:
        return None
    return max(0.0, round(100 * sum(w * v for w, v in used) / sum(w for w, _ in used) - penalty * rejected, 2))


def test_score_and_ranking(month):
    weights = weights_from("contact=10,resolved=45,satisfaction=45")
    a = assess(date(2026, 11, 1), date(2026, 11, 30), now=NOW, weights=weights, min_sample=2, penalty=1)
    exp = expected()
    rows = {r.department_id: r for r in a.ranked + a.not_ranked}
    for d, r in rows.items():
        assert r.score == _score(exp[d], exp[d]["rejected"], weights, 1)
    # 生态环境局: 响应率 2/4 (T1 and T6b in time; T2 late, its second dispatch overdue), 解决率 1/2, 满意率 1/2:
    # (10 × 1/2 + 45 × 1/2 + 45 × 1/2) / 100 × 100 − 1 (one 退单不成立, T6b) = 50 − 1 = 49
    assert rows[dep("sthjj").id].score == pytest.approx(49.0)
    # 民政局: 响应率 0/2, 解决率 none, 满意率 1/1: (10 × 0 + 45 × 1) / 55 × 100
    assert rows[dep("mzj").id].score == pytest.approx(81.82)
    assert [(r.department_id, r.rank) for r in a.ranked] == [(dep("mzj").id, 1), (dep("sthjj").id, 2)]
    assert [(r.department_id, r.sample) for r in a.not_ranked] == [(dep("zjj").id, 1)]  # below 2
    # another split: 退单不成立率 and 督办反馈及时率 count, 1 − rate for the first
    other = weights_from("returns_rejected=50,supervision=50")
    b = assess(date(2026, 11, 1), date(2026, 11, 30), now=NOW, weights=other, min_sample=1, penalty=0)
    assert {r.department_id: r.score for r in b.ranked} == {
        d: _score(exp[d], exp[d]["rejected"], other, 0) for d in rows}
    assert score({k: rows[dep("zjj").id].rates[k] for k in MEASURES}, 0, {"resolved": 1}, 0) is None


def test_weights_and_month_are_checked(app):
    for bad in ("speed=10", "contact=-1", "contact=0", "contact=x"):
        with pytest.raises(ValueError):
            weights_from(bad)
    assert month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    for bad in ("2026-13", "26-11", "2026-11-01", "9999-01", "２０２６-11", ""):
        with pytest.raises(Exception, match="YYYY-MM"):
            month_bounds(bad)


def _pdf_text(data):
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_dashboard_xlsx_and_pdf_for_oversight(client, as_role, month, app):
    app.config["HOTLINE_ASSESSMENT_MIN_SAMPLE"] = 2
    as_role("supervisor")
    with pinned(app, NOW.astimezone(timezone.utc)):
        body = client.get("/reports/hotline.json?from=2026-11-01&to=2026-11-30").get_json()
        html = client.get("/reports/hotline?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
        pdf = client.get("/reports/hotline/assessment.pdf?month=2026-11")
        bad = [client.get(f"/reports/hotline/assessment.pdf?month={m}") for m in ("2026-13", "x\x00", "9" * 40)]
        early = client.get("/reports/hotline/assessment.pdf?month=2026-12")  # on 12-03: the month is not over
    assert "尚未结束" in _pdf_text(early.data) and "尚未结束" not in _pdf_text(pdf.data)
    a = body["assessment"]
    assert [(r["department"], r["rank"], r["score"]) for r in a["rows"]] == [
        (dep("mzj").name, 1, 81.82), (dep("sthjj").name, 2, 49.0)]
    assert a["rows"][1]["rates"]["contact"] == {"numerator": 2, "denominator": 4, "value": 0.5}
    assert [r["department"] for r in a["not_ranked"]] == [dep("zjj").name]
    assert {m["key"]: m["weight"] for m in a["measures"] if m["weight"]} == {"contact": 10, "resolved": 45,
                                                                           "satisfaction": 45}
    assert "综合考核" in html and "81.82" in html and "响应率" in html and "assessment.pdf" in html
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    for needle in ("12345热线承办单位考核报告（2026年11月）", "2026-11-01至2026-11-30", "国办发〔2020〕53号", "响应率",
                   "督办反馈及时率", "权重", dep("mzj").name, "81.82", "49.00", "50.0%", "2/4", "12345政务服务便民热线工作机构", "派单不足2件", "不排名"):
        assert needle.replace(" ", "") in text, needle
    assert all(r.status_code == 400 for r in bad)
    assert "YYYY-MM" in bad[0].get_data(as_text=True)
    from reports import hotline_export
    from reports.presenter import hotline
    with app.test_request_context():
        data = hotline(date(2026, 11, 1), date(2026, 11, 30), NOW)
    ws = load_workbook(io.BytesIO(hotline_export.xlsx_bytes(data)))["综合考核"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[2][:3] == [1, dep("mzj").name, 3] and values[2][-1] == 81.82
    assert values[3][3:6] == [2, 4, 0.5] and values[3][-2:] == [1, 49.0]  # 生态环境局: 响应率, 退单不成立, 得分
    assert values[4][0] == "未排名"


def test_department_staff_get_their_own_row_only(client, as_role, month, app):
    as_role("staff", "mzj")
    with pinned(app, NOW.astimezone(timezone.utc)):
        body = client.get("/reports/hotline.json?from=2026-11-01&to=2026-11-30").get_json()
        pdf = client.get("/reports/hotline/assessment.pdf?month=2026-11")
    a = body["assessment"]
    assert a["rows"] == [] and [r["department"] for r in a["not_ranked"]] == [dep("mzj").name]
    assert a["not_ranked"][0]["rank"] is None and a["total"] is None
    text = _pdf_text(pdf.data)
    assert dep("mzj").name in text and dep("sthjj").name not in text and "49.00" not in text


def test_refused_to_others(client, as_role, month):
    as_role("operator")
    assert client.get("/reports/hotline/assessment.pdf?month=2026-11").status_code == 403


def test_default_month_is_last_month(client, as_role, month, app):
    as_role("admin")
    with pinned(app, NOW.astimezone(timezone.utc)):
        r = client.get("/reports/hotline/assessment.pdf")
    assert r.status_code == 200 and "hotline-assessment-2026-11.pdf" in r.headers["Content-Disposition"]


def test_wrong_weights_refuse_to_start():
    from app import create_app
    from config import TestingConfig

    class Wrong(TestingConfig):
        HOTLINE_ASSESSMENT_WEIGHTS = "contact=10,speed=90"
    with pytest.raises(ValueError, match="speed"):
        create_app(Wrong)
