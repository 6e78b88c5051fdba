"""The staff page names a recorded decision on a lapsed period from requests_module/lapses.py
(DECISION_LABELS: 逾期接受, 视为放弃) — the same text as the inline dict it replaces (issue 17 item 4)."""
from datetime import date

from requests_module import handling, lapses
from tests.conftest import login, make_user
from tests.requests.helpers import deliver, noon, received


def test_decision_labels():
    assert lapses.DECISION_LABELS == {"abandoned": "视为放弃", "late_accepted": "逾期接受"}


def test_staff_page_names_a_late_acceptance(app, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=35, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    deliver(req, "fee_notice", date(2026, 11, 4))
    handling.record_payment(req, on=date(2026, 12, 3), now=noon(date(2026, 12, 3)), actor="t",
                            late_reason="申请人住院，提供了住院证明")
    client = app.test_client()
    login(client, "s@x.cn")
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert '<div class="small">逾期接受：申请人住院，提供了住院证明（' in page
