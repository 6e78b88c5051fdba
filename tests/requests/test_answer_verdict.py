"""The answer clock's frozen verdict kept on the application (answer_on_time, issue 19 item 6): after every way
an answer clock stops — a reply issued directly or signed off, a late reply, 不予处理 at intake, 视为放弃 by the
sweep or by a staff decision (条例 Art. 30; 国办函〔2020〕109号), an extension voided after the reply (Art. 33
para. 2) — the stored verdict equals a recount from the clocks. Calendar: 2026-11-02 is a Monday; 20 working
days from it end on 2026-11-30."""
from datetime import date

from core.clocks.models import Clock
from core.extensions import db
from requests_module import handling, intake, lapses, reply
from requests_module.common import ENTITY
from requests_module.models import DisclosureRequest
from tests.conftest import at, make_user
from tests.requests.helpers import DISCLOSED, GUIDANCE, deliver, noon, received


def _recount():
    """{application id: the newest answer clock's frozen verdict}, read from the clocks (None: no clock)."""
    newest: dict[int, Clock] = {}
    for c in Clock.query.filter_by(entity_kind=ENTITY, name="answer").order_by(Clock.id):
        newest[int(c.entity_id)] = c
    return {r.id: (newest[r.id].on_time if r.id in newest else None) for r in DisclosureRequest.query}


def _stored():
    db.session.expire_all()
    return {r.id: r.answer_on_time for r in DisclosureRequest.query}


def test_the_stored_verdict_equals_the_clocks_after_every_way_the_answer_clock_stops(seeded):
    clerk = make_user("staff", "s@x.cn", department="zfb")  # the 公开办's clerk issues the government's reply
    drafter = make_user("staff", "m@x.cn", department="mzj")
    head = make_user("approver", "h@x.cn", department="zfb")
    cases = {}

    def issue(req, on, actor=clerk):
        reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=on, now=noon(on), actor=actor)
        return req

    cases["in time"] = issue(received(date(2026, 11, 2)), date(2026, 11, 9))
    cases["late"] = issue(received(date(2026, 9, 1)), date(2026, 11, 10))
    signed = issue(received(date(2026, 11, 3)), date(2026, 11, 12), actor=drafter)  # a draft: not yet a reply
    assert signed.closed_at is None and signed.answer_on_time is None
    reply.sign_off(signed, approve=True, now=noon(date(2026, 11, 12)), actor=head)
    cases["signed off"] = signed

    rejected = received(date(2026, 11, 4), dep=None)
    intake.reject(rejected, outcome="not_processed_repeat", message="重复申请，已于2026年10月答复。",
                  on=date(2026, 11, 5), now=noon(date(2026, 11, 5)), actor="test")
    cases["不予处理 at intake"] = rejected

    abandoned = received(date(2026, 9, 28))
    handling.send_correction_notice(abandoned, guidance=GUIDANCE, items="x", on=date(2026, 10, 8),
                                    now=noon(date(2026, 10, 8)), actor="t")
    deliver(abandoned, "correction_notice", date(2026, 10, 8))
    assert lapses.expire_unanswered(at(2026, 10, 22, 0, 1)) == 1
    cases["视为放弃 by the sweep"] = abandoned

    unpaid = received(date(2026, 11, 2))
    handling.fee_notice(unpaid, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    deliver(unpaid, "fee_notice", date(2026, 11, 4))
    lapses.decide_abandoned(unpaid, reason="申请人未缴费，电话联系未果", now=noon(date(2026, 12, 3)), actor=head)
    cases["视为放弃 by a decision"] = unpaid

    voided = received(date(2026, 11, 2))
    handling.extend(voided, days=10, reason="需调取历年档案", on=date(2026, 11, 20), now=noon(date(2026, 11, 20)),
                    actor=head)
    issue(voided, date(2026, 11, 25))
    deliver(voided, "extension_notice", date(2026, 12, 1))  # voids the extension after the reply: verdict taken again
    cases["extension voided after the reply"] = voided

    cases["open"] = received(date(2026, 11, 20))
    db.session.expire_all()
    assert [k for k, r in cases.items() if r.status != "closed"] == ["open"]
    stored, recount = _stored(), _recount()
    assert stored == recount
    assert {k: stored[r.id] for k, r in cases.items()} == {
        "in time": True, "late": False, "signed off": True, "不予处理 at intake": True, "视为放弃 by the sweep": True,
        "视为放弃 by a decision": True, "extension voided after the reply": True, "open": None}
