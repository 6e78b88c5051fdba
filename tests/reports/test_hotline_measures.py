"""Every hotline measure against hand-computed values, from tickets taken through the real flows
in the week of 2026-11-16 and read at 2026-11-27 10:00 (so open work past its due time is overdue)."""
from datetime import date

import pytest

from hotline import callback, handling, intake, reply, returns
from reports.hotline_measures import department_ranking, measures, rising_categories
from tests.conftest import at
from tests.reports.hotline_helpers import catalogue_and_supervisor, dep, new

NOW = at(2026, 11, 27, 10)


@pytest.fixture
def week(seeded):
    sup = catalogue_and_supervisor()
    # T1: signed in time, replied in time, callback 满意
    t1 = new(at(2026, 11, 16, 9), to="sthjj", dispatched=at(2026, 11, 16, 9, 10))
    handling.sign(t1, now=at(2026, 11, 16, 9, 30), actor="s")
    reply.reply(t1, text="已处理", now=at(2026, 11, 17, 10), actor="s")
    callback.record_callback(t1, reached=True, satisfaction="satisfied", now=at(2026, 11, 18, 9), actor="op")
    # T2: signed late (due 13:35), replied in time, 不满意, reopened and waiting for dispatch
    t2 = new(at(2026, 11, 16, 10), "inquiry", to="sthjj", dispatched=at(2026, 11, 16, 10, 5))
    handling.sign(t2, now=at(2026, 11, 16, 14, 30), actor="s")
    reply.reply(t2, text="已答复", now=at(2026, 11, 17, 11), actor="s")
    callback.record_callback(t2, reached=True, satisfaction="unsatisfied", now=at(2026, 11, 18, 9), actor="op")
    callback.review(t2, reopen=True, reason="答复不完整", now=at(2026, 11, 18, 14), actor=sup)
    # T3: dispatched, never signed: sign-for and handling both overdue at NOW
    t3 = new(at(2026, 11, 17, 9), "help", "020201", to="mzj", dispatched=at(2026, 11, 17, 9, 5))
    # T4: answered directly from the knowledge base, callback 基本满意
    t4 = new(at(2026, 11, 18, 9), "inquiry", "020201")
    intake.direct_close(t4, answer="按知识库答复", now=at(2026, 11, 18, 9, 10), actor="op")
    callback.record_callback(t4, reached=True, satisfaction="basic", now=at(2026, 11, 19, 9), actor="op")
    # T5: an emergency transferred to 110: in the volume, not in the rates
    t5 = new(at(2026, 11, 19, 9))
    intake.transfer_emergency(t5, to="110", now=at(2026, 11, 19, 9, 2), actor="op")
    # T6: returned by the wrong department, re-dispatched, signed in time, handling not yet due
    t6 = new(at(2026, 11, 20, 9), to="sthjj", dispatched=at(2026, 11, 20, 9, 5))
    returns.request_return(t6, reason="不属本部门", now=at(2026, 11, 20, 9, 30), actor="s")
    from hotline.returns import review_return
    review_return(t6, upheld=True, note="", now=at(2026, 11, 20, 9, 45), actor="op")  # the centre upholds it
    intake.dispatch(t6, dep("zjj"), now=at(2026, 11, 20, 10), actor="op")
    handling.sign(t6, now=at(2026, 11, 20, 10, 20), actor="z")
    # outside the period
    new(at(2026, 11, 23, 9))
    return t1, t2, t3, t4, t5, t6


def test_every_measure(week):
    m = measures(date(2026, 11, 16), date(2026, 11, 22), now=NOW)
    assert m.received == 6
    rates = {k: (r.numerator, r.denominator) for k, r in m.rates.items()}
    assert rates == {
        "sign_on_time": (2, 4),   # T1, T6 (second dispatch) in time; T2 late; T3 open and overdue; T6's first returned
        "done_on_time": (2, 3),   # T1, T2 replied in time; T3 open and overdue; T6 not yet due
        "callback": (3, 3),       # T1, T2 (answered, then reopened), T4
        "satisfaction": (2, 3),   # 满意 T1 + 基本满意 T4 over three reached callbacks (T2 不满意)
        "reopen": (1, 3),         # T2 over the three answered tickets
        "direct": (1, 5),         # T4 over the five tickets in the rates (T5 transferred)
    }
    # receipt to reply: T1 25 h, T4 10 min (T2's reply was cleared by the reopen)
    assert m.avg_handling_hours == pytest.approx((25 + 10 / 60) / 2)
    assert m.by_day == {date(2026, 11, 16): 2, date(2026, 11, 17): 1, date(2026, 11, 18): 1, date(2026, 11, 19): 1,
                        date(2026, 11, 20): 1}
    assert m.by_type == {"complaint": 3, "inquiry": 2, "help": 1}
    assert m.by_channel == {"phone": 6}
    assert m.by_category == {"03": 4, "02": 2}
    assert m.by_department == {dep("sthjj").id: 2, dep("mzj").id: 1, dep("zjj").id: 1, None: 2}


def test_overdue_depends_on_now(week):
    early = measures(date(2026, 11, 16), date(2026, 11, 22), now=at(2026, 11, 17, 10))
    # at 11-17 10:00 T3's sign-for (due 11-17 11:05) is not yet late, T1 and T2 were replied later
    assert (early.rates["sign_on_time"].numerator, early.rates["sign_on_time"].denominator) == (2, 3)


def test_department_ranking_with_minimum_sample(week):
    ranked, too_small = department_ranking(date(2026, 11, 16), date(2026, 11, 22), now=NOW, min_sample=2)
    assert [d for d, _n, _m in ranked] == [dep("sthjj").id]
    assert ranked[0][2].rates["done_on_time"].value == 1.0
    assert too_small == sorted([(dep("mzj").id, 1), (dep("zjj").id, 1)])


def test_rising_categories(week):
    for day in (23, 24, 25):
        new(at(2026, 11, day, 9), "help", "020201")
    # week to 11-29: 03 × 1, 02 × 3; week before (11-16..22): 03 × 4, 02 × 2
    assert rising_categories(date(2026, 11, 29)) == [("02", 3, 2)]


def test_dashboard_page_and_json(client, as_role, week):
    as_role("supervisor")
    body = client.get("/reports/hotline.json?from=2026-11-16&to=2026-11-22").get_json()
    assert body["received"] == 6 and body["rates"]["sign_on_time"] == {
        "label": "按时签收率", "numerator": 2, "denominator": 4, "value": 0.5}
    assert body["by_type"] == [{"type": "complaint", "label": "投诉", "count": 3},
                               {"type": "help", "label": "求助", "count": 1},
                               {"type": "inquiry", "label": "咨询", "count": 2}]
    assert {"department": "未派单", "count": 2} in body["by_department"]
    html = client.get("/reports/hotline?from=2026-11-16&to=2026-11-22").get_data(as_text=True)
    assert "按时签收率" in html and "50.0%" in html and "2 / 4" in html and "chart.umd.min.js" in html
    assert "<script>" not in html  # charts come from a static file reading the JSON
    assert client.get("/reports/hotline?from=2026-11-22&to=2026-11-16").status_code == 400


def test_department_staff_see_their_department(client, as_role, week):
    as_role("staff", "sthjj")
    body = client.get("/reports/hotline.json?from=2026-11-16&to=2026-11-22").get_json()
    assert body["department"] == dep("sthjj").name and body["received"] == 2 and body["ranking"] == []


def test_ticket_verdict_counters_match_the_clocks(week):
    """The counters the reports read agree with a recount of the frozen clock verdicts."""
    from core.clocks.models import Clock
    from hotline.common import VERDICTS
    from hotline.models import Ticket
    t1, t2, t3, _t4, _t5, t6 = week
    for ticket in Ticket.query:
        for name, (reason, verdicts, in_time) in VERDICTS.items():
            stopped = Clock.query.filter_by(entity_kind="ticket", entity_id=str(ticket.id), name=name,
                                            state="stopped", stop_reason=reason).all()
            assert getattr(ticket, verdicts) == len(stopped), (ticket.id, name)
            assert getattr(ticket, in_time) == sum(1 for c in stopped if c.on_time), (ticket.id, name)
    assert (t1.sign_verdicts, t1.sign_in_time, t1.done_verdicts, t1.done_in_time) == (1, 1, 1, 1)
    assert (t2.sign_verdicts, t2.sign_in_time) == (1, 0)  # signed late
    assert (t3.sign_verdicts, t3.done_verdicts) == (0, 0)  # never signed: open, counted live when late
    assert (t6.sign_verdicts, t6.sign_in_time) == (1, 1)  # the returned dispatch's clock is no verdict
