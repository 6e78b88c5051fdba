"""Correction requests (更正申请), 《政府信息公开条例》Art. 41: intake, the organ's decision, the reply.

Art. 41: 公民、法人或者其他组织有证据证明行政机关提供的与其自身相关的政府信息记录不准确的，可以要求该行政机关更正。
有权更正的行政机关审核属实的，应当予以更正并告知申请人；不属于本行政机关职能范围的，行政机关可以转送有权更正的行政机关
处理，并告知申请人，或者告知申请人向有权更正的行政机关提出。

- Evidence is required at intake (有证据证明): at least one file, checked by content and size (core/uploads).
- The request is addressed to an organ (department) from the start; that organ's staff decide. Online requests
  are received on the day they are submitted (the system confirms at once, Art. 31 (3) by analogy).
- The law sets no period for the answer. By analogy with Art. 33 (2) the organ's internal target is 20 working
  days from the day after receipt (config CORRECTION_REQUEST_TARGET_WORKDAYS), kept as an ordinary working-day
  clock so the queue shows 临期/超期; it is a target, not a statutory deadline, and the letter does not cite one.
- Decisions (correction_models.DECISIONS): corrected (with what was changed), forwarded to the organ that may
  correct (its name), referred (the applicant is told to apply to that organ), or refused as not proven / not
  about the applicant (with reasons). The applicant is told and gets a written reply (correction_letter.py).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core import audit
from core.clocks.service import start_clock, stop_clock
from core.db import unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.formats import zh_date
from core.inputs import parse_date
from core.uploads import check_files, store
from core.workflow import transition
from requests_module import periods
from requests_module.common import check_date, dated, moment_of, notify_applicant, today
from requests_module.correction_models import (
    DECISIONS,
    ENTITY,
    WORKFLOW,
    CorrectionEvidence,
    CorrectionRequest,
    Status,
)
from requests_module.models import CHANNELS
from requests_module.numbering import organ_number
from requests_module.remedy import issuing_organ
from requests_module.staff_notices import tell_handlers
from requests_module.validation import _taker, clean_applicant

if TYPE_CHECKING:
    from core.clocks.models import Clock
    from core.departments.models import Department

KIND = "更正申请"
PAPER_CHANNELS = {k: v for k, v in CHANNELS.items() if k != "online"}
_FIELDS = ("applicant_type", "name", "contact_person", "id_type", "id_number", "phone", "email", "address",
           "record_title", "provided_by", "provided_on", "inaccuracy", "requested_text")


def target_workdays() -> int:
    """The internal answer target (Art. 33 (2) by analogy; Art. 41 sets none)."""
    return periods.configured("CORRECTION_REQUEST_TARGET_WORKDAYS")


def clean_correction(data: Mapping[str, Any], *, received_on: date) -> dict[str, Any]:
    """The cleaned fields of a correction request (Art. 41: the record, who provided it and when, what it
    should say), or ValidationError naming every bad field."""
    errors, out = {}, {}
    clean_applicant(data, errors, out)
    errors.pop("org_type", None)  # the organisation's type only feeds the disclosure annual report
    take = _taker(data, errors, out)
    take("record_title", 200, label="不准确的政府信息记录")
    take("provided_by", 120, label="提供该信息的行政机关")
    take("inaccuracy", 5000, label="记录中不准确的内容")
    take("requested_text", 5000, label="应当更正为")
    raw = data.get("provided_on")
    try:
        out["provided_on"] = parse_date(raw if isinstance(raw, str) else "")
        if out["provided_on"] > received_on:
            errors["provided_on"] = "提供信息的日期不能晚于提出更正申请的日期"
    except ValueError as exc:
        errors["provided_on"] = f"提供信息的日期：{exc}"
    if errors:
        raise ValidationError("更正申请内容有误，请按提示修改：" + "；".join(errors.values()), fields=errors)
    return {k: out[k] for k in _FIELDS}


def _evidence(files):
    checked = check_files(files, field="evidence", label="证据材料")
    if not checked:  # Art. 41: 有证据证明
        raise ValidationError("请上传证明该信息记录不准确的证据材料（PDF、JPG、PNG、Word 或 Excel）", field="evidence")
    return checked


def _create(data, *, department, channel, received_on, now, actor, citizen=None, files=()):
    errors = {} if department is not None else {"department": "请选择提出更正申请的行政机关"}
    try:
        cleaned = clean_correction(data, received_on=received_on)
    except ValidationError as err:
        errors.update(err.fields)
    if errors:  # every bad field at once, the organ included
        raise ValidationError("更正申请内容有误，请按提示修改：" + "；".join(errors.values()), fields=errors)
    checked = _evidence(files)  # before anything is written: a bad file refuses the whole request
    cr = CorrectionRequest(status=Status.RECEIVED.value, channel=channel, citizen_id=getattr(citizen, "id", None),
                           department_id=department.id, submitted_at=now, received_on=received_on, **cleaned)
    db.session.add(cr)
    db.session.flush()
    cr.number = f"GZ-{received_on.year}-{cr.id:06d}"
    for f in checked:
        db.session.add(CorrectionEvidence(correction_id=cr.id, filename=f.filename, stored_name=store(f),
                                          content_type=f.content_type, size=len(f.data), sha256=f.sha256,
                                          uploaded_at=now))
    target = start_clock(entity_kind=ENTITY, entity_id=cr.id, name="answer", unit="workdays", length=target_workdays(),
                         start_on=received_on, now=now, actor=actor, label=cr.number, department_id=department.id)
    audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=cr.id, action="submitted",
                 after={"number": cr.number, "channel": channel, "department": department.code,
                        "received_on": received_on.isoformat(), "evidence": len(checked)})
    if citizen is not None:  # an online request: the addressed organ's staff learn of it (paper ones they entered)
        tell_handlers(department.id, "correction_request_received", now=now, entity=(ENTITY, cr.id),
                      context={"label": cr.number, "department": department.name, "record": cr.record_title,
                               "due": zh_date(target.due_on)})
    return cr


def submit_online(data: Mapping[str, Any], *, department: Department, now: datetime, citizen: Any, files: Sequence[Any] = ()) -> CorrectionRequest:
    """A citizen's correction request (Art. 41), received the day it is submitted (Art. 31 (3) by analogy)."""
    with unit_of_work():
        return _create(data, department=department, channel="online", received_on=today(now), now=now,
                       actor=citizen, citizen=citizen, files=files)


def register_paper(data: Mapping[str, Any], *, department: Department, channel: str, received_on: date,
                   now: datetime, actor: Any, files: Sequence[Any] = ()) -> CorrectionRequest:
    """Staff register a correction request handed in, mailed, faxed or made orally, with its receipt date
    (a past day is a flagged 补录, core/action_time.py)."""
    if channel not in PAPER_CHANNELS:
        raise ValidationError("请选择申请方式：当面、邮寄、传真或口头", field="channel")
    check_date(received_on, now, field="received_on", label="收到日期")
    with unit_of_work(), dated(received_on, now):
        return _create(data, department=department, channel=channel, received_on=received_on, now=now,
                       actor=actor, files=files)


def _clean_decision(decision, text, organ):
    if decision not in DECISIONS:
        raise ValidationError("请选择处理结果", field="decision")
    text, organ = (text if isinstance(text, str) else "").strip(), (organ if isinstance(organ, str) else "").strip()
    needs = DECISIONS[decision][1]
    if needs == "organ":
        if not organ:
            raise ValidationError("转送或告知时请写明有权更正的行政机关名称", field="organ")
        if len(organ) > 120:
            raise ValidationError("行政机关名称最多 120 字", field="organ")
    else:
        organ = ""
    if decision == "corrected" and not text:
        raise ValidationError("请写明更正了哪些内容（原记录、更正后的记录）", field="text")
    if decision in ("not_proven", "not_own") and not text:
        raise ValidationError("不予更正时须写明理由", field="text")
    if len(text) > 10000:
        raise ValidationError("正文最多 10000 字", field="text")
    return text, organ or None


def decide_correction(cr: CorrectionRequest, *, decision: str, text: str, organ: str | None = None, on: date, now: datetime, actor: Any) -> CorrectionRequest:
    """The organ's decision under Art. 41; the applicant is told and the reply letter is issued that day."""
    text, organ = _clean_decision(decision, text, organ)
    if organ and organ == issuing_organ(cr)[0]:  # Art. 41: forwarded or referred to *another* organ
        raise ValidationError("转送或告知的应当是有权更正的其他行政机关，不能是本机关", field="organ")
    WORKFLOW.check(Status(cr.status), Status.CLOSED, "decided")
    check_date(on, now, not_before=cr.received_on, label="答复日期")
    with unit_of_work(), dated(on, now):
        cr.decision, cr.decision_text, cr.target_organ = decision, text, organ
        cr.decided_on, cr.decided_by_id, cr.closed_at = on, getattr(actor, "id", None), now
        # GB/T 9704-2012 7.2.4: the deciding organ's own 代字 and counter (numbering.py)
        cr.letter_number = organ_number(cr.receiving_department, "correction_reply", "更正复", on.year)
        clock = open_clock(cr)
        if clock is not None:
            stop_clock(clock, now=moment_of(on, now), actor=actor, reason=f"decided: {decision}")
        transition(WORKFLOW, cr, Status.CLOSED, "decided", now=now, actor=actor,
                   detail={"decision": decision, "organ": organ, "on": on.isoformat()})
        notify_applicant(cr, "reply", now=now, context={"kind": KIND, "due": zh_date(on)}, entity_kind=ENTITY)
    return cr


def open_clock(cr: CorrectionRequest) -> Clock | None:
    from core.clocks.models import Clock
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(cr.id), name="answer")
            .filter(Clock.state != "stopped").order_by(Clock.id.desc()).first())


def answer_clock(cr: CorrectionRequest) -> Clock | None:
    from core.clocks.models import Clock
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(cr.id), name="answer")
            .order_by(Clock.id.desc()).first())
