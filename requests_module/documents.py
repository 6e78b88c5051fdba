"""Documents issued on an application and their delivery (送达), issue 15 item 3.

Every notice that starts or changes a period is a document with a delivery record. A period that the law
counts from the addressee's receipt runs from the recorded delivery date, and has no end before it:
- correction (补正, 《政府信息公开条例》Art. 30): the applicant's 补正期限 from receipt of the notice;
- third-party consultation (Art. 32): "第三方应当自收到征求意见书之日起15个工作日内提出意见";
- fee (国办函〔2020〕109号, 政府信息公开信息处理费管理办法): payment within 20 working days from the day after
  the applicant receives the fee notice (收到收费通知次日起20个工作日内).
The periods themselves are requests_module/periods.py. The day of receipt is never counted (民法典 Art. 201
para. 1: 开始的当日不计入): `due = add_workdays(delivered_on, n)`.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core import action_time
from core.calendar.service import get_calendar
from core.clocks.service import start_clock
from core.db import unit_of_work
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.formats import zh_date
from requests_module import notice_timing
from requests_module.common import ENTITY, dated, log_event, today
from requests_module.models import DELIVERY_METHODS, DOCUMENT_KINDS, RequestDocument
from requests_module.states import Status

if TYPE_CHECKING:
    from requests_module.models import Consultation, DisclosureRequest

_PREFIX = {"correction_notice": "补", "extension_notice": "延", "consultation_letter": "征", "fee_notice": "费",
           "reply": "复", "disclosure_notice": "告", "reason_notice": "理", "delay_notice": "迟"}
_TRACKING = re.compile(r"^[A-Za-z0-9-]{8,40}$")
PENDING_TEXT = "待送达后起算"
# The documents addressed to the applicant (the others go to a third party): the applicant sees them on
# their own page and may acknowledge receipt there (网上签收 = delivery "online_read").
APPLICANT_KINDS = ("correction_notice", "extension_notice", "fee_notice", "reply", "reason_notice", "delay_notice")


def actor_label(actor: Any) -> str:
    return (getattr(actor, "label", None) or (actor if isinstance(actor, str) else "system"))[:120]


def number_for(req: DisclosureRequest, kind: str, on: date) -> str:
    """亭民政依申补〔2026〕12号: the issuing organ's own 代字 and counter per kind and year, assigned on issue
    (GB/T 9704-2012 7.2.4; requests_module/numbering.py)."""
    from requests_module.numbering import organ_number

    return organ_number(req.receiving_department, kind, f"依申{_PREFIX[kind]}", on.year)


def issue(req: DisclosureRequest, kind: str, *, on: date, now: datetime, addressee: str, body: str,
          period: int | None = None, consultation: Consultation | None = None, number: str | None = None,
          answer_due_on: date | None = None) -> RequestDocument:
    """Record a document issued on `on` (joins the caller's unit of work)."""
    if kind not in DOCUMENT_KINDS:
        raise ValueError(kind)
    doc = RequestDocument(request_id=req.id, kind=kind, addressee=addressee[:120], issued_on=on, body=body or "",
                          number=number or number_for(req, kind, on), period_workdays=period,
                          answer_due_on=answer_due_on,
                          consultation_id=consultation.id if consultation is not None else None, created_at=now)
    req.documents.append(doc)
    db.session.flush()
    return doc


def disclosure_body(content: str, reasons: str) -> str:
    """The stored body of a 决定公开告知书: the information to be disclosed and the reasons (Art. 32)."""
    return json.dumps({"content": content, "reasons": reasons}, ensure_ascii=False)


def disclosure_parts(doc: RequestDocument) -> tuple[str, str]:
    data = json.loads(doc.body or "{}")
    return data.get("content", ""), data.get("reasons", "")


def latest(req: DisclosureRequest, kind: str) -> RequestDocument | None:
    docs = [d for d in req.documents if d.kind == kind]
    return docs[-1] if docs else None


def document_of(req: DisclosureRequest, document_id: int) -> RequestDocument:
    from core.inputs import INT_MAX

    doc = db.session.get(RequestDocument, document_id) if 0 < document_id <= INT_MAX else None
    if doc is None or doc.request_id != req.id:
        raise ValidationError("请选择本申请的文书", field="document")
    return doc


def _answered_on(req, doc):
    """The day the addressee did what the document asked (补正, 缴费, 说明理由, the third party's opinion)."""
    if doc.kind == "consultation_letter":
        return doc.consultation.answered_on if doc.consultation is not None else None
    return {"correction_notice": req.correction_received_on, "fee_notice": req.fee_paid_on,
            "reason_notice": req.reason_received_on}.get(doc.kind)


def no_longer_running(req: DisclosureRequest, doc: RequestDocument) -> str | None:
    """Why a period that has not started (no delivery recorded) will never start, or None: the addressee
    already answered, a later document of the same kind replaced this one, or the application is closed.
    Such a notice must not read 待送达后起算 — nobody is waiting for its delivery any more."""
    answered = _answered_on(req, doc)
    if answered is not None:
        return f"已于{zh_date(answered)}答复，期限不再计算"
    if any(d.kind == doc.kind and d.consultation_id == doc.consultation_id and d.id != doc.id
           and (d.issued_on, d.id or 0) > (doc.issued_on, doc.id or 0) for d in req.documents):
        return "已由其后发出的同类文书取代，期限不再计算"
    if req.status is Status.CLOSED:
        return "申请已办结，期限不再计算"
    return None


def period_text(doc: RequestDocument) -> str | None:
    """The end of the addressee's period for display: a date once delivered; before delivery 待送达后起算,
    unless the period will never start (no_longer_running)."""
    if doc.period_workdays is None:
        return None
    if doc.due_on is None:
        req = doc.request
        why = no_longer_running(req, doc) if req is not None else None
        return f"{doc.period_workdays}个工作日，{why or PENDING_TEXT}"
    return f"{zh_date(doc.due_on)}（送达次日起第{doc.period_workdays}个工作日）"


def applicant_documents(req: DisclosureRequest) -> list[RequestDocument]:
    return [d for d in req.documents if d.kind in APPLICANT_KINDS]


def acknowledge_online(req: DisclosureRequest, doc: RequestDocument, *, now: datetime, actor: Any) -> RequestDocument:
    """The applicant opens a notice on their own page and acknowledges receipt (网上签收): delivered online
    on that day, and the period that runs from receipt starts (Art. 30; 国办函〔2020〕109号). A notice already
    delivered otherwise keeps its first delivery."""
    if doc.request_id != req.id or doc.kind not in APPLICANT_KINDS:
        raise DomainError("该文书不是发给申请人的文书")
    if doc.delivered_on is not None:
        return doc
    return record_delivery(req, doc, method="online_read", delivered_on=today(now), now=now, actor=actor,
                           _acknowledged=True)


# What staff may record: "read online" is recorded only by the applicant's own 签收 (acknowledge_online).
STAFF_DELIVERY_METHODS = {k: v for k, v in DELIVERY_METHODS.items() if k != "online_read"}


def record_delivery(req: DisclosureRequest, doc: RequestDocument, *, method: str, delivered_on: date, now: datetime,
                    actor: Any, tracking_number: str = "", _acknowledged: bool = False) -> RequestDocument:
    """Record how and when the document reached its addressee; the period that runs from receipt starts
    (Art. 30, Art. 32, 国办函〔2020〕109号). Once per document, never before issue nor in the future."""
    if doc.request_id != req.id:
        raise DomainError("该文书不属于本申请")
    if method not in DELIVERY_METHODS:
        raise ValidationError("请选择送达方式", field="method")
    if method == "online_read" and not _acknowledged:
        raise ValidationError("“网上签收”只能由申请人在本人申请页面签收后自动登记，工作人员不能代为登记", field="method")
    tracking = (tracking_number or "").strip()
    if tracking and method != "registered_mail":
        raise ValidationError("只有挂号信送达才填写邮件号码", field="tracking_number")
    if method == "registered_mail" and not tracking:
        raise ValidationError("挂号信送达须填写邮件号码", field="tracking_number")
    if tracking and not _TRACKING.match(tracking):
        raise ValidationError("邮件号码应为 8 到 40 位字母或数字", field="tracking_number")
    if doc.delivered_on is not None:
        raise DomainError(f"{doc.kind_label}已于{zh_date(doc.delivered_on)}登记送达（{doc.delivery_label}），不能重复登记")
    if delivered_on > today(now):
        raise DomainError(f"送达日期（{zh_date(delivered_on)}）不能晚于今天")
    if delivered_on < doc.issued_on:
        raise DomainError(f"送达日期（{zh_date(delivered_on)}）不能早于{doc.kind_label}的发出日期（{zh_date(doc.issued_on)}）")
    action_time.check_day(delivered_on, today=today(now), previous=doc.issued_on, field="delivered_on",
                          label="送达日期")  # the 补录 window
    with unit_of_work(), dated(delivered_on, now):
        doc.delivery_method, doc.tracking_number, doc.delivered_on = method, tracking or None, delivered_on
        doc.delivery_recorded_at, doc.delivery_recorded_by = now, actor_label(actor)
        _start_period(req, doc, now=now, actor=actor)
        late = notice_timing.flag(req, doc)  # Art. 30 / Art. 33 para. 2: reached the applicant too late
        log_event(req, "document_delivered", now=now, actor=actor,
               detail={"document": doc.id, "kind": doc.kind, "number": doc.number, "method": method,
                       "tracking_number": tracking or None, "delivered_on": delivered_on.isoformat(),
                       "period_due_on": doc.due_on.isoformat() if doc.due_on else None,
                       **({"timing": late} if late else {})})
        if doc.kind == "extension_notice":
            notice_timing.void_late_extension(req, now=now, actor=actor)  # delivered after the original due date
    return doc


def _start_period(req, doc, *, now, actor):
    """The addressee's period runs from the delivery date (the day of receipt itself is not counted)."""
    status = Status(req.status)
    if doc.kind == "consultation_letter" and doc.consultation is not None:
        doc.due_on = get_calendar().add_workdays(doc.delivered_on, doc.period_workdays)
        doc.consultation.deadline_on = doc.due_on
        return
    waiting = {"correction_notice": ({Status.AWAITING_CORRECTION}, "correction", "correction_due_on"),
               "fee_notice": ({Status.AWAITING_PAYMENT}, "fee", "fee_due_on"),
               # Art. 35: the applicant explains while the application stays open (the answer period runs on)
               "reason_notice": ({Status.RECEIVED, Status.ASSIGNED}, "reason", "reason_due_on")}.get(doc.kind)
    if waiting is None or status not in waiting[0] or doc is not latest(req, doc.kind):
        return  # no period (extension notice, reply), or the applicant has already acted
    if doc.kind == "reason_notice" and (req.reason_received_on is not None or req.reason_decided_on is not None):
        return  # already explained (or decided): nothing runs any more
    c = start_clock(entity_kind=ENTITY, entity_id=req.id, name=waiting[1], unit="workdays",
                    length=doc.period_workdays, start_on=doc.delivered_on, now=now, actor=actor, label=req.number,
                    department_id=req.department_id)
    doc.due_on = c.due_on
    setattr(req, waiting[2], c.due_on)


def represent(doc: RequestDocument, today: date | None = None) -> dict[str, Any]:
    """A document as the API shows it; `timing`: a notice that did not (or may not) reach the applicant in
    time (notice_timing.flag: Art. 30, Art. 33 para. 2)."""
    req = doc.request
    effect = notice_timing.extension_effect(req, today) if doc.kind == "extension_notice" else None
    return {"timing": notice_timing.flag(req, doc, today) if req is not None else None,
            "extension_effect": effect.as_json() if effect is not None else None,
            "id": doc.id, "kind": doc.kind, "kind_label": doc.kind_label, "number": doc.number,
            "addressee": doc.addressee, "issued_on": doc.issued_on.isoformat(),
            "period_workdays": doc.period_workdays, "due_on": doc.due_on.isoformat() if doc.due_on else None,
            "period": period_text(doc), "consultation_id": doc.consultation_id,
            "delivery": None if doc.delivered_on is None else {
                "method": doc.delivery_method, "method_label": doc.delivery_label,
                "tracking_number": doc.tracking_number, "delivered_on": doc.delivered_on.isoformat(),
                "recorded_at": doc.delivery_recorded_at.isoformat(), "recorded_by": doc.delivery_recorded_by},
            "lapse_decision": doc.lapse_decision, "lapse_reason": doc.lapse_reason}


def follow_calendar(old_cal: Any, new_cal: Any, years: Any, now: datetime) -> int:
    """When an official year is imported, the ends of periods from delivery move with it (their clocks move
    in core/clocks/recompute.py; the stored dates the documents, consultations and pages show follow here)."""
    from requests_module.models import Consultation, DisclosureRequest

    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    docs = RequestDocument.query.filter(RequestDocument.delivered_on.isnot(None), RequestDocument.due_on.isnot(None),
                                        RequestDocument.period_workdays.isnot(None),
                                        RequestDocument.due_on >= first, RequestDocument.delivered_on <= last)
    changed = 0
    for doc in docs:
        new = new_cal.add_workdays(doc.delivered_on, doc.period_workdays)
        if new == doc.due_on:
            continue
        old, doc.due_on = doc.due_on, new
        if doc.consultation_id is not None:
            c = db.session.get(Consultation, doc.consultation_id)
            if c.answered_on is None:
                c.deadline_on = new
        req = db.session.get(DisclosureRequest, doc.request_id)
        for attr in ("correction_due_on", "fee_due_on"):
            if getattr(req, attr) == old and doc.kind == {"correction_due_on": "correction_notice",
                                                          "fee_due_on": "fee_notice"}[attr]:
                setattr(req, attr, new)
        changed += 1
    return changed
