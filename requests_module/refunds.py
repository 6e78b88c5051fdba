"""The refund (退费) of a 按量 information-processing fee when the reply provides nothing.

国办函〔2020〕109号 (《政府信息公开信息处理费管理办法》) Art. 3, 5: 按量计收 charges the pages of the information
an application is provided; a reply that provides none (every 不予公开, 无法提供 and 不予处理 code:
outcomes.NOTHING_PROVIDED_GROUPS) leaves nothing the fee was for, so the fee paid is refunded before that reply
is made. 按件计收 (Art. 3, 4) charges the application itself (the applicant's 件 in the month), whatever the
outcome: it is not refunded for the outcome.

"Nothing provided" also covers 其他处理 "other" (e.g. a withdrawn application): the applicant received no
information for the pages paid (outcomes.provides_nothing). 部分公开 / 予以公开 with fewer pages than charged: a
partial refund is allowed, never required — the officer gives the pages actually provided and the refund must be
the amount paid less the tier calculation for those pages (fees.calculate); a reply that then provides nothing
still needs the full refund, so it is refused after a partial one. The letter states the fee paid and any
refund (letter.compose, fee_sentence).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.db import unit_of_work
from core.errors import FieldConflict, ValidationError
from core.formats import zh_date
from core.workflow import TransitionError
from requests_module import fees, outcomes
from requests_module.common import check_date, dated, log_event
from requests_module.states import WORKFLOW, Status

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest

METHODS = {"original": "原渠道退回", "bank_transfer": "银行转账", "cash": "现金", "other": "其他方式"}
NOTE_MAX = 200


def refund_due(req: DisclosureRequest) -> bool:
    """A 按量 fee was paid and has not been refunded (109号 Art. 5)."""
    return req.fee_method == "pages" and req.fee_paid_on is not None and req.fee_refunded_on is None


def reply_refusal(req: DisclosureRequest, outcome: str) -> str | None:
    """109号 Art. 3, 5: the message refusing a reply with `outcome` that provides no information while the
    按量 fee paid for it is not refunded; None when allowed (按件 fees are not refunded for the outcome)."""
    if not outcomes.provides_nothing(outcome) or req.fee_method != "pages" or req.fee_paid_on is None:
        return None
    o = outcomes.get(outcome)
    if req.fee_refunded_on is not None:
        if req.fee_refund_amount is None or req.fee_refund_amount >= req.fee_amount:
            return None
        return (f"本申请已按量计收信息处理费{req.fee_amount}元，{zh_date(req.fee_refunded_on)}只按实际提供的页数退还了"
                f"{req.fee_refund_amount}元，而“{o.group}：{o.label}”不向申请人提供政府信息：按量计收的费用应全额退还"
                f"（{fees.BASIS}第三条、第五条），请先登记退还其余的{req.fee_amount - req.fee_refund_amount}元，再作出该答复")
    return (f"本申请已按量计收信息处理费{req.fee_amount}元（{zh_date(req.fee_paid_on)}缴纳），而“{o.group}：{o.label}”"
            f"不向申请人提供政府信息：按量计收的费用按提供的信息收取（{fees.BASIS}第三条、第五条），"
            "请先登记退费，再作出该答复")


def partial_refund(req: DisclosureRequest, pages_provided: Any) -> tuple[int, Decimal, Decimal]:
    """109号 Art. 3, 5 (按量 charges the pages provided): (pages, refund) when fewer pages than charged are provided
    — the amount paid less the tier calculation for the pages provided (fees.calculate); refuses a page count
    that is not fewer than the pages charged."""
    try:
        pages = fees.check_units("pages", pages_provided)
    except ValidationError as exc:
        raise ValidationError(str(exc).replace("页数", "实际提供的页数"), field="pages_provided") from None
    if req.fee_units is None or pages >= req.fee_units:
        raise ValidationError(f"实际提供的页数应少于收费时的{req.fee_units}页；全部提供的，无须退费",
                              field="pages_provided")
    due = fees.calculate("pages", pages).amount
    return pages, req.fee_amount - due, due


def record_refund(req: DisclosureRequest, *, amount: Any, method: str, note: str, on: date, now: datetime,
                  actor: Any, pages_provided: Any = None) -> DisclosureRequest:
    """Record that the 按量 fee paid was refunded on `on` (109号 Art. 3, 5): in full (the amount paid) so that a
    reply providing nothing can be made, or — with `pages_provided`, for a reply that provides fewer pages than
    charged (部分公开) — the amount paid less the fee for the pages provided (partial_refund). 按件 fees are per
    application and not refunded for the outcome (Art. 4)."""
    WORKFLOW.require(Status(req.status), {Status.ASSIGNED}, "fee_refunded")
    if req.fee_paid_on is None:
        raise TransitionError("本申请没有已缴纳的信息处理费，无须退费")
    # After a partial refund (部分公开 planned) the organ may still answer with nothing provided: the rest of the fee
    # is then refunded too (a top-up to the full amount), so no application is stuck between the two rules.
    topping_up = req.fee_refunded_on is not None and req.fee_refund_amount is not None and \
        req.fee_amount is not None and req.fee_refund_amount < req.fee_amount
    if req.fee_refunded_on is not None and not topping_up:
        raise TransitionError(f"已于{zh_date(req.fee_refunded_on)}全额退费，不能重复登记")
    if req.fee_method != "pages":
        raise TransitionError(f"按件计收的信息处理费按申请件数收取，不因答复结果退还（{fees.BASIS}第三条、第四条）")
    given = fees.parse_amount(amount)
    if given is None:
        raise ValidationError("请填写退费金额", field="amount")
    pages = None
    if topping_up:
        rest = req.fee_amount - req.fee_refund_amount
        if pages_provided is not None and str(pages_provided).strip() != "":
            raise ValidationError("已按实际提供的页数退过费：再次退费只能退还其余费用（全额退还），不填页数",
                                  field="pages_provided")
        if given != rest:
            raise FieldConflict(f"退费金额{given}元不符：已退还{req.fee_refund_amount}元，其余应退还{rest}元"
                                f"（全额退还，{fees.BASIS}第五条）", field="amount")
    elif pages_provided is not None and str(pages_provided).strip() != "":
        pages, due_refund, due = partial_refund(req, pages_provided)
        if given != due_refund:
            raise FieldConflict(f"退费金额{given}元不符：实际提供{pages}页应收{due}元，已缴纳{req.fee_amount}元，"
                                f"应退还{due_refund}元（{fees.BASIS}第五条）", field="amount")
    elif given != req.fee_amount:
        raise FieldConflict(f"退费金额{given}元与已缴纳的{req.fee_amount}元不符：未提供信息的，按量计收的费用应全额退还；"
                            "只提供了部分页数的，请填写实际提供的页数", field="amount")
    if not isinstance(method, str) or method not in METHODS:
        raise ValidationError("请选择退费方式", field="method")
    if note is not None and not isinstance(note, str):
        raise ValidationError("备注应为文字", field="note")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"备注不超过 {NOTE_MAX} 字", field="note")
    if method == "other" and not note:
        raise ValidationError("其他方式退费的，请在备注中写明方式", field="note")
    check_date(on, now, not_before=req.fee_refunded_on if topping_up else req.fee_paid_on, req=req, label="退费日期")
    with unit_of_work(), dated(on, now):
        req.fee_refunded_on, req.fee_refund_amount = on, (req.fee_refund_amount + given if topping_up else given)
        req.fee_refund_method, req.fee_refund_note = method, note or None
        log_event(req, "fee_refunded", now=now, actor=actor,
               detail={"on": on.isoformat(), "amount": str(given), "method": METHODS[method], "note": note or None,
                       "pages_provided": pages, **({"top_up": True} if topping_up else {})})
    return req


def fee_sentence(req: DisclosureRequest, you: str) -> str | None:
    """The reply letter's statement of the fee (国办函〔2020〕109号 Art. 3–5; 条例 Art. 42): the amount paid and, if
    refunded, the refund's amount and date; None when no fee was paid."""
    if req.fee_paid_on is None or req.fee_amount is None:
        return None
    method = fees.METHODS.get(req.fee_method, "")
    text = f"{you}已于{zh_date(req.fee_paid_on)}缴纳信息处理费{req.fee_amount}元（{method}，{fees.BASIS}）。"
    if req.fee_refunded_on is not None and req.fee_refund_amount is not None:
        how = METHODS.get(req.fee_refund_method, "")
        part = "全额" if req.fee_refund_amount >= req.fee_amount else "按实际提供的信息重新核算后"
        text += f"本机关已于{zh_date(req.fee_refunded_on)}{part}退还{req.fee_refund_amount}元（{how}）。"
    return text
