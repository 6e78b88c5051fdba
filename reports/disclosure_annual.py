"""Sections 三 and 四 of the national annual report on government information disclosure
(收到和处理政府信息公开申请情况, 国办公开办函〔2021〕30号), computed from the applications.

Counting rules (one application, one row, one column):
* 本年新收 — received (receipt date, Art. 31) in the year; an online application closed as 不予处理 before
  its receipt was confirmed was still received — on its submission date (issue 15);
* 上年结转 — received before the year and not closed before it;
* 办理结果 — closed in the year, by its one outcome code, in the year the reply was issued: a reply that
  needs sign-off is issued on the sign-off date, and a draft awaiting sign-off is not an answer yet;
* 结转下年度 — received by the end of the year and not closed by then.
So for every column: 新收 + 结转 = 总计 + 结转下年度, and a year's 结转下年度 is the next year's 上年结转.
Each administrative organ reports the applications made to it (条例 Art. 49-50: 各级人民政府及其工作部门 publish
their own annual report): a department's report counts what it received (受理机关, requests_module/remedy.py),
never what the 公开办 assigned it to handle for the district government; the district government's own report
(the 区政府办 choice, which receives for it) counts what the government received; no choice = the district total.
Columns: 自然人, the five organisation types (法人或其他组织), 总计.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.calendar.service import local_date
from core.extensions import db
from requests_module.fees import METHODS
from requests_module.models import ORG_TYPES, DisclosureRequest
from requests_module.outcomes import OUTCOMES

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from core.departments.models import Department

COLUMNS = [("person", "自然人")] + list(ORG_TYPES.items()) + [("total", "总计")]
GROUP_TITLES = {"予以公开": "（一）予以公开", "部分公开": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                "不予公开": "（三）不予公开", "无法提供": "（四）无法提供", "不予处理": "（五）不予处理",
                "其他处理": "（六）其他处理"}
LONG_LABELS = {
    "other_no_correction": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_no_payment": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}


@dataclass(frozen=True)
class Row:
    key: str      # "new", "carried_in", an outcome code, "total", "carried_out"; "" for a heading row
    label: str
    level: int    # 0 main row, 1 group, 2 item under a group


def rows() -> list[Row]:
    """The table's rows in the official order and wording."""
    out = [Row("new", "一、本年新收政府信息公开申请数量", 0), Row("carried_in", "二、上年结转政府信息公开申请数量", 0),
           Row("", "三、本年度办理结果", 0)]
    seen = set()
    for code, o in OUTCOMES.items():
        if o.group in ("予以公开", "部分公开"):
            out.append(Row(code, GROUP_TITLES[o.group], 1))
            continue
        if o.group not in seen:
            seen.add(o.group)
            out.append(Row("", GROUP_TITLES[o.group], 1))
            n = 0
        n += 1
        out.append(Row(code, f"{n}．{LONG_LABELS.get(code, o.label)}", 2))
    out += [Row("total", "（七）总计", 1), Row("carried_out", "四、结转下年度继续办理", 0)]
    return out


def organ_condition(department: Department | None) -> Any:
    """The applications an organ's report counts (see the module docstring): None = every organ together."""
    from requests_module.remedy import DISTRICT_OFFICE
    if department is None:
        return sa.true()
    if department.code == DISTRICT_OFFICE:
        return DisclosureRequest.receiving_department_id.is_(None)
    return DisclosureRequest.receiving_department_id == department.id


def organ_title(department: Department | None) -> str:
    """Whose report it is, as printed on the page and in the files."""
    from requests_module.remedy import DISTRICT_GOVERNMENT, DISTRICT_OFFICE
    if department is None:
        return "全区（各部门合计）"
    if department.code == DISTRICT_OFFICE:
        return f"{DISTRICT_GOVERNMENT}（{department.name}代为受理）"
    return department.full_name


@dataclass
class AnnualTable:
    year: int
    department: object = None
    cells: dict = field(default_factory=dict)  # (row key, column key) -> count
    disputes: dict = field(default_factory=dict)  # section 四: (group, result) -> count
    fees: dict = field(default_factory=dict)  # section 六: row key -> (count, amount)

    @property
    def title(self) -> str:
        return organ_title(self.department)

    def fee(self, key: str) -> tuple[int, Decimal]:
        return self.fees.get(key, (0, Decimal("0.00")))

    def dispute(self, group: str, result: str) -> int:
        return self.disputes.get((group, result), 0)

    def get(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def reconciles(self) -> bool:
        """新收 + 上年结转 = 办理结果总计 + 结转下年度, in every column."""
        return all(self.get("new", c) + self.get("carried_in", c) == self.get("total", c) + self.get("carried_out", c)
                   for c, _ in COLUMNS)


def _column() -> Any:
    """The applicant column of an application: 自然人, or its organisation type (其他 when unknown)."""
    known = list(ORG_TYPES)
    return sa.case((DisclosureRequest.applicant_type == "person", "person"),
                   (DisclosureRequest.org_type.in_(known), DisclosureRequest.org_type), else_="other")


def _count(into: dict[tuple[str, str], int], row_key: str | None, conditions: Iterable[Any],
           by_outcome: bool = False) -> None:
    col = _column().label("col")
    keys = [col] + ([DisclosureRequest.outcome] if by_outcome else [])
    stmt = sa.select(*keys, sa.func.count()).where(*conditions).group_by(*keys)
    for result in db.session.execute(stmt):
        row = result[1] if by_outcome else row_key
        into[(row, result[0])] = into.get((row, result[0]), 0) + result[-1]


def _open_after(day: date) -> Any:
    """Not closed by the end of `day` (still open — a draft awaiting sign-off too —, or replied later): what
    carries over."""
    return sa.or_(DisclosureRequest.closed_at.is_(None), DisclosureRequest.replied_on.is_(None),
                  DisclosureRequest.replied_on > day)


def _closed_in(start: date, end: date) -> Any:
    """Answered in start..end: closed, on the day the reply was issued (reply.sign_off closes a draft on the
    sign-off day; Art. 33 counts the reply as made when issued)."""
    return sa.and_(DisclosureRequest.closed_at.is_not(None), DisclosureRequest.replied_on.between(start, end),
                   DisclosureRequest.outcome.is_not(None))


def _unconfirmed(cells: dict[tuple[str, str], int], start: date, end: date, department: Department | None) -> None:
    """Applications closed (不予处理) before their online receipt was confirmed: received on the day they
    were submitted (Art. 31: an online application is received when submitted and seen; closing it shows the
    organ had it), counted by the same four rules as the others."""
    stmt = sa.select(DisclosureRequest.applicant_type, DisclosureRequest.org_type, DisclosureRequest.submitted_at,
                     DisclosureRequest.replied_on, DisclosureRequest.outcome).where(
        DisclosureRequest.received_on.is_(None), DisclosureRequest.closed_at.is_not(None),
        DisclosureRequest.replied_on.is_not(None), DisclosureRequest.outcome.is_not(None))
    stmt = stmt.where(organ_condition(department))
    for kind, org_type, submitted_at, replied_on, outcome in db.session.execute(stmt):
        col = "person" if kind == "person" else org_type if org_type in ORG_TYPES else "other"
        received = local_date(submitted_at)
        keys = []
        if start <= received <= end:
            keys.append("new")
        if received < start and replied_on >= start:
            keys.append("carried_in")
        if received <= end and start <= replied_on <= end:
            keys.append(outcome)
        if received <= end and replied_on > end:
            keys.append("carried_out")
        for key in keys:
            cells[(key, col)] = cells.get((key, col), 0) + 1


def annual_table(year: int, department: Department | None = None) -> AnnualTable:
    """Section 三 for `year`, for the organ `department` stands for (organ_condition) or (None) the district."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = [DisclosureRequest.received_on.is_not(None), organ_condition(department)]
    cells = {}
    _count(cells, "new", base + [DisclosureRequest.received_on.between(start, end)])
    _count(cells, "carried_in", base + [DisclosureRequest.received_on < start, _open_after(start - timedelta(days=1))])
    _count(cells, None, base + [DisclosureRequest.received_on <= end, _closed_in(start, end)], by_outcome=True)
    _count(cells, "carried_out", base + [DisclosureRequest.received_on <= end, _open_after(end)])
    _unconfirmed(cells, start, end, department)
    for (row, col), n in list(cells.items()):
        if row in OUTCOMES:
            cells[("total", col)] = cells.get(("total", col), 0) + n
    for row in {r for r, _ in cells}:
        cells[(row, "total")] = sum(cells.get((row, c), 0) for c, _ in COLUMNS if c != "total")
    return AnnualTable(year, department, cells, disputes_table(year, department), fees_table(year, department))


# Section 四: 政府信息公开行政复议、行政诉讼情况 — three groups of five columns.
DISPUTE_GROUPS = [("reconsideration", "行政复议"), ("litigation_direct", "行政诉讼：未经复议直接起诉"),
                  ("litigation_after", "行政诉讼：复议后起诉")]
DISPUTE_RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
                   ("total", "总计")]


def disputes_table(year: int, department: Department | None = None) -> dict[tuple[str, str], int]:
    """Section 四 for `year`: cases decided in the year by result, and cases filed by the end of the year
    but not decided by then (尚未审结). {(group, result): count}."""
    from requests_module.models import Dispute
    start, end = date(year, 1, 1), date(year, 12, 31)
    group = sa.case((Dispute.kind == "reconsideration", "reconsideration"),
                    (Dispute.after_reconsideration.is_(True), "litigation_after"), else_="litigation_direct")
    decided_in_year = sa.and_(Dispute.decided_on.is_not(None), Dispute.decided_on.between(start, end))
    pending_at_end = sa.and_(Dispute.filed_on <= end, sa.or_(Dispute.decided_on.is_(None), Dispute.decided_on > end))
    result = sa.case((pending_at_end, "pending"), else_=Dispute.result)
    stmt = (sa.select(group, result, sa.func.count()).join(DisclosureRequest, DisclosureRequest.id == Dispute.request_id)
            .where(sa.or_(decided_in_year, pending_at_end)).group_by(group, result))
    stmt = stmt.where(organ_condition(department))
    cells = {}
    for g, r, n in db.session.execute(stmt):
        cells[(g, r)] = n
        cells[(g, "total")] = cells.get((g, "total"), 0) + n
    return cells


# Section 六 (其他需要报告的事项): the information-processing fees of 国办函〔2020〕109号.
# Refunds are a row of their own (the refunds made in the year, whatever year the fee was paid in); the net
# figure nets only the refunds of fees paid in the same year, so no figure is ever negative: a fee paid on
# 2026-12-28 and refunded on 2027-01-05 stays in 2026's collected figures and is 2027's refund.
FEE_ROWS = [("notices", "发出收费通知"), ("paid_piece", "实际收取：" + METHODS["piece"]),
            ("paid_pages", "实际收取：" + METHODS["pages"]),
            ("refunded", "本年退还（" + METHODS["pages"] + "，含以前年度缴纳的）"),
            ("paid", "本年收取净额（本年缴纳的，扣除本年内已退还的部分）")]
FEE_COLUMNS = [("count", "件数"), ("amount", "金额（元）")]
FEE_NOTES = ("收费通知按发出日期计；实际收取按缴费日期计；退还按退费日期计，含以前年度缴纳、本年退还的费用；"
             "收取净额只扣除本年缴纳且本年内退还的部分（全额退还的不计件数），以前年度缴纳的费用在本年退还的，"
             "只计入“本年退还”一行，不从本年收取中扣除")


def fees_table(year: int, department: Department | None = None) -> dict[str, tuple[int, Decimal]]:
    """Section 六 for `year`: fee notices sent in the year, fees paid in the year by method, from the stored
    calculations (requests_module/fees.py), 按量 fees refunded in the year (国办函〔2020〕109号 Art. 3, 5;
    requests_module/refunds.py) as a row of their own, and the net collected: fees paid in the year less what was
    refunded of them within the year (never negative). {row key: (count, amount)}."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    scope = [organ_condition(department)]
    calculated = DisclosureRequest.fee_calculation.is_not(None)
    out = {}

    def add(key: str, conditions: Iterable[Any], group: Any = None, amount: Any = DisclosureRequest.fee_amount) -> None:
        cols = ([group] if group is not None else []) + [sa.func.count(), sa.func.sum(amount)]
        stmt = sa.select(*cols).where(calculated, *scope, *conditions)
        for row in db.session.execute(stmt.group_by(group) if group is not None else stmt):
            name = f"{key}_{row[0]}" if group is not None else key
            out[name] = (row[-2], Decimal(row[-1] or 0).quantize(Decimal("0.01")))

    paid_in_year = DisclosureRequest.fee_paid_on.between(start, end)
    refunded_in_year = DisclosureRequest.fee_refunded_on.between(start, end)
    add("notices", [DisclosureRequest.fee_notice_on.between(start, end)])
    add("paid", [paid_in_year], group=DisclosureRequest.fee_method)
    add("refunded", [refunded_in_year], amount=DisclosureRequest.fee_refund_amount)
    add("same_year", [paid_in_year, refunded_in_year], amount=DisclosureRequest.fee_refund_amount)
    add("same_year_full", [paid_in_year, refunded_in_year,
                           DisclosureRequest.fee_refund_amount >= DisclosureRequest.fee_amount])
    paid = [out[f"paid_{m}"] for m in METHODS if f"paid_{m}" in out]
    zero = (0, Decimal("0.00"))
    _, netted = out.pop("same_year", zero)
    fully_refunded, _ = out.pop("same_year_full", zero)
    out["paid"] = (sum(n for n, _ in paid) - fully_refunded, sum((a for _, a in paid), Decimal("0.00")) - netted)
    return out
