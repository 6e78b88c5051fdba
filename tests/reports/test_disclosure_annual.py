"""Section 三 of the annual report from a known set of applications across the 2025/2026 boundary:
every cell checked, carried-over counts reconciled year to year."""
from datetime import date

import pytest

from core.departments.models import Department
from reports.disclosure_annual import COLUMNS, annual_table, rows
from requests_module import reply as request_reply
from tests.conftest import make_user
from tests.requests.helpers import answer_fields, noon, received

ORG = {"applicant_type": "org", "id_type": "uscc", "id_number": "91350100M000100Y43", "name": "某公司",
       "contact_person": "王经理"}
GROUND = {"legal_ground": "《政府信息公开条例》第十四条"}


def _close(req, outcome, on, staff, **kw):
    request_reply.reply(req, outcome=outcome, text="答复如下。", on=on, now=noon(on), actor=staff,
                        **answer_fields(outcome), **kw)


@pytest.fixture
def applications(seeded):
    # Applied for at the departments' own windows (each is the receiving organ and reports them), except the
    # last one, made to the district government (its 公开办 receives it).
    staff = make_user("staff", "s@x.cn", department="mzj")
    zstaff = make_user("staff", "z@x.cn", department="zjj")
    # received in 2025 and answered in 2025 — counted in 2025 only
    _close(received(date(2025, 3, 3), actor=staff), "disclosed", date(2025, 3, 20), staff)
    # received in 2025, answered in 2026 — carried over
    _close(received(date(2025, 12, 22), actor=staff), "partly_disclosed", date(2026, 1, 9), staff, **GROUND)
    _close(received(date(2025, 12, 29), actor=staff, **ORG, org_type="commercial"), "unavailable_not_held",
           date(2026, 1, 16), staff, not_held_basis="not_ours", not_ours_reason="该规划信息由市自然资源局制作",
           holder_organ="市自然资源局", holder_contact="0515-88880000")  # Art. 36 (5)
    # received in 2025, still open at the end of 2026 — carried over twice
    received(date(2025, 12, 30), actor=staff, **ORG, org_type="legal_service")
    # received in 2026
    _close(received(date(2026, 2, 2), actor=staff), "disclosed", date(2026, 2, 10), staff)
    _close(received(date(2026, 3, 2), actor=staff), "disclosed", date(2026, 3, 10), staff)
    _close(received(date(2026, 4, 1), actor=staff, **ORG, org_type="research"), "withheld_state_secret", date(2026, 4, 10),
           staff, **GROUND)
    _close(received(date(2026, 5, 6), dep="zjj", actor=zstaff), "not_processed_repeat", date(2026, 5, 12), zstaff)
    received(date(2026, 12, 28), actor=staff)  # open at the end of 2026
    received(date(2027, 1, 5), actor=staff)  # next year: not in 2026 at all
    received(date(2026, 6, 1), dep=None)  # received, not yet assigned: still counts for the government


def test_every_cell_of_2026(applications):
    t = annual_table(2026)
    expected = {
        ("new", "person"): 5, ("new", "research"): 1, ("new", "total"): 6,
        ("carried_in", "person"): 1, ("carried_in", "commercial"): 1, ("carried_in", "legal_service"): 1,
        ("carried_in", "total"): 3,
        ("disclosed", "person"): 2, ("disclosed", "total"): 2,
        ("partly_disclosed", "person"): 1, ("partly_disclosed", "total"): 1,
        ("withheld_state_secret", "research"): 1, ("withheld_state_secret", "total"): 1,
        ("unavailable_not_held", "commercial"): 1, ("unavailable_not_held", "total"): 1,
        ("not_processed_repeat", "person"): 1, ("not_processed_repeat", "total"): 1,
        ("total", "person"): 4, ("total", "commercial"): 1, ("total", "research"): 1, ("total", "total"): 6,
        ("carried_out", "person"): 2, ("carried_out", "legal_service"): 1, ("carried_out", "total"): 3,
    }
    for row in rows():
        if not row.key:
            continue
        for col, _ in COLUMNS:
            assert t.get(row.key, col) == expected.get((row.key, col), 0), (row.label, col)
    assert t.reconciles()


def test_carried_over_counts_reconcile_year_to_year(applications):
    y2025, y2026, y2027 = annual_table(2025), annual_table(2026), annual_table(2027)
    for col, _ in COLUMNS:
        assert y2025.get("carried_out", col) == y2026.get("carried_in", col)
        assert y2026.get("carried_out", col) == y2027.get("carried_in", col)
    assert y2025.get("new", "total") == 4 and y2025.get("total", "total") == 1 and y2025.get("carried_out", "total") == 3
    assert all(t.reconciles() for t in (y2025, y2026, y2027))


def test_per_department(applications):
    mzj = annual_table(2026, Department.query.filter_by(code="mzj").one())
    zjj = annual_table(2026, Department.query.filter_by(code="zjj").one())
    assert mzj.get("new", "total") == 4 and mzj.get("total", "total") == 5 and mzj.get("carried_out", "total") == 2
    assert zjj.get("not_processed_repeat", "person") == 1 and zjj.get("total", "total") == 1
    assert zjj.get("carried_in", "total") == 0 and mzj.reconciles() and zjj.reconciles()


def test_each_organ_reports_what_was_applied_to_it(applications):
    """条例 Art. 49-50: a department reports the applications made to it, not those the 公开办 gave it to
    handle; the district government's report (区政府办 receives for it) has those made to the government."""
    government = annual_table(2026, Department.query.filter_by(code="zfb").one())
    assert government.get("new", "total") == 1 and government.get("carried_out", "total") == 1
    assert government.title == "盐城市亭湖区人民政府（区政府办代为受理）"
    handled = received(date(2026, 7, 1))  # made to the government, handled by 民政局
    mzj_before = annual_table(2026, Department.query.filter_by(code="mzj").one()).get("new", "total")
    assert handled.department.code == "mzj" and handled.receiving_department is None
    assert annual_table(2026, Department.query.filter_by(code="zfb").one()).get("new", "total") == 2
    assert mzj_before == 4 and annual_table(2026).get("new", "total") == 7


def test_rows_follow_the_official_table():
    labels = [r.label for r in rows()]
    assert labels[0] == "一、本年新收政府信息公开申请数量" and labels[-1] == "四、结转下年度继续办理"
    assert "（三）不予公开" in labels and "8．属于行政查询事项" in labels and "（七）总计" in labels
    assert "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in labels
    assert sum(1 for r in rows() if r.level == 2) == 19  # 8 + 3 + 5 + 3 items under the groups
    assert [c for c, _ in COLUMNS] == ["person", "commercial", "research", "public_interest", "legal_service",
                                       "other", "total"]


def test_section_four_reconsiderations_and_lawsuits(applications, now):
    from core.errors import ValidationError
    from requests_module import disputes
    from requests_module.models import DisclosureRequest
    reqs = DisclosureRequest.query.filter(DisclosureRequest.outcome.is_not(None)).order_by(DisclosureRequest.id).all()
    kw = {"today": date(2026, 11, 20), "now": now, "actor": "test"}
    a = disputes.file_dispute(reqs[1], kind="reconsideration", filed_on=date(2026, 2, 1), **kw)
    disputes.decide_dispute(reqs[1], a, result="upheld", decided_on=date(2026, 4, 1), **kw)
    b = disputes.file_dispute(reqs[2], kind="reconsideration", filed_on=date(2026, 3, 1), **kw)
    disputes.decide_dispute(reqs[2], b, result="corrected", decided_on=date(2026, 5, 1), **kw)
    disputes.file_dispute(reqs[3], kind="litigation", filed_on=date(2026, 6, 1), **kw)  # pending at year end
    c = disputes.file_dispute(reqs[3], kind="litigation", filed_on=date(2026, 3, 1), after_reconsideration=True, **kw)
    disputes.decide_dispute(reqs[3], c, result="other", decided_on=date(2026, 9, 1), **kw)
    old = disputes.file_dispute(reqs[0], kind="reconsideration", filed_on=date(2025, 5, 1), **kw)
    disputes.decide_dispute(reqs[0], old, result="upheld", decided_on=date(2025, 7, 1), **kw)  # counted in 2025
    t = annual_table(2026)
    assert t.disputes == {("reconsideration", "upheld"): 1, ("reconsideration", "corrected"): 1,
                          ("reconsideration", "total"): 2, ("litigation_direct", "pending"): 1,
                          ("litigation_direct", "total"): 1, ("litigation_after", "other"): 1,
                          ("litigation_after", "total"): 1}
    assert annual_table(2025).disputes == {("reconsideration", "upheld"): 1, ("reconsideration", "total"): 1}
    zjj = annual_table(2026, Department.query.filter_by(code="zjj").one())
    assert zjj.disputes == {}
    with pytest.raises(ValidationError):
        disputes.decide_dispute(reqs[1], a, result="other", decided_on=date(2026, 6, 1), **kw)  # already decided
    with pytest.raises(ValidationError):
        disputes.file_dispute(reqs[1], kind="litigation", filed_on=date(2026, 12, 1), **kw)  # after today
    with pytest.raises(ValidationError):
        disputes.file_dispute(reqs[1], kind="appeal", filed_on=date(2026, 6, 1), **kw)
