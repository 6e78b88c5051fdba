"""What the pages show of an application's history, in plain Chinese: the citizen's steps with dates,
and the staff page's full audit trail (each row's detail as labelled values, not raw JSON)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.calendar.service import local_zone
from core.departments.models import Department
from core.formats import detail_text
from requests_module import outcomes
from requests_module.disclosed import BASES as DISCLOSURE_BASES
from requests_module.disputes import KINDS as DISPUTE_KINDS
from requests_module.disputes import RESULTS as DISPUTE_RESULTS
from requests_module.models import (
    ATTACHMENT_KINDS,
    CHANNELS,
    DELIVERIES,
    DELIVERY_METHODS,
    DOCUMENT_KINDS,
    FORMS,
    ORG_TYPES,
)
from requests_module.not_held import BASES as NOT_HELD_BASES
from requests_module.queries import timeline

if TYPE_CHECKING:
    from core.audit import AuditEvent
    from requests_module.models import DisclosureRequest

STEP_LABELS = {
    "submitted": "提交申请", "confirm_receipt": "确认收到申请", "assign": "分派承办部门", "reassign": "改派承办部门",
    "correction_notice": "发出补正告知", "correction_received": "收到补正材料", "consultation_sent": "征求意见",
    "consultation_answered": "收到征求意见答复", "fee_notice": "发出收费通知", "fee_paid": "缴纳费用",
    "extension": "延长答复期限", "reply": "作出答复", "reply_signed_off": "作出答复", "reject": "不予处理",
    "deemed_abandoned": "视为放弃申请", "reason_request": "要求说明理由", "reason_received": "收到说明的理由",
    "reason_decided": "认定申请理由", "document_delivered": "文书送达", "fee_refunded": "退还信息处理费",
    "extension_void": "延期不生效",
}


def public_steps(req: DisclosureRequest) -> list[tuple[datetime, str, str]]:
    """[(local time, label, note)] of the steps a citizen may see (no staff names, no internal drafts)."""
    tz = local_zone()
    steps: list[tuple[datetime, str, str]] = []
    for e in timeline(req):
        label = STEP_LABELS.get(e.action)
        if label is None:
            continue
        data = e.after_data or {}
        note = ""
        if e.action == "confirm_receipt":
            note = f"收到日期：{detail_text(data.get('received_on'))}"
        elif e.action == "reason_request":
            note = f"请于 {detail_text(data.get('due_on'))} 前说明理由（条例第三十五条）"
        elif e.action == "reason_decided":
            note = ("理由合理" + (f"，延迟答复期限至 {detail_text(data['delay_due_on'])}" if data.get("delay_due_on") else "")
                    if data.get("accepted") else "理由不合理")
        elif e.action == "extension_void":
            note = data.get("reason") or ""
        elif e.action == "fee_refunded":
            note = f"退还 {data.get('amount')} 元"
        elif e.action == "extension":
            note = f"延长 {data.get('days')} 个工作日，理由：{data.get('reason')}"
        elif e.action in ("reply", "reply_signed_off", "reject", "deemed_abandoned") and req.outcome:
            o = outcomes.get(req.outcome)
            note = o.group if o.group == o.label else f"{o.group}：{o.label}"
        steps.append((e.at.astimezone(tz), label, note))
    return steps


# The audit detail keys the handling page shows, in this order, with their Chinese labels; other keys
# (ids, statuses, internal flags) stay in the API's timeline only. The same labels name the typed
# values of an action form that could not be shown again (templates/requests/staff_detail.html).
DETAIL_LABELS = {
    "on": "日期", "received_on": "收到日期", "sent_on": "发出日期", "answered_on": "答复日期",
    "filed_on": "提起日期", "decided_on": "结果日期", "channel": "申请方式", "department": "部门",
    "from": "原部门", "to": "改派至", "kind": "类别", "party": "对象", "items": "补正事项", "period": "补正期限",
    "outcome": "答复结果", "result": "结果", "legal_ground": "法律依据", "not_held_basis": "不掌握的情形",
    "disclosure_basis": "公开的情形", "disclosure_access": "获取信息的方式、途径和时间",
    "not_ours_reason": "不属于本机关负责公开的理由", "holder_organ": "负责公开该信息的机关",
    "holder_contact": "该机关联系方式", "approver": "批准人", "receiving_organ": "受理机关",
    "amount": "金额", "days": "天数", "due_on": "答复期限", "deadline_on": "截止日期", "reason": "理由",
    "note": "意见", "opinion": "意见", "text": "正文", "message": "理由和渠道", "repeat_of": "疑似重复申请", "late": "逾期补正", "answer": "第三方意见",
    "after_reconsideration": "复议后起诉", "accepted": "理由合理", "delay_until": "延迟答复期限",
    "delay_due_on": "延迟答复期限", "method": "方式", "units": "计费数量", "quantity": "计费数量",
    "number": "文号", "tracking_number": "邮件号码", "confirmed_on": "确认日期", "receipt_rule": "收到日期的确定",
    "original_due_on": "原答复期限", "timing": "送达时限",
    "delivered_on": "送达日期", "period_due_on": "期限届满日", "late_reason": "正当理由", "decision": "决定",
    "withdrawn_files": "撤下的附件（未发出）", "guidance": "指导和释明", "drafted_on": "拟稿日期",
    "attachments": "附件数", "evidence": "证据材料数", "organ": "有权更正的机关", "pages_provided": "已提供页数",
    "top_up": "补退差额", "paper_number": "纸质原件文号",
}
# Keys the handling page leaves out on purpose: the new status (the row's step names it) and the ids of the
# consultation, dispute or document the row is about (the page lists each of them by name above). Any other
# key without a label is still shown, under its own name — a detail is never lost.
HIDDEN_KEYS = frozenset({"status", "consultation", "dispute", "document", "extension_request"})
# The day an action happened, for a 补录 row (the row's own time is when it was entered).
HAPPENED_KEYS = ("on", "received_on", "sent_on", "answered_on", "filed_on", "decided_on", "delivered_on")
_CONSULTATION_KINDS = {"third_party": "第三方", "organ": "其他机关"}


@dataclass
class TimelineRow:
    at: datetime
    actor_label: str
    action: str
    entered_at: datetime | None
    happened_on: str | None = None  # set for a 补录 row: the day it happened
    details: list[tuple[str, str]] = field(default_factory=list)  # [(label, text)]


# What a `method` names depends on the step: the fee's way of charging, the refund's way of paying back, or
# else how a document was delivered.
def _method_labels(action: str) -> Mapping[str, str]:
    if action == "fee_notice":
        from requests_module.fees import METHODS as FEE_METHODS
        return FEE_METHODS
    if action == "fee_refunded":
        from requests_module.refunds import METHODS as REFUND_METHODS
        return REFUND_METHODS
    return DELIVERY_METHODS


def _text(key: str, value: Any, departments: Mapping[str, str], action: str = "") -> str:
    """The shown text of one detail value ('' hides it)."""
    if value is None or value == "":
        return ""
    if key == "accepted":
        return "合理" if value else "不合理"
    if isinstance(value, bool):
        return "是" if value else ""
    if key == "outcome":
        o = outcomes.OUTCOMES.get(value)
        return (o.label if o.group == o.label else f"{o.group}：{o.label}") if o else str(value)
    if key == "not_held_basis":
        return NOT_HELD_BASES.get(value, str(value))
    if key == "disclosure_basis":
        return DISCLOSURE_BASES.get(value, str(value))
    if key in ("department", "from", "to", "receiving_organ"):
        return departments.get(value, str(value))
    if key == "kind":
        return {**ATTACHMENT_KINDS, **DISPUTE_KINDS, **_CONSULTATION_KINDS, **DOCUMENT_KINDS}.get(value, str(value))
    if key == "method":
        return _method_labels(action).get(value, str(value))
    if key == "result":
        return DISPUTE_RESULTS.get(value, str(value))
    if key == "channel":
        return CHANNELS.get(value, str(value))
    if key == "decision":  # an Art. 41 correction's decision code, or the reason a lapse was decided
        from requests_module.correction_models import DECISIONS
        return DECISIONS[value][0] if value in DECISIONS else str(value)
    if key == "answer":
        from requests_module.third_party import ANSWERS
        return ANSWERS.get(value, str(value))
    if key == "amount":
        return f"{value} 元"
    if key in ("days", "period"):
        return f"{value} 个工作日"
    return detail_text(value)


def audit_row(event: AuditEvent, departments: Mapping[str, str]) -> TimelineRow:
    """One audit event as display parts: labelled Chinese details of the known keys, and for a 补录 the
    day it happened (that day is then left out of the details)."""
    data = event.after_data or {}
    if not isinstance(data, dict):  # not a mapping: shown as it is, still readable
        data = {"": data}
    happened = None
    if event.entered_at is not None:
        key = next((k for k in HAPPENED_KEYS if data.get(k)), None)
        if key is not None:
            happened = detail_text(data[key])
            data = {k: v for k, v in data.items() if k != key}
    details = [(label, text) for key, label in DETAIL_LABELS.items()
               if key in data and (text := _text(key, data[key], departments, event.action))]
    details += [(key or "详情", text) for key, value in data.items()
                if key not in DETAIL_LABELS and key not in HIDDEN_KEYS and (text := detail_text(value))]
    return TimelineRow(at=event.at, actor_label=event.actor_label, action=event.action,
                       entered_at=event.entered_at, happened_on=happened, details=details)


def applicant_facts(req: DisclosureRequest) -> list[tuple[str, str]]:
    """The handling page's 申请人与送达: who applied and how to reach them, and the form and way of obtaining the
    information they asked for (条例 Art. 29 (1), (3); Art. 40: the form follows the applicant's request), and
    whether they agreed to the reply being published (masked, after review)."""
    name = req.name + (f"（{ORG_TYPES[req.org_type]}）" if req.org_type in ORG_TYPES else "")
    facts = [("申请人", name)]
    if req.contact_person:
        facts.append(("联系人", req.contact_person))
    facts += [("联系电话", req.phone or "未填写"), ("电子邮箱", req.email or "未填写"),
              ("通信地址", req.address or "未填写"),
              ("获取信息的方式", DELIVERIES.get(req.delivery, req.delivery)),
              ("信息的载体形式", FORMS.get(req.form, req.form)),
              ("答复公开", "同意隐去个人信息并经审查后公开" if req.publish_consent else "不同意公开")]
    return facts


def staff_timeline(req: DisclosureRequest) -> list[TimelineRow]:
    """The handling page's 全过程记录: every audit event of the application, oldest first."""
    departments = {d.code: d.name for d in Department.query.all()}
    return [audit_row(e, departments) for e in timeline(req)]


def applicant_prefill(user: Any) -> dict[str, str]:
    """What a signed-in citizen's new application form starts with (issue 18 item 12): the account's name, phone
    and e-mail, and the identity document and address of their latest application as a person, when known. The
    applicant reviews and submits it themselves (条例 Art. 29); an organisation's details are never carried over."""
    from requests_module.queries import mine
    values = {"name": user.name or "", "phone": user.phone or "", "email": user.email or ""}
    last = next((r for r in mine(user) if r.applicant_type == "person"), None)
    if last is not None:
        values = {"name": values["name"] or last.name, "phone": values["phone"] or last.phone,
                  "email": values["email"] or last.email, "id_type": last.id_type, "id_number": last.id_number,
                  "address": last.address}
    return {k: v for k, v in values.items() if v}
