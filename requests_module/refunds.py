"""The refund (退费) of a 按量 information-processing fee when the reply provides nothing.

国办函〔2020〕109号 (《政府信息公开信息处理费管理办法》) Art. 3, 5: 按量计收 charges the pages of the information
an application is provided; a reply that provides none (every 不予公开, 无法提供 and 不予处理 code:
outcomes.NOTHING_PROVIDED_GROUPS) leaves nothing the fee was for, so the fee paid is refunded before that reply
is made. 按件计收 (Art. 3, 4) charges the application itself (the applicant's 件 in the month), whatever the
outcome: it is not refunded for the outcome.
"""
from core.errors import FieldConflict, ValidationError
from core.db import unit_of_work
from requests_module import fees, outcomes
from requests_module.common import check_date, dated, record, zh
from requests_module.states import Status, TransitionError, require

METHODS = {"original": "原渠道退回", "bank_transfer": "银行转账", "cash": "现金", "other": "其他方式"}
NOTE_MAX = 200


def refund_due(req):
    """A 按量 fee was paid and has not been refunded (109号 Art. 5)."""
    return req.fee_method == "pages" and req.fee_paid_on is not None and req.fee_refunded_on is None


def reply_refusal(req, outcome):
    """109号 Art. 3, 5: the message refusing a reply with `outcome` that provides no information while the
    按量 fee paid for it is not refunded; None when allowed (按件 fees are not refunded for the outcome)."""
    if not (outcomes.provides_nothing(outcome) and refund_due(req)):
        return None
    o = outcomes.get(outcome)
    return (f"本申请已按量计收信息处理费{req.fee_amount}元（{zh(req.fee_paid_on)}缴纳），而“{o.group}：{o.label}”"
            f"不向申请人提供政府信息：按量计收的费用按提供的信息收取（{fees.BASIS}第三条、第五条），"
            "请先登记退费，再作出该答复")


def record_refund(req, *, amount, method, note, on, now, actor):
    """Record that the 按量 fee paid was refunded in full on `on` (109号 Art. 3, 5) so that a reply providing
    nothing can be made; the amount must be the amount paid. 按件 fees are per application and not refunded
    for the outcome (Art. 4)."""
    require(Status(req.status), {Status.ASSIGNED}, "登记退费")
    if req.fee_paid_on is None:
        raise TransitionError("本申请没有已缴纳的信息处理费，无须退费")
    if req.fee_refunded_on is not None:
        raise TransitionError(f"已于{zh(req.fee_refunded_on)}登记退费，不能重复登记")
    if req.fee_method != "pages":
        raise TransitionError(f"按件计收的信息处理费按申请件数收取，不因答复结果退还（{fees.BASIS}第三条、第四条）")
    given = fees.parse_amount(amount)
    if given is None:
        raise ValidationError("请填写退费金额", field="amount")
    if given != req.fee_amount:
        raise FieldConflict(f"退费金额{given}元与已缴纳的{req.fee_amount}元不符：未提供信息的，按量计收的费用应全额退还",
                            field="amount")
    if not isinstance(method, str) or method not in METHODS:
        raise ValidationError("请选择退费方式", field="method")
    if note is not None and not isinstance(note, str):
        raise ValidationError("备注应为文字", field="note")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"备注不超过 {NOTE_MAX} 字", field="note")
    if method == "other" and not note:
        raise ValidationError("其他方式退费的，请在备注中写明方式", field="note")
    check_date(on, now, not_before=req.fee_paid_on, req=req, label="退费日期")
    with unit_of_work(), dated(on, now):
        req.fee_refunded_on, req.fee_refund_amount = on, given
        req.fee_refund_method, req.fee_refund_note = method, note or None
        record(req, "fee_refunded", now=now, actor=actor,
               detail={"on": on.isoformat(), "amount": str(given), "method": METHODS[method], "note": note or None})
    return req
