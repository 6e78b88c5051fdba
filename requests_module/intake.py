"""Intake use cases: online submission, paper registration, receipt confirmation, rejection, assignment.
Closing with an outcome is closing.py; the application's files are attachments.py."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.auth import lookup
from core.calendar.service import get_calendar
from core.clocks.service import start_clock, stop_clock
from core.db import unit_of_work
from core.departments.routing import suggest_departments
from core.departments.service import check_discloses, disclosing_departments
from core.errors import ValidationError
from core.extensions import db
from core.formats import zh_date
from core.uploads import check_files
from core.workflow import transition
from requests_module import attachments, closing, outcomes, periods
from requests_module.common import ENTITY, check_date, clock, dated, due_text, log_event, notify_applicant, today, tz
from requests_module.models import CHANNELS, DisclosureRequest
from requests_module.reasons import check_outcome
from requests_module.remedy import receiving_department
from requests_module.staff_notices import tell_handlers
from requests_module.states import WORKFLOW, Status
from requests_module.validation import clean_application

if TYPE_CHECKING:
    from core.departments.models import Department


def _normalize(text):
    return re.sub(r"[\s\W_]+", "", text or "").lower()


def find_repeat(req: DisclosureRequest) -> DisclosureRequest | None:
    """An earlier application of the same applicant (ID or phone) with the same information asked for."""
    since = req.submitted_at - timedelta(days=365)
    candidates = DisclosureRequest.query.filter(
        DisclosureRequest.id != req.id, DisclosureRequest.submitted_at >= since,
        (DisclosureRequest.id_number == req.id_number) | (DisclosureRequest.phone == req.phone)).all()
    wanted = _normalize(req.title)
    return next((c for c in candidates if _normalize(c.title) == wanted), None)


def _create(data, *, channel, status, now, actor, citizen=None, files=(), receiving=None):
    cleaned = clean_application(data)
    checked = check_files(files)  # before anything is written: a bad file refuses the whole submission
    req = DisclosureRequest(status=status.value, channel=channel, citizen_id=getattr(citizen, "id", None),
                            submitted_at=now, receiving_department=receiving, **cleaned)
    db.session.add(req)
    db.session.flush()
    req.number = f"YSQ-{today(now).year}-{req.id:06d}"
    # the applicant's access code for the status look-up: on the receipt page once, and by SMS/email
    req.access_code = lookup.issue(ENTITY, req.id, now=now, new=True, label=f"政府信息公开申请 {req.number} ",
                                   phone=req.phone, email=req.email)
    attachments.attach(req, checked, "application", now)
    repeat = find_repeat(req)
    req.repeat_of_id = repeat.id if repeat else None
    log_event(req, "submitted", now=now, actor=actor,
           detail={"number": req.number, "channel": channel, "status": status.value,
                   "receiving_organ": receiving.code if receiving is not None else None,
                   "repeat_of": repeat.number if repeat else None, "attachments": len(checked)})
    return req


def submit_online(data: Mapping[str, Any], *, now: datetime, citizen: Any = None, files: Sequence[Any] = ()) -> DisclosureRequest:
    """A citizen's online application (Art. 29), addressed to the district government (received by its 公开办:
    remedy.receiving_department); receipt is fixed when staff confirm it (Art. 31), within
    RECEIPT_CONFIRM_WORKDAYS working days of submission (the confirmation clock), so none waits unseen."""
    with unit_of_work():
        req = _create(data, channel="online", status=Status.SUBMITTED, now=now, actor=citizen or "公众",
                      citizen=citizen, files=files)
        start_clock(entity_kind=ENTITY, entity_id=req.id, name="receipt", unit="workdays",
                    length=periods.configured("RECEIPT_CONFIRM_WORKDAYS"), start_on=today(now), now=now,
                    actor=citizen or "公众", label=req.number)
        # 已收到: in-app, SMS and email; the Art. 33 period starts only when receipt is confirmed (Art. 31 (3))
        notify_applicant(req, "application_received", now=now, context={"confirm_by": zh_date(latest_receipt_day(req)[0])})
        return req


def _stop_receipt_clock(req, now, actor, reason):
    c = clock(req, "receipt")
    if c is not None and c.state != "stopped":
        stop_clock(c, now=now, actor=actor, reason=reason)


def _start_answer_clock(req, received_on, now, actor):
    """Art. 31 fixes the day of receipt, Art. 33 counts the answer period from it; the applicant is told both
    (in-app, SMS, email) with the due date from the clock itself (common.due_text)."""
    start_clock(entity_kind=ENTITY, entity_id=req.id, name="answer", unit="workdays", length=periods.ANSWER_WORKDAYS,
                start_on=received_on, now=now, actor=actor, label=req.number, department_id=req.department_id)
    notify_applicant(req, "answer_period_started", now=now,
                     context={"received": zh_date(received_on), "due": due_text(req)})


def register_paper(data: Mapping[str, Any], *, channel: str, received_on: date, now: datetime, actor: Any,
                   files: Sequence[Any] = (), department: Department | None = None) -> DisclosureRequest:
    """Staff register an application handed in, mailed, faxed or made orally, with its receipt date;
    with `department` it goes straight to that department (one transaction)."""
    if channel not in CHANNELS or channel == "online":
        raise ValidationError("请选择申请方式：当面、邮寄、传真或口头", field="channel")
    check_date(received_on, now, field="received_on", label="收到日期")
    check_discloses(receiving_department(actor))  # a party organ or an organ no longer in use receives nothing
    with unit_of_work(), dated(received_on, now):  # registered days after it arrived: a flagged 补录
        # the receiving organ (Art. 27): the registering staff member's organ (remedy.receiving_department)
        req = _create(data, channel=channel, status=Status.RECEIVED, now=now, actor=actor, files=files,
                      receiving=receiving_department(actor))
        req.received_on = received_on
        _start_answer_clock(req, received_on, now, actor)
        if department is not None:
            db.session.flush()
            _assign(req, department, now=now, actor=actor)
    return req


RECEIPT_RULE = "网上申请应在提交后{n}个工作日内确认收到，逾期确认的，以第{n}个工作日为收到申请之日"


def latest_receipt_day(req: DisclosureRequest) -> tuple[date, int]:
    """The latest receipt date of an online application: submission + RECEIPT_CONFIRM_WORKDAYS working days.
    条例 Art. 31 (3): an online application is received on "双方确认之日"; the organ's own delay in confirming
    must not lengthen the Art. 33 period, so a confirmation later than the confirmation period counts as
    made on its last day (issue 15, lawyer finding 5)."""
    n = periods.configured("RECEIPT_CONFIRM_WORKDAYS")
    return get_calendar().add_workdays(req.submitted_at.astimezone(tz()).date(), n), n


def receipt_day(req: DisclosureRequest, typed: date) -> tuple[date, str | None]:
    """(receipt date, the rule's text if `typed` was later than the latest receipt day, else None)."""
    latest, n = latest_receipt_day(req)
    if typed <= latest:
        return typed, None
    return latest, RECEIPT_RULE.format(n=n) + f"（{zh_date(latest)}）"


def confirm_receipt(req: DisclosureRequest, *, received_on: date, now: datetime, actor: Any) -> DisclosureRequest:
    """Fix the receipt date of an online application: the answer period counts from the next working day.
    A date later than submission + RECEIPT_CONFIRM_WORKDAYS working days is replaced by that day, and the
    audit row says so (Art. 31 (3), receipt_day): the answer is then due 20 working days after it (Art. 33)."""
    submitted = req.submitted_at.astimezone(tz()).date()
    check_date(received_on, now, field="received_on", not_before=submitted, label="收到日期")
    day, capped = receipt_day(req, received_on)
    with unit_of_work(), dated(day, now):
        transition(WORKFLOW, req, Status.RECEIVED, "confirm_receipt", now=now, actor=actor,
                   detail={"received_on": day.isoformat(),
                           **({"confirmed_on": received_on.isoformat(), "receipt_rule": capped} if capped else {})},
                   allowed_from={Status.SUBMITTED})
        req.received_on = day
        _start_answer_clock(req, day, now, actor)
        _stop_receipt_clock(req, now, actor, "receipt confirmed")  # staff's own period: judged by the entry
    return req


def receipt_note(req: DisclosureRequest) -> str | None:
    """The capped-receipt sentence of a confirmed online application (from its confirm_receipt audit row), else
    None: the handling page's flash and the API show it (one rule, receipt_day)."""
    from requests_module.queries import timeline

    rows = [e for e in timeline(req) if e.action == "confirm_receipt"]
    return (rows[-1].after_data or {}).get("receipt_rule") if rows else None


def reject(req: DisclosureRequest, *, outcome: str, message: str, on: date, now: datetime, actor: Any, paper_number: str | None = None) -> DisclosureRequest:
    """Close a non-application (信访、投诉、重复申请 …) as 不予处理 with a message naming the right channel. Its
    letter is the system's, dated the day it is entered; an earlier day only as the 补录 of a paper letter under
    that letter's number (numbering.paper_number: no 倒签)."""
    from requests_module import numbering

    if not outcome.startswith("not_processed_"):
        raise ValidationError("直接办结只能选择“不予处理”类结果", field="outcome")
    outcomes.get(outcome)
    check_outcome(req, outcome)  # Art. 35: 大量反复申请 only after reasons were found wanting
    if not (message or "").strip():
        raise ValidationError("请写明不予处理的理由和应当去的渠道", field="message")
    check_date(on, now, not_before=req.received_on, req=req)
    paper = numbering.check_paper(req, on, today(now), paper_number, actor)
    with unit_of_work(), dated(on, now):
        transition(WORKFLOW, req, Status.CLOSED, "reject", now=now, actor=actor, detail={"outcome": outcome},
                   allowed_from={Status.SUBMITTED, Status.RECEIVED})
        closing.close(req, outcome=outcome, text=message.strip(), on=on, now=now, actor=actor, paper_number=paper)
    return req


def suggestions(req: DisclosureRequest) -> list[Any]:
    return suggest_departments(f"{req.title} {req.description}", disclosing_departments())


def assign(req: DisclosureRequest, department: Department, *, now: datetime, actor: Any) -> DisclosureRequest:
    """Send the application to the department that handles it; its staff are told."""
    with unit_of_work():
        _assign(req, department, now=now, actor=actor)
    return req


def _assign(req, department, *, now, actor):
    check_discloses(department)  # 条例 Art. 2, 36: only an administrative organ handles an application
    transition(WORKFLOW, req, Status.ASSIGNED, "assign", now=now, actor=actor, detail={"department": department.code},
               allowed_from={Status.RECEIVED})
    req.department = department
    c = clock(req)
    c.department_id = department.id
    tell_handlers(department.id, "new_assignment", now=now, entity=(ENTITY, req.id), context={
        "label": f"{req.number} {req.title}", "department": department.name, "due": due_text(req)})

