"""The information-processing fee (信息处理费) of 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号),
charged under Art. 42 of the disclosure regulations.

* Art. 3: two methods, 按件计收 (by application) and 按量计收 (by page), both progressive (超额累进); an organ
  chooses one per application and never charges both.
* Art. 4: 按件 — the applicant's applications in one calendar month: 1–10 free; 11–30 100 元/件; from the
  31st on, each band of 10 costs 100 元/件 more (31–40 200, 41–50 300 …). An application asking for several
  matters may be split into several 件 (一事一申请).
* Art. 5: 按量 — the pages of one application: 1–30 free; 31–100 10 元/页; 101–200 20 元/页; from 201 on
  40 元/页. Information not kept in pages is charged 按件 (Art. 3: one method per application).

`calculate` is pure (no database); `prior_pieces` is the one query: how many 件 the applicant (by identity
number) already had in the application's calendar month.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.errors import ValidationError
from core.formats import zh_date
from core.inputs import parse_int
from requests_module.periods import FEE_WORKDAYS

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
# A typed amount in yuan: plain digits, at most two decimals (the API schema and fee_notice share it).
AMOUNT_PATTERN = r"[0-9]{1,7}(\.[0-9]{1,2})?"  # ASCII digits only, as for days and dates (Python's \d would take ２００)
METHODS = {"piece": "按件计收", "pages": "按量计收"}
UNIT_NAMES = {"piece": "件", "pages": "页"}
ARTICLES = {"piece": "第四条", "pages": "第五条"}
STANDARDS = {
    "piece": "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；"
             "31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件",
    "pages": "30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，"
             "20元/页；201页以上的部分，40元/页",
}
MAX_UNITS = {"piece": 1000, "pages": 100000}
PAGE_BANDS = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))  # Art. 5


def _piece_bands() -> Iterator[tuple[int, int, int]]:
    """Art. 4's bands, endless: (first 件, last 件, 元/件)."""
    yield 1, 10, 0
    yield 11, 30, 100
    first, price = 31, 200
    while True:
        yield first, first + 9, price
        first, price = first + 10, price + 100


@dataclass(frozen=True)
class Tier:
    first: int         # the first unit (件 counted in the month, or page) of the band that this fee covers
    last: int
    price: Decimal     # 元 per unit
    units: int
    subtotal: Decimal

    def text(self, unit: str) -> str:
        span = f"第{self.first}{unit}" if self.first == self.last else f"第{self.first}—{self.last}{unit}"
        if not self.price:
            return f"{span}，共{self.units}{unit}，不收费"
        return f"{span}，共{self.units}{unit}，每{unit}{self.price}元，小计{self.subtotal}元"

    def as_json(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "price": str(self.price), "units": self.units,
                "subtotal": str(self.subtotal)}


@dataclass(frozen=True)
class Calculation:
    method: str        # piece | pages
    units: int         # 件 of this application, or its pages
    first: int         # the position of its first unit (按件: 件 already in the month + 1; 按量: 1)
    tiers: tuple[Tier, ...]
    amount: Decimal

    @property
    def unit(self) -> str:
        return UNIT_NAMES[self.method]

    @property
    def free(self) -> bool:
        return not self.amount

    def lines(self) -> list[str]:
        """The itemised calculation, one band a line."""
        return [t.text(self.unit) for t in self.tiers]

    def summary(self) -> str:
        if self.method == "piece":
            head = (f"按件计收：本申请{self.units}件，为申请人当月累计第{self.first}"
                    + (f"—{self.first + self.units - 1}件" if self.units > 1 else "件"))
        else:
            head = f"按量计收：共{self.units}页"
        return f"{head}；" + "；".join(self.lines()) + f"；合计{self.amount}元"

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "units": self.units, "first": self.first,
                "tiers": [t.as_json() for t in self.tiers], "amount": str(self.amount)}


def _progressive(first: int, last: int, bands: Iterable[tuple[int, int | None, int]]) -> tuple[Tier, ...]:
    """The part of units first..last that falls in each band (超额累进, Art. 3)."""
    tiers = []
    for low, high, price in bands:
        if low > last:
            break
        lo, hi = max(first, low), last if high is None else min(last, high)
        if lo <= hi:
            price = Decimal(price)
            n = hi - lo + 1
            tiers.append(Tier(lo, hi, price, n, (price * n).quantize(Decimal("0.01"))))
    return tuple(tiers)


def parse_amount(amount: Any) -> Decimal | None:
    """A typed amount in yuan (None when left empty): the API's pattern AMOUNT_PATTERN, never rounded or read
    as 2e2 into agreement with a computed amount; quantized to fen."""
    from decimal import Decimal as D

    from core.inputs import parse_decimal

    if amount in (None, ""):
        return None
    if isinstance(amount, bool) or not isinstance(amount, (str, int)):
        raise ValidationError("金额应为数字，最多两位小数，如 130 或 130.50", field="amount")
    try:
        given = parse_decimal(amount, D("0"), D("10000000"))
    except ValueError as exc:
        raise ValidationError(f"金额{exc}", field="amount") from None
    if not re.fullmatch(AMOUNT_PATTERN, str(amount).strip()):
        raise ValidationError("金额应为数字，最多两位小数，如 130 或 130.50", field="amount")
    return given.quantize(D("0.01"))


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValidationError("请选择计费方式：按件计收或按量计收", field="method")
    return method


def check_units(method: str, units: int) -> int:
    """The quantity as a whole number of 件 (1–1000) or pages (1–100000)."""
    high = MAX_UNITS[check_method(method)]
    name = "件数" if method == "piece" else "页数"
    if units is None or isinstance(units, bool) or str(units).strip() == "":
        raise ValidationError(f"请填写{name}", field="quantity")
    try:
        return parse_int(str(units), 1, high)
    except ValueError as exc:
        raise ValidationError(f"{name}{exc}", field="quantity") from None


def calculate(method: str, units: int, prior: int = 0) -> Calculation:
    """The fee of one application (国办函〔2020〕109号 Art. 3–5): 按件 — its `units` 件 follow the `prior` 件 the
    applicant already had in the calendar month; 按量 — its `units` pages. Pure."""
    units = check_units(method, units)
    if method == "piece":
        first = prior + 1
        tiers = _progressive(first, prior + units, _piece_bands())
    else:
        first = 1
        tiers = _progressive(1, units, PAGE_BANDS)
    return Calculation(method, units, first, tiers, sum((t.subtotal for t in tiers), Decimal("0.00")))


def from_json(data: Mapping[str, Any]) -> Calculation | None:
    """The stored calculation of an application (None when it has none)."""
    if not data:
        return None
    tiers = tuple(Tier(t["first"], t["last"], Decimal(t["price"]), t["units"], Decimal(t["subtotal"]))
                  for t in data["tiers"])
    return Calculation(data["method"], data["units"], data["first"], tiers, Decimal(data["amount"]))


# --- the one query: the applicant's applications in a calendar month (Art. 4) -----------------------------

def application_day(req: DisclosureRequest) -> date:
    """The day an application was made: handed in / mailed (its receipt date) or submitted online."""
    from core.calendar.service import local_date
    if req.channel != "online" and req.received_on is not None:
        return req.received_on
    return local_date(req.submitted_at)


def _month(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return start, end


def prior_pieces(req: DisclosureRequest) -> int:
    """How many 件 the same applicant (same identity number) made to the same organ (the receiving organ:
    each department, town or street is its own 行政机关, 条例 Art. 27) in the calendar month of `req` before it
    (国办函〔2020〕109号 Art. 4): each earlier application counts as the 件 its own 按件 fee counted, else one."""
    import sqlalchemy as sa

    from core.calendar.service import local_zone
    from requests_module.models import DisclosureRequest as R

    if not (req.id_number or "").strip():  # no identity number: nothing to count it with
        return 0
    day = application_day(req)
    start, end = _month(day)
    zone = local_zone()
    start_at, end_at = (datetime.combine(d, time(0), tzinfo=zone) for d in (start, end))
    candidates = R.query.filter(
        R.id_number == req.id_number, R.id != req.id,
        R.receiving_department_id.is_(None) if req.receiving_department_id is None
        else R.receiving_department_id == req.receiving_department_id,
        sa.or_(sa.and_(R.received_on >= start, R.received_on < end),
               sa.and_(R.submitted_at >= start_at, R.submitted_at < end_at)))
    mine = (day, req.id)
    count = 0
    for other in candidates:
        when = application_day(other)
        if start <= when < end and (when, other.id) < mine:
            count += other.fee_units if other.fee_method == "piece" and other.fee_units else 1
    return count


def calculation_lines(req: DisclosureRequest) -> list[str]:
    """The calculation part of a fee notice (method with its article, standard, calculation); none without a
    stored calculation. The notice the applicant is sent and the 收费通知书 PDF (requests_module/notices.py)
    both print these lines."""
    calc = from_json(req.fee_calculation)
    if calc is None:
        return []
    return [f"计费方式：{METHODS[calc.method]}（{BASIS}{ARTICLES[calc.method]}）。",
            f"收费标准：{STANDARDS[calc.method]}。",
            "计算方法：" + calc.summary() + "。"]


def issued_payment_lines(req: DisclosureRequest) -> list[str]:
    """The 缴费方式 lines frozen into the issued 收费通知书 (handling.payment_channel); none for a notice issued
    before they were kept."""
    from requests_module.documents import latest

    doc = latest(req, "fee_notice")
    return (doc.body or "").splitlines()[1:] if doc is not None else []


def notice_paragraphs(req: DisclosureRequest) -> list[str]:
    """The text lines of the 收费通知书 of `req` (Art. 42; the measures' requirement that the notice state
    basis, standard, amount and how and by when to pay): body paragraphs only; the rendered document adds
    title, addressee, seal and date."""

    calc = from_json(req.fee_calculation)
    if calc is None or req.fee_notice_on is None:
        raise ValidationError("本申请没有发出收费通知")
    from requests_module.remedy import issuing_department, issuing_organ

    # the organ that issues the notice (the receiving organ, never the unit handling the work) and its details
    organ, dep = issuing_organ(req)[0], issuing_department(req)
    lines = [
        f"本机关于{zh_date(req.received_on)}收到您提出的政府信息公开申请（编号：{req.number}；申请内容：{req.title}）。",
        f"根据《中华人民共和国政府信息公开条例》第四十二条和{BASIS}，本机关决定对该申请收取信息处理费。",
        *calculation_lines(req),
        f"应缴金额：人民币{calc.amount}元。",
        *issued_payment_lines(req),
    ]
    where = "、".join(x for x in (organ, dep.address if dep else "") if x)
    # the period runs from the day after the applicant's receipt: its end is known once delivery is recorded
    pay = (f"请于{zh_date(req.fee_due_on)}前（收到本通知次日起{FEE_WORKDAYS}个工作日内）缴纳" if req.fee_due_on is not None
           else f"请自收到本通知次日起{FEE_WORKDAYS}个工作日内缴纳")
    pay += f"，缴费地点：{where}" if where else ""
    pay += f"，咨询电话：{dep.phone}" if dep is not None and dep.phone else ""
    lines.append(pay + "。")
    lines.append("逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
                 "自发出本通知之日至缴费之日的期间，不计算在答复期限内。")
    return lines
