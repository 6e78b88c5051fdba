"""A ticket whose caller left no phone and never rated online is closed as 无联系电话 (hotline/no_contact.py):
nobody could call back, so neither 回访率 nor 回访及时率 counts it — recounted here by hand for one month."""
from datetime import date

from core.departments.models import Department
from hotline import callback, handling, intake, no_contact, reply
from hotline.seed import seed_categories
from reports.hotline_assessment import assess
from reports.hotline_measures import measures
from tests.conftest import at

NOW = at(2026, 12, 10, 9)


def _answered(received, phone):
    t = intake.create_ticket({"type": "inquiry", "category_code": "030101", "caller_phone": phone,
                              "content": "咨询噪声投诉渠道", "address": "亭湖区某路"}, channel="web",
                             received_at=received, now=received, actor="公众")
    intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=received.replace(minute=10), actor="op")
    handling.sign(t, now=received.replace(minute=20), actor="s")
    reply.reply(t, text="已答复", now=received.replace(minute=40), actor="s")
    return t


def test_no_contact_closing_is_no_callback_verdict(seeded):
    seed_categories()
    reached = _answered(at(2026, 11, 16, 9), "13800001111")
    callback.record_callback(reached, reached=True, resolved=True, satisfaction="satisfied",
                             now=at(2026, 11, 17, 9), actor="op")
    silent = _answered(at(2026, 11, 16, 10), None)
    no_contact.close_no_contact(silent, now=at(2026, 11, 25, 9), actor="op")  # callback period long over
    assert (silent.status, silent.close_reason) == ("closed", "no_contact")

    rates = measures(date(2026, 11, 1), date(2026, 11, 30), now=NOW).rates
    # by hand: two answered tickets, one could be called back and was reached
    assert (rates["callback"].numerator, rates["callback"].denominator) == (1, 1)
    dep = Department.query.filter_by(code="sthjj").one()
    result = assess(date(2026, 11, 1), date(2026, 11, 30), now=NOW)
    row = next(r for r in result.ranked + result.not_ranked if r.department_id == dep.id)
    # the reached ticket's callback clock stopped in time; the no-phone one's is no verdict at all
    assert (row.rates["callback_on_time"].numerator, row.rates["callback_on_time"].denominator) == (1, 1)
