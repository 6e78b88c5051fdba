"""The annual report counts what happened (issue 15; format 国办公开办函〔2021〕30号): an application closed as
不予处理 before its online receipt was confirmed is still received (on its submission date); a draft awaiting
sign-off is not an answer; a reply counts in the year it was issued (the sign-off day); section 六 adds up
the information-processing fees (国办函〔2020〕109号) from the stored calculations."""
from datetime import date
from decimal import Decimal

import pytest

from core.departments.models import Department
from core.extensions import db
from reports import annual_export
from reports.disclosure_annual import COLUMNS, annual_table
from reports.disclosure_dashboard import dashboard
from requests_module import handling, intake, reply
from tests.conftest import at, login, make_user, pinned
from tests.requests.helpers import APPLICATION, DISCLOSED, noon, received


def _expect(table, cells):
    """Every non-zero cell of the table is one of `cells` (row, column) -> count, and reconciles."""
    found = {k: v for k, v in table.cells.items() if v}
    assert found == cells
    assert table.reconciles()


def _totals(**rows):
    """{(row, 'person'): n, (row, 'total'): n} for a person's applications."""
    out = {}
    for row, n in rows.items():
        out[(row, "person")] = out[(row, "total")] = n
    return out


def test_not_processed_before_receipt_is_counted_as_received_on_its_submission_date(seeded):
    """Art. 31 with 国办公开办函〔2021〕30号 section 三: an online application closed as 不予处理 (信访举报投诉类)
    before its receipt was confirmed was still received — on the day it was submitted."""
    req = intake.submit_online(APPLICATION, now=at(2026, 3, 2, 9))
    intake.reject(req, outcome="not_processed_petition", message="请向信访部门反映。", on=date(2026, 3, 3),
                  now=noon(date(2026, 3, 3)), actor="intake")
    assert req.received_on is None and req.status == "closed"
    _expect(annual_table(2026), _totals(new=1, not_processed_petition=1, total=1))
    assert not any(annual_table(2025).cells.values())


def test_not_processed_across_the_new_year_carries_over(seeded):
    """Section 三: submitted on 30 December, closed as 不予处理 on 4 January — received in the first year and
    carried over, answered in the second."""
    req = intake.submit_online({**APPLICATION, "title": "跨年"}, now=at(2025, 12, 30, 20))
    intake.reject(req, outcome="not_processed_repeat", message="重复申请。", on=date(2026, 1, 4),
                  now=noon(date(2026, 1, 4)), actor="intake")
    _expect(annual_table(2025), _totals(new=1, carried_out=1))
    _expect(annual_table(2026), _totals(carried_in=1, not_processed_repeat=1, total=1))


@pytest.fixture
def signoff(seeded):
    # received by the district government: its 公开办 (区政府办) setting and head decide sign-off (Art. 4, 36)
    Department.query.filter_by(code="zfb").one().requires_signoff = True
    db.session.commit()
    return (make_user("staff", "drafter@x.cn", department="mzj"),
            make_user("approver", "head@x.cn", department="zfb"))


def test_a_draft_awaiting_sign_off_is_not_counted_as_answered(signoff):
    """Art. 33 and section 三: a reply is made when issued; a draft awaiting the head's sign-off carries over
    (and is not a reply on the dashboard either)."""
    staff, _ = signoff
    req = received(date(2026, 3, 2))
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="答复如下。", on=date(2026, 3, 20), now=noon(date(2026, 3, 20)),
                actor=staff)
    assert req.status == "awaiting_signoff" and req.replied_on == date(2026, 3, 20)
    _expect(annual_table(2026), _totals(new=1, carried_out=1))
    assert dashboard(date(2026, 1, 1), date(2026, 12, 31), now=noon(date(2026, 3, 20))).replied == 0


def test_a_december_draft_signed_off_in_january_counts_in_january_s_year(signoff):
    """Art. 33 (the reply is issued on the sign-off day) and section 三: drafted 30 December 2025, signed off
    5 January 2026 — open at the end of 2025, answered in 2026."""
    staff, head = signoff
    req = received(date(2025, 12, 22))
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="答复如下。", on=date(2025, 12, 30), now=noon(date(2025, 12, 30)),
                actor=staff)
    reply.sign_off(req, approve=True, now=noon(date(2026, 1, 5)), actor=head)
    assert req.status == "closed" and req.replied_on == date(2026, 1, 5)
    _expect(annual_table(2025), _totals(new=1, carried_out=1))
    _expect(annual_table(2026), _totals(carried_in=1, disclosed=1, total=1))


def _fee(day, pages, paid_on=None, **changes):
    req = received(day, **changes)
    handling.fee_notice(req, method="pages", quantity=pages, on=day, now=noon(day), actor="t")
    if paid_on:
        handling.record_payment(req, on=paid_on, now=noon(paid_on), actor="t")
    return req


def test_section_six_adds_up_the_fees_paid_in_the_year(app, seeded):
    """国办函〔2020〕109号 and section 六 of 国办公开办函〔2021〕30号: notices sent in the year, and fees paid in
    the year by method, from the stored calculations; the page, the CSV and the XLSX show the same."""
    _fee(date(2025, 12, 1), 43, paid_on=date(2025, 12, 3), title="去年")       # 130, paid in 2025
    _fee(date(2025, 12, 22), 101, paid_on=date(2026, 1, 6), title="跨年缴费")   # 720, notice 2025, paid 2026
    _fee(date(2026, 3, 2), 43, paid_on=date(2026, 3, 9), title="三月")          # 130, paid 2026
    _fee(date(2026, 4, 1), 201, title="未缴")                                   # 2740, notice 2026, unpaid
    # 10, received by 住建局 itself at its own window (its own report, not the government's)
    _fee(date(2026, 5, 6), 31, paid_on=date(2026, 5, 8), title="住建", dep="zjj",
         actor=make_user("staff", "zjj.window@x.cn", department="zjj"))
    t = annual_table(2026)
    assert t.fee("notices") == (3, Decimal("2880.00"))
    assert t.fee("paid_pages") == (3, Decimal("860.00")) and t.fee("paid_piece") == (0, Decimal("0.00"))
    assert t.fee("paid") == (3, Decimal("860.00"))
    assert annual_table(2025).fee("paid") == (1, Decimal("130.00"))
    assert annual_table(2025).fee("notices") == (2, Decimal("850.00"))
    # 条例 Art. 49-50: each organ reports what was applied to it. The district government's report (区政府办
    # receives for it) has the four applications made to the government, though 民政局 handled them; 民政局
    # received none itself; 住建局's report has the one made at its window.
    organ = lambda code: annual_table(2026, Department.query.filter_by(code=code).one())  # noqa: E731
    assert organ("zfb").fee("paid") == (2, Decimal("850.00")) and organ("zfb").title == "盐城市亭湖区人民政府（区政府办代为受理）"
    assert organ("mzj").fee("paid") == (0, Decimal("0.00")) and organ("mzj").fee("notices") == (0, Decimal("0.00"))
    assert organ("zjj").fee("paid") == (1, Decimal("10.00"))

    csv = annual_export.csv_text(t)
    assert "六、其他需要报告的事项：收取信息处理费情况（2026年度" in csv
    assert "本年收取净额（本年缴纳的，扣除本年内已退还的部分）,3,860.00" in csv and "发出收费通知,3,2880.00" in csv
    from io import BytesIO

    from openpyxl import load_workbook
    ws = load_workbook(BytesIO(annual_export.xlsx_bytes(t)))["2026年第六部分"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=7)] == [
        ["项目", "件数", "金额（元）"], ["发出收费通知", 3, 2880.0], ["实际收取：按件计收", 0, 0.0],
        ["实际收取：按量计收", 3, 860.0], ["本年退还（按量计收，含以前年度缴纳的）", 0, 0.0],
        ["本年收取净额（本年缴纳的，扣除本年内已退还的部分）", 3, 860.0]]

    client = app.test_client()
    assert login(client, make_user("supervisor", "sup.fees@x.cn").login_id).status_code == 302
    with pinned(app, noon(date(2027, 2, 1))):
        html = client.get("/reports/disclosure/2026").get_data(as_text=True)
    fees_html = html[html.index('id="fees"'):]
    assert "六、其他需要报告的事项" in html and "860.00" in fees_html and "2880.00" in fees_html
    for col, _ in COLUMNS:  # the fees do not touch section 三
        assert t.get("other_no_payment", col) == 0


def test_section_six_a_refund_in_the_next_year_is_its_own_row_and_no_figure_is_negative(app, seeded):
    """国办函〔2020〕109号 Art. 3, 5 and section 六 (国办公开办函〔2021〕30号): a 按量 fee paid on 2026-12-28 and refunded
    on 2027-01-05 is collected in 2026 and refunded in 2027; 2027's net collected figure does not deduct it (it
    would be negative), a refund within the year of payment is deducted from that year's net."""
    from requests_module import refunds
    cross = _fee(date(2026, 12, 21), 43, paid_on=date(2026, 12, 28), title="跨年退费")        # 130
    refunds.record_refund(cross, amount="130", method="original", note="", on=date(2027, 1, 5),
                          now=noon(date(2027, 1, 5)), actor="t")
    same = _fee(date(2027, 2, 1), 101, paid_on=date(2027, 2, 3), title="同年退费")            # 720
    refunds.record_refund(same, amount="720", method="original", note="", on=date(2027, 2, 10),
                          now=noon(date(2027, 2, 10)), actor="t")
    _fee(date(2027, 3, 1), 31, paid_on=date(2027, 3, 3), title="同年缴费")                    # 10
    y2026, y2027 = annual_table(2026), annual_table(2027)
    assert y2026.fee("paid_pages") == (1, Decimal("130.00")) and y2026.fee("refunded") == (0, Decimal("0.00"))
    assert y2026.fee("paid") == (1, Decimal("130.00"))
    assert y2027.fee("paid_pages") == (2, Decimal("730.00"))
    assert y2027.fee("refunded") == (2, Decimal("850.00"))  # both refunds made in 2027, whatever the payment year
    assert y2027.fee("paid") == (1, Decimal("10.00"))       # 730 paid in 2027 less the 720 refunded of it
    for table in (y2026, y2027):
        assert all(n >= 0 and amount >= 0 for n, amount in table.fees.values())
    csv = annual_export.csv_text(y2027)
    assert "本年退还（按量计收，含以前年度缴纳的）,2,850.00" in csv and "说明：" in csv
    from io import BytesIO

    from openpyxl import load_workbook
    ws = load_workbook(BytesIO(annual_export.xlsx_bytes(y2027)))["2027年第六部分"]
    assert ws.cell(8, 1).value.startswith("说明：") and "以前年度缴纳" in ws.cell(8, 1).value
    client = app.test_client()
    assert login(client, make_user("supervisor", "sup.fees2@x.cn").login_id).status_code == 302
    with pinned(app, noon(date(2028, 2, 1))):
        html = client.get("/reports/disclosure/2027").get_data(as_text=True)
    assert 'id="fee-notes"' in html and "只扣除本年缴纳且本年内退还的部分" in html
    assert ">-" not in html[html.index('id="fees"'):html.index("</table>", html.index('id="fees"'))]
