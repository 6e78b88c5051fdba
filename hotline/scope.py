"""Matters outside 12345's scope (issue 16 item 2).

(a) 不予受理 / 告知其他渠道: 国办发〔2020〕53号 keeps out of 12345 what law gives to other bodies — 诉讼 (the
people's courts), 仲裁 (arbitration institutions), 纪检监察 (the discipline commission / 12388), 行政复议
(the reconsideration organ, 行政复议法 2023), 信访 (the 信访 bodies, 信访工作条例) — the desk closes the ticket
and the caller is told by SMS which channel to use.
(b) A request for government information is not a ticket: it is an application under the 条例, which the
applicant makes in writing themselves (政府信息公开条例 Art. 29). The desk closes the ticket and the caller
gets a link to the application form prefilled from a one-use token (core/handoff.py); they review and submit it.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, has_request_context, request

from core import handoff
from core.db import unit_of_work
from core.errors import ValidationError
from core.notifications.service import notify
from core.workflow import transition
from hotline.common import AT_MOST, ENTITY, free_text, stop
from hotline.states import WORKFLOW, Status

if TYPE_CHECKING:
    from hotline.common import Actor
    from hotline.models import Ticket

CHANNELS = {  # code: (the matter, what the caller is told to do — a legal remedy is applied for, not 反映)
    "litigation": ("诉讼", "依法向人民法院提起诉讼"),
    "arbitration": ("仲裁", "依法向仲裁机构申请仲裁"),
    "discipline": ("纪检监察", "向纪检监察机关反映（12388 举报电话）"),
    # 行政复议法 (2023) 第二十条: the application within 60 days of knowing of the act — told, so it is not lost
    "reconsideration": ("行政复议", "依法向行政复议机关申请行政复议（自知道或者应当知道该行政行为之日起六十日内提出，"
                                "《中华人民共和国行政复议法》第二十条）"),
    "petition": ("信访", "向信访工作机构反映（《信访工作条例》）"),
    "other": ("其他", ""),
}
NOT_ACCEPTED, REFERRED = "not_accepted", "referred_disclosure"  # close_reason values left out of the rates
OTHER_MAX = 200
FORM_PATH = "/requests/new?handoff="  # the citizen form of the disclosure application


def not_accept(ticket: Ticket, *, channel: str, other: str | None = "", now: datetime, actor: Actor) -> Ticket:
    """不予受理 / 告知其他渠道 (国办发〔2020〕53号): close a new ticket outside 12345's scope, telling the caller
    by SMS which channel handles the matter."""
    if not isinstance(channel, str) or channel not in CHANNELS:
        raise ValidationError("请选择应当告知的渠道", field="channel")
    other = free_text(other, field="other", label="告知的渠道", max_len=OTHER_MAX, too_long=AT_MOST)
    matter, told = CHANNELS[channel]
    if channel == "other":
        if not other:
            raise ValidationError("请写明应当告知的渠道", field="other")
        told = f"通过以下渠道办理：{other}"
    elif other:  # the operator names the court, body or office where that helps the caller
        told = f"{told}；具体为：{other}"
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.CLOSED, NOT_ACCEPTED, now=now, actor=actor, allowed_from={Status.NEW},
                   detail={"channel": channel})
        ticket.close_reason, ticket.closed_at = NOT_ACCEPTED, now
        ticket.close_note = f"{matter}事项，告知其{told}" if channel != "other" else f"告知其{told}"
        stop(ticket, "dispatch", at=now, actor=actor, reason=NOT_ACCEPTED)
        if ticket.caller_phone:
            notify("ticket_not_accepted", now=now, address=ticket.caller_phone, channels=("sms",),
                   entity=(ENTITY, ticket.id), context={"label": ticket.number, "detail": told})
    return ticket


def form_link(token: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or (request.host_url if has_request_context() else "")
    return base.rstrip("/") + FORM_PATH + token


def refer_disclosure(ticket: Ticket, *, now: datetime, actor: Actor) -> Ticket:
    """转为政府信息公开申请: close a new ticket and hand the caller's data (name, phone, address; the content as
    the description of the information sought) to a prefilled application form, which the applicant reviews
    and submits themselves in writing (政府信息公开条例 Art. 29). The caller gets the link by SMS."""
    with unit_of_work():
        transition(WORKFLOW, ticket, Status.CLOSED, REFERRED, now=now, actor=actor, allowed_from={Status.NEW})
        ticket.close_reason, ticket.closed_at = REFERRED, now
        ticket.close_note = "属政府信息公开申请事项，已告知来电人通过依申请公开渠道书面提出申请"
        stop(ticket, "dispatch", at=now, actor=actor, reason=REFERRED)
        row = handoff.issue(handoff.DISCLOSURE_APPLICATION,
                            {"name": ticket.caller_name or "", "phone": ticket.caller_phone or "",
                             "address": ticket.address or "", "description": ticket.content or ""},
                            source=(ENTITY, ticket.id), now=now)
        if ticket.caller_phone:
            notify("ticket_referred_disclosure", now=now, address=ticket.caller_phone, channels=("sms",),
                   entity=(ENTITY, ticket.id),
                   context={"label": ticket.number, "link": form_link(row.token),
                            "days": handoff.valid_days()})
    return ticket


def disclosure_link(ticket: Ticket, now: datetime) -> dict[str, Any] | None:
    """(link, usable, row) of the ticket's hand-over to the disclosure form, or None."""
    row = handoff.for_source(ENTITY, ticket.id, handoff.DISCLOSURE_APPLICATION)
    if row is None:
        return None
    return {"link": form_link(row.token), "usable": row.usable(now), "expires_at": row.expires_at,
            "used_at": row.used_at, "used_ref": row.used_ref}
