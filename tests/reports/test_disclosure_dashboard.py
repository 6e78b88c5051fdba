"""The disclosure dashboard from applications taken through the real workflow: open work by department
and urgency at `now`, average days to reply, replies in time, extensions, corrections, outcomes by month."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.clocks.models import Clock
from core.clocks.service import urgency_of
from core.departments.models import Department
from core.extensions import db
from reports.disclosure_dashboard import dashboard, open_work
from requests_module import handling
from requests_module import reply as request_reply
from requests_module.common import ENTITY
from requests_module.models import DisclosureRequest
from tests.conftest import at, make_user
from tests.requests.helpers import GUIDANCE, answer_fields, deliver, noon, received

NOW = at(2026, 11, 27, 10)
GROUND = {"legal_ground": "《政府信息公开条例》第十四条"}


def _answer_clock(req):
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(req.id), name="answer")
            .order_by(Clock.id.desc()).first())


@pytest.fixture
def work(seeded):
    staff = make_user("staff", "s@x.cn", department="mzj")
    head = make_user("approver", "h@x.cn", department="zfb")  # received by the government: 区政府办's head extends

    def reply(req, outcome, on, **kw):
        """民政局 drafts the government's letter, 区政府办's head signs it off the same day (条例 Art. 4, 36)."""
        request_reply.reply(req, outcome=outcome, text="答复如下。", on=on, now=noon(on), actor=staff,
                            **answer_fields(outcome), **kw)
        request_reply.sign_off(req, approve=True, now=noon(on), actor=head)

    # replied in the period 2026-10-01 … 2026-11-30
    reply(received(date(2026, 11, 2)), "disclosed", date(2026, 11, 9))  # 7 days, in time
    extended = received(date(2026, 10, 9))
    handling.extend(extended, days=15, reason="需要调取档案", on=date(2026, 10, 30), now=noon(date(2026, 10, 30)),
                    actor=head)
    deliver(extended, "extension_notice", date(2026, 10, 30))  # told in time: the extension holds (Art. 33 para. 2)
    reply(extended, "partly_disclosed", date(2026, 11, 20), **GROUND)  # 42 days, in time after the extension
    corrected = received(date(2026, 11, 3))
    handling.send_correction_notice(corrected, guidance=GUIDANCE, items="请说明所需信息的年份", on=date(2026, 11, 4),
                                    now=noon(date(2026, 11, 4)), actor=staff)
    handling.receive_correction(corrected, text="2025年", on=date(2026, 11, 6), now=noon(date(2026, 11, 6)),
                                actor=staff)
    reply(corrected, "withheld_state_secret", date(2026, 11, 13), **GROUND)  # 10 days
    reply(received(date(2026, 10, 9)), "not_processed_repeat", date(2026, 10, 15))  # 6 days
    reply(received(date(2026, 9, 1)), "disclosed", date(2026, 11, 10))  # 70 days, late
    reply(received(date(2026, 9, 2)), "disclosed", date(2026, 9, 20))  # before the period
    # open at NOW
    long_overdue = received(date(2026, 9, 7))
    fresh = received(date(2026, 11, 26))
    paused = received(date(2026, 11, 24))
    handling.send_correction_notice(paused, guidance=GUIDANCE, items="请补充身份证明", on=date(2026, 11, 25),
                                    now=noon(date(2026, 11, 25)), actor=staff)
    # due soon: the receipt day whose answer clock is in its warning days at NOW
    for back in range(20, 45):
        candidate = received(date(2026, 11, 27) - timedelta(days=back), dep="zjj")
        if urgency_of(_answer_clock(candidate), NOW).value == "due_soon":
            break
    unassigned = received(date(2026, 11, 25), dep=None)
    return {"long_overdue": long_overdue, "fresh": fresh, "paused": paused, "unassigned": unassigned}


def _dept(code):
    return Department.query.filter_by(code=code).one().id


def test_replies_of_a_period(work):
    d = dashboard(date(2026, 10, 1), date(2026, 11, 30), now=NOW)
    assert d.replied == 5
    assert d.avg_days == pytest.approx((7 + 42 + 10 + 6 + 70) / 5)
    assert (d.on_time.numerator, d.on_time.denominator) == (4, 5)  # the September one replied late
    assert (d.extended.numerator, d.extended.denominator) == (1, 5)
    assert (d.corrected.numerator, d.corrected.denominator) == (1, 5)
    assert d.by_month["2026-10"]["不予处理"] == 1 and sum(d.by_month["2026-10"].values()) == 1
    assert d.by_month["2026-11"] == {"予以公开": 2, "部分公开": 1, "不予公开": 1, "无法提供": 0, "不予处理": 0,
                                     "其他处理": 0}
    assert "2026-09" not in d.by_month


def _verdicts_from_clocks(start, end, department_id=None):
    """The raw reference (the dashboard's computation before issue 19 item 6): (in time, judged) of the period's
    issued replies, each judged by the frozen verdict of its newest answer clock, read from the clocks."""
    c = sa.orm.aliased(Clock)
    newest = (sa.select(sa.func.max(c.id)).where(c.entity_kind == ENTITY, c.name == "answer",
                                                  c.entity_id == sa.cast(DisclosureRequest.id, sa.String))
              .correlate(DisclosureRequest).scalar_subquery())
    conds = [DisclosureRequest.replied_on.between(start, end), DisclosureRequest.outcome.is_not(None),
             DisclosureRequest.closed_at.is_not(None)]
    if department_id is not None:
        conds.append(DisclosureRequest.department_id == department_id)
    stmt = (sa.select(Clock.on_time).select_from(DisclosureRequest)
            .outerjoin(Clock, Clock.id == newest).where(*conds))
    verdicts = [v for (v,) in db.session.execute(stmt)]
    return sum(1 for v in verdicts if v is True), sum(1 for v in verdicts if v is not None)


@pytest.mark.parametrize("start", [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 10)])
def test_on_time_equals_the_verdicts_read_from_the_clocks(work, start):
    """按期答复率 from the verdicts kept on the applications equals the recount from the answer clocks."""
    for dept in (None, _dept("mzj"), _dept("zjj")):
        d = dashboard(start, date(2026, 11, 30), now=NOW, department_id=dept)
        assert (d.on_time.numerator, d.on_time.denominator) == _verdicts_from_clocks(start, date(2026, 11, 30), dept)
    assert _verdicts_from_clocks(date(2026, 9, 1), date(2026, 11, 30)) == (5, 6)  # the reference sees the late one


def test_open_work_by_department_and_urgency(work):
    by_dept = open_work(NOW)
    mzj = by_dept[_dept("mzj")]
    assert mzj.get("overdue") == 1  # received in September, never answered
    assert mzj.get("normal") == 2  # received yesterday, and the paused one (补正) counts as 正常
    assert by_dept[_dept("zjj")].get("due_soon", 0) == 1 and "overdue" not in by_dept[_dept("zjj")]
    assert by_dept[None] == {"normal": 1}  # not yet assigned
    # SQL and urgency_of agree application by application
    for req in work.values():
        clock = _answer_clock(req)
        expected = urgency_of(clock, NOW).value if clock else "normal"
        assert by_dept[req.department_id].get(expected, 0) >= 1
    # later, the fresh one is overdue as well (urgency is computed at `now`, never stored)
    later = open_work(NOW + timedelta(days=60), department_id=_dept("mzj"))
    assert later[_dept("mzj")].get("overdue") == 2 and set(later) == {_dept("mzj")}


def test_department_scope(work):
    d = dashboard(date(2026, 10, 1), date(2026, 11, 30), now=NOW, department_id=_dept("zjj"))
    assert d.replied == 0 and d.avg_days is None and d.on_time.value is None
    from requests_module.models import DisclosureRequest
    zjj_open = DisclosureRequest.query.filter(DisclosureRequest.department_id == _dept("zjj"),
                                              DisclosureRequest.status != "closed").count()
    # the receipt days tried before the due-soon one are still 正常
    assert set(d.open_work) == {_dept("zjj")}
    assert d.open_total == {"normal": zjj_open - 1, "due_soon": 1, "overdue": 0}


def test_dashboard_page_and_json(client, as_role, work):
    as_role("supervisor")
    body = client.get("/reports/disclosure/dashboard.json?from=2026-10-01&to=2026-11-30").get_json()
    assert body["replied"] == 5 and body["avg_days"] == 27.0
    assert body["rates"]["on_time"] == {"label": "按期答复率", "numerator": 4, "denominator": 5, "value": 0.8}
    assert {"month": "2026-10", "予以公开": 0, "部分公开": 0, "不予公开": 0, "无法提供": 0, "不予处理": 1,
            "其他处理": 0, "total": 1} in body["by_month"]
    unassigned = next(r for r in body["open"] if r["department"] == "未分派")
    assert unassigned == {"department": "未分派", "normal": 1, "due_soon": 0, "overdue": 0, "total": 1}
    html = client.get("/reports/disclosure/dashboard?from=2026-10-01&to=2026-11-30").get_data(as_text=True)
    assert "按期答复率" in html and "80.0%" in html and "27.0 天" in html and "未分派" in html
    assert 'type="application/json" id="disclosure-data"' in html and "<script>" not in html
    assert client.get("/reports/disclosure/dashboard?from=2026-11-30&to=2026-10-01").status_code == 400
    assert client.get("/reports/disclosure/dashboard?from=2025-01-01&to=2026-11-30").status_code == 400  # > 1 year


def test_department_staff_see_their_own(client, as_role, work):
    as_role("staff", "zjj")
    body = client.get("/reports/disclosure/dashboard.json?from=2026-10-01&to=2026-11-30").get_json()
    assert body["department"] == Department.query.filter_by(code="zjj").one().name
    assert [r["department"] for r in body["open"]] == [body["department"]] and body["replied"] == 0
