"""Helpers shared by the disclosure use cases: clocks of an application, audit, applicant notices."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from core import action_time, audit
from core.calendar.service import get_calendar
from core.calendar.service import local_date as today
from core.calendar.service import local_zone as tz
from core.clocks.models import Clock
from core.formats import zh_date
from core.notifications.service import notify
from core.notifications.templates import PERIOD_RULES
from requests_module.states import ENTITY

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest


def moment_of(day: date, now: datetime) -> datetime:
    """When an action dated `day` happened: now if today, else the end of that day."""
    return now if day >= today(now) else datetime.combine(day, time(23, 59, 59), tzinfo=tz())


def check_date(day: date, now: datetime, field: str = "on", not_before: date | None = None, label: str = "日期",
               req: DisclosureRequest | None = None, live: bool = False) -> date:
    """Action dates follow core/action_time.py's rule: not in the future, not before the step they follow
    (`not_before`) nor — given `req` — before the application's latest dated step, not older than the
    补录 window; `live` steps (they pause the organ's period) only on the day they are entered."""
    previous = max([d for d in (not_before, last_step_on(req) if req is not None else None) if d is not None],
                   default=None)
    return action_time.check_day(day, today=today(now), previous=previous, field=field, label=label, live=live)


def last_step_on(req: DisclosureRequest) -> date | None:
    """The day of the application's latest dated step so far (receipt, notices, corrections, consultations
    sent or answered, payment, reply)."""
    days = [req.received_on, req.correction_notice_on, req.correction_received_on, req.fee_notice_on,
            req.fee_paid_on, req.fee_refunded_on, req.replied_on, req.reason_requested_on, req.reason_received_on, req.reason_decided_on]
    for c in req.consultations:
        days += [c.sent_on, c.answered_on]
    return max([d for d in days if d is not None], default=None)


def dated(on: date, now: datetime) -> Any:
    """The unit of work of an action dated `on` and entered `now`: a past day is a 补录 (flagged in the
    audit rows, and a clock it stops after its due moment stays late — core/action_time.py)."""
    return action_time.as_of(moment_of(on, now), now=now)


def clock(req: DisclosureRequest, name: str = "answer") -> Clock | None:
    """The newest clock of that name for the application (None before receipt)."""
    return (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(req.id), name=name)
            .order_by(Clock.id.desc()).first())


def keep_answer_verdict(req: DisclosureRequest) -> None:
    """Keep the answer clock's frozen verdict (Art. 33; core.clocks.service.stop_clock) on the application, in
    the unit of work that stopped the clock or took its verdict again (notice_timing.void_late_extension)."""
    answer = clock(req)
    req.answer_on_time = answer.on_time if answer is not None else None


def log_event(req: DisclosureRequest, action: str, *, now: datetime, actor: Any, detail: Any) -> None:
    audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=req.id, action=action, after=detail)


def notify_applicant(req: DisclosureRequest, event: str, *, now: datetime, context: Any, entity_kind: Any = ENTITY) -> None:
    """In-app for the applicant's account, SMS to the phone, email when given (`entity_kind`: a correction
    request's notices use this too, with their own kind)."""
    from core.auth.models import User
    from core.extensions import db

    ctx = {"label": req.number, "kind": "政府信息公开申请", **context}
    user = db.session.get(User, req.citizen_id) if req.citizen_id else None
    entity = (entity_kind, req.id)
    if user is not None:
        notify(event, now=now, user=user, channels=("inapp",), context=ctx, entity=entity)
    notify(event, now=now, address=req.phone, channels=("sms",), context=ctx, entity=entity)
    if req.email:
        notify(event, now=now, address=req.email, channels=("email",), context=ctx, entity=entity)


def due_text(req: DisclosureRequest) -> str | None:
    """答复期限：2026年10月30日（第20个工作日）, or None before receipt / after closing."""
    c = clock(req)
    if c is None or c.due_on is None or c.state == "stopped":
        return None
    if c.state == "paused":
        return f"暂停计时（{PERIOD_RULES}）"
    if req.reason_delay_due_on is not None and c.due_on >= req.reason_delay_due_on:
        # Art. 35: the organ set a 延迟答复合理期限; an answer by then is on time
        return f"{zh_date(c.due_on)}（条例第三十五条确定的延迟答复期限）" + ("，暂定" if c.provisional else "")
    n = get_calendar().workdays_between(c.start_on, c.due_on)
    return f"{zh_date(c.due_on)}（第{n}个工作日）" + ("，暂定" if c.provisional else "")


def typed_text(value: Any, field: str) -> str:
    """A typed value as stripped text (None → ""); a number or list from an API client is a 400 naming the field,
    not a crash."""
    from core.errors import ValidationError

    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} 应为字符串", field=field)
    return value.strip()


def check_choice(value: Any, choices: Any, *, field: str, missing: Any, invalid: Any) -> None:
    """A required choice among `choices` (a reply's basis): `missing` when none was made, `invalid` when it is not
    one of them — each a 400 on `field`."""
    from core.errors import ValidationError

    if not value:
        raise ValidationError(missing, field=field)
    if value not in choices:
        raise ValidationError(invalid, field=field)
