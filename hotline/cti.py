"""CTI: the telephone system's call events (newCall → answer → hangup) become the call log, and each one pops up
on the console of the operator signed in at the extension it concerns (issue 20 item 1).

The events have the shape of Zammad's generic CTI API (docs/api.md, "CTI"): `event`, `from`, `to`, `direction`,
`callId`, `user[]` (here: the extensions rung), `answeringNumber`, `queue`, `cause` — form-encoded or JSON.
Events may come twice or out of order (a PBX posts each in its own request): a repeated event changes nothing,
an answer or hangup of an unknown call creates it from what the event says, a newCall of a known call is
late and changes nothing; only an answer after the hangup is refused (409). Every change of a call's state
is an audit row (core/workflow.py).
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit, live
from core.db import after_commit, serialise, unit_of_work
from core.errors import ValidationError
from core.extensions import db
from core.formats import is_landline, is_mobile
from core.workflow import Workflow, transition
from hotline import access
from hotline.cti_models import Agent, Call


class CallState(enum.Enum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {"ringing": "振铃中", "answered": "通话中", "ended": "已结束"}[self.value]


TRANSITIONS = {CallState.RINGING: {CallState.ANSWERED, CallState.ENDED}, CallState.ANSWERED: {CallState.ENDED},
               CallState.ENDED: set()}
ENTITY = "cti_call"
WORKFLOW = Workflow(noun="来电", entity_kind=ENTITY, states=CallState, transitions=TRANSITIONS,
                    action_labels={"answer": "接听", "hangup": "挂断"})
EVENTS = ("newCall", "answer", "hangup")
# Zammad's hangup causes, as the call log shows them; others are shown as sent.
CAUSES = {"normalClearing": "正常挂断", "busy": "占线", "cancel": "来电方挂断", "noAnswer": "无人接听",
          "congestion": "线路拥塞", "notFound": "号码不存在", "forwarded": "已转接"}
EXTENSION = re.compile(r"[0-9A-Za-z*#_-]{1,20}")
_PRINTABLE = re.compile("[^\x00-\x1f\x7f\ud800-\udfff]*")  # no controls, no lone surrogates (PostgreSQL refuses them)


def configured_pbxs(setting: str | None) -> dict[str, str]:
    """CTI_TOKENS ("name=token,name=token"; a bare token is named "pbx") as {name: token}."""
    out = {}
    for part in (setting or "").split(","):
        name, _, token = part.strip().rpartition("=")
        if token.strip():
            out[name.strip() or "pbx"] = token.strip()
    return out


MIN_TOKEN_LENGTH = 16


def check_tokens(setting: str | None) -> None:
    """Refuse to start with a CTI token anyone could guess: each at least MIN_TOKEN_LENGTH characters, each PBX
    named once (the application calls this when it starts: hotline/__init__.py)."""
    names = [part.strip().rpartition("=")[0].strip() or "pbx" for part in (setting or "").split(",") if part.strip()]
    short = [name for name, token in configured_pbxs(setting).items() if len(token) < MIN_TOKEN_LENGTH]
    if short or len(names) != len(set(names)):
        raise RuntimeError(f"CTI_TOKENS: every token needs at least {MIN_TOKEN_LENGTH} characters and its own PBX "
                           f"name (too short: {', '.join(short) or '—'}; named twice: "
                           f"{', '.join(sorted({n for n in names if names.count(n) > 1})) or '—'})")


def pbx_for_token(token: str | None, setting: str | None) -> str | None:
    """The name of the PBX whose token this is, or None. Every configured token is compared, each in constant
    time over its SHA-256, so the answer's timing says nothing about how much of a token was right."""
    given = hashlib.sha256((token or "").encode("utf-8", "surrogatepass")).digest()
    found = None
    for name, expected in configured_pbxs(setting).items():
        if hmac.compare_digest(given, hashlib.sha256(expected.encode()).digest()) and token:
            found = name
    return found


@dataclass(frozen=True)
class CtiEvent:
    event: str
    call_id: str
    direction: str
    from_number: str
    to_number: str
    extensions: tuple[str, ...]  # user[]: the extensions rung (newCall) or the one that answered
    answering: str | None
    queue: str | None
    cause: str | None


def _text(data: Mapping[str, Any], key: str, label: str, max_len: int, errors: dict[str, str]) -> str:
    value = data.get(key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors[key] = f"{label}应为文本"
        return ""
    text = str(value).strip()
    if len(text) > max_len or not _PRINTABLE.fullmatch(text):
        errors[key] = f"{label}最多 {max_len} 个字符，且不能含控制字符"
        return ""
    return text


def _extensions(data: Mapping[str, Any], errors: dict[str, str]) -> tuple[str, ...]:
    raw = data.get("user[]", data.get("user"))
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    out: list[str] = []
    for value in values[:20]:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or (
                str(value).strip() and not EXTENSION.fullmatch(str(value).strip())):
            errors["user"] = "user 应为分机号（最多 20 个字母、数字或 * # - _）"
            return ()
        if str(value).strip() and str(value).strip() not in out:
            out.append(str(value).strip())
    if len(values) > 20:
        errors["user"] = "一次最多 20 个分机"
    return tuple(out)


def read_event(data: Mapping[str, Any]) -> CtiEvent:
    """A CTI event from a form-encoded or JSON body (a mapping of strings, numbers or lists); every wrong
    field named in the ValidationError (400)."""
    if not isinstance(data, Mapping):
        raise ValidationError("请求体应为 JSON 对象或表单")
    errors: dict[str, str] = {}
    event = _text(data, "event", "event", 20, errors)
    if event not in EVENTS and "event" not in errors:
        errors["event"] = "event 应为 newCall、answer 或 hangup"
    call_id = _text(data, "callId", "callId", 250, errors)
    if not call_id and "callId" not in errors:
        errors["callId"] = "缺少 callId"
    direction = _text(data, "direction", "direction", 3, errors) or "in"
    if direction not in ("in", "out"):
        errors["direction"] = "direction 应为 in 或 out"
    answering = _text(data, "answeringNumber", "answeringNumber", 20, errors) or None
    if answering is not None and not EXTENSION.fullmatch(answering):
        errors["answeringNumber"] = "answeringNumber 应为分机号"
    out = CtiEvent(event=event, call_id=call_id, direction=direction,
                   from_number=_text(data, "from", "from", 40, errors), to_number=_text(data, "to", "to", 40, errors),
                   extensions=_extensions(data, errors), answering=answering,
                   queue=_text(data, "queue", "queue", 60, errors) or None,
                   cause=_text(data, "cause", "cause", 30, errors) or None)
    if errors:
        raise ValidationError("来电事件有误：" + "；".join(errors.values()), fields=errors)
    return out


def citizen_number(raw: str | None) -> str | None:
    """The caller's number as a ticket stores it (11-digit mobile, or a landline with its area code), from what
    a PBX sends (+86…, 0086…, 86…, a leading 0 before a mobile, spaces and dashes); None when anonymous or
    not a mainland number."""
    digits = re.sub(r"[\s()+-]", "", raw or "")
    if not digits.isdigit():
        return None
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and (is_mobile(digits[len(prefix):]) or
                                          is_landline("0" + digits[len(prefix):])):
            rest = digits[len(prefix):]
            digits = rest if is_mobile(rest) else "0" + rest
            break
    if digits.startswith("01") and is_mobile(digits[1:]):
        digits = digits[1:]
    return digits if (is_mobile(digits) or is_landline(digits)) else None


def phone_variants(phone: str) -> list[str]:
    """The ways a ticket may hold this number: as given, and a landline also with the dash after its area code."""
    out = [phone]
    if phone.startswith("0") and "-" not in phone:
        out += [f"{phone[:n]}-{phone[n:]}" for n in (3, 4)]
    return out


@dataclass(frozen=True)
class Recorded:
    call: Call
    changed: bool  # False: a repeated or late event, nothing changed


def record_event(ev: CtiEvent, *, pbx: str, now: datetime) -> Recorded:
    """Apply one CTI event to the call log in one unit of work; the consoles concerned hear of it after commit."""
    for attempt in (1, 2):
        try:
            return _record(ev, pbx=pbx, now=now)
        except IntegrityError:  # two first events of one call at once (SQLite takes no lock before the insert)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record(ev, *, pbx, now):
    actor = f"PBX {pbx}"
    with unit_of_work():
        serialise(f"cti:{pbx}:{ev.call_id}")  # events of one call, one after the other (PostgreSQL)
        call = Call.query.filter_by(pbx=pbx, call_id=ev.call_id).first()
        if call is None:
            call = _new_call(ev, pbx=pbx, now=now, actor=actor)
            changed = True
        else:
            changed = _apply(call, ev, now=now, actor=actor)
        if changed:
            messages = _messages(call, ev)
            after_commit(lambda: live.publish_many(messages))
    return Recorded(call, changed)


def _new_call(ev, *, pbx, now, actor):
    state = {"newCall": CallState.RINGING, "answer": CallState.ANSWERED, "hangup": CallState.ENDED}[ev.event]
    call = Call(pbx=pbx, call_id=ev.call_id, direction=ev.direction, from_number=ev.from_number,
                to_number=ev.to_number, phone=citizen_number(ev.from_number if ev.direction == "in" else ev.to_number),
                queue=ev.queue, rung=",".join(ev.extensions)[:200], status=state.value, created_at=now,
                ringing_at=now if ev.event == "newCall" else None, answered_at=now if ev.event == "answer" else None,
                ended_at=now if ev.event == "hangup" else None, cause=ev.cause if ev.event == "hangup" else None)
    if ev.event == "answer":
        _answered_by(call, ev)
    db.session.add(call)
    db.session.flush()
    audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=call.id, action=ev.event,
                     after={"status": state.value, "call_id": ev.call_id, "first_event": ev.event})
    return call


def _answered_by(call, ev):
    extension = ev.answering or (ev.extensions[0] if len(ev.extensions) == 1 else None)
    if extension is not None:
        call.extension, call.user_id = extension, next(iter(_signed_in([extension])), None)


def _signed_in(extensions):
    """The ids of the operators signed in at `extensions` (one per extension at most; their ids only)."""
    return set(db.session.scalars(select(Agent.user_id).where(Agent.extension.in_(sorted(extensions)))))


def _apply(call, ev, *, now, actor):
    state = CallState(call.status)
    if ev.event == "newCall":
        return False  # repeated, or late after the answer or hangup it precedes
    if ev.event == "answer":
        if state is CallState.ANSWERED:
            before = call.extension
            _answered_by(call, ev)
            if call.extension == before:
                return False
            audit.log_change(now=now, actor=actor, entity_kind=ENTITY, entity_id=call.id, action="transferred",
                             before={"extension": before}, after={"extension": call.extension})
            return True  # put through to another extension: its operator gets the caller
        _answered_by(call, ev)  # read before the change: the call is written in one UPDATE (or not: 409)
        transition(WORKFLOW, call, CallState.ANSWERED, "answer", now=now, actor=actor)  # 409 once ended
        call.answered_at = now
        return True
    if state is CallState.ENDED:
        return False
    transition(WORKFLOW, call, CallState.ENDED, "hangup", now=now, actor=actor, detail={"cause": ev.cause})
    call.ended_at, call.cause = now, ev.cause
    return True


def _messages(call, ev):
    """The console events of this change: to the operators at the extensions rung, and at the one answering."""
    if call.direction != "in":
        return []
    extensions = {e for e in call.rung.split(",") if e} | (set(ev.extensions) if ev.event == "newCall" else set())
    users = _signed_in(extensions) if extensions else set()
    if call.user_id is not None:
        users.add(call.user_id)
    event = "answer" if call.status == CallState.ANSWERED.value and ev.event == "answer" else ev.event
    return [(access.user_channel(u), "call", {"call": call.id, "event": event, "mine": u == call.user_id})
            for u in sorted(users)]


def label(call: Call) -> str:
    """The call's state in words: ringing, in progress, answered and ended, or missed with its cause."""
    state = CallState(call.status)
    if state is not CallState.ENDED:
        return state.label
    if call.answered_at is not None:
        return "已接听，已挂断"
    return "未接听" + (f"（{CAUSES.get(call.cause, call.cause)}）" if call.cause else "")

