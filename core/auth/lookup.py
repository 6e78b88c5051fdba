"""Status look-up without an account: a tracking number plus the access code (查询码) the applicant
was given on submission — shown on the receipt page and sent by SMS/email — never a public number
(统一社会信用代码) nor the phone number alone.

One rule for both workflows (依申请公开 and 12345). Only a salted hash of the code is stored; 12
characters from a 31-letter alphabet (~59 bits) make an offline guess from a leaked hash as hopeless
as an online one, which core/limits.py throttles per address anyway. The comparison takes the same
time whether or not the item has a code. A lost code (and items from before codes existed) is sent
anew to the phone or email given at submission, never shown to whoever asks.

The receipt page (the item's page right after submission) shows the code with “请保存查询码”, and keeps
showing it on reloads during this browser session: the code is kept in the session for that item only
(never written to a log), and shown only while it is still the item's code. Logging in or out starts
a fresh session (core/auth/views.py), which ends it, as it ends the look-up grant.

A failed look-up sends the visitor back to the form with the tracking number still typed in (kept in
the session for the next page only; the code is typed again, like a password)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, request, session
from werkzeug.wrappers import Response

from core.auth.identity import normalize_code, normalize_phone
from core.auth.models import LookupCode
from core.db import unit_of_work
from core.extensions import db

if TYPE_CHECKING:
    from datetime import datetime

RECEIPTS = "access_code_receipts"  # session: {"<kind>:<id>": code} of items submitted in this session
TYPED = "lookup_typed"  # session: the tracking number of a failed look-up, for the form shown next
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out and to type
LENGTH = 12


def _hash(kind: str, entity_id: int | str | None, code: str | None) -> str:
    return hashlib.sha256(f"{kind}|{entity_id}|{normalize_code(code)}".encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, LENGTH, 4))


def issue(kind: str, entity_id: int | str, *, now: datetime, label: str, phone: str | None = None,
          email: str | None = None, new: bool = False) -> str:
    """A new access code for the item, in the current unit of work, sent to the applicant's phone and
    email through the outbox; returns the code (for the receipt page, once). `new`: the item was created in
    this unit of work, so it has no code yet (no look-up)."""
    from core.notifications.service import notify
    code = new_code()
    row = None if new else db.session.get(LookupCode, (kind, entity_id))
    if row is None:
        row = LookupCode(entity_kind=kind, entity_id=entity_id)
        db.session.add(row)
    row.code_hash, row.created_at = _hash(kind, entity_id, code), now
    context = {"label": label, "code": code}
    if normalize_phone(phone):
        notify("access_code", now=now, address=normalize_phone(phone), channels=("sms",), context=context,
               entity=(kind, entity_id))
    if email:
        notify("access_code", now=now, address=email, channels=("email",), context=context, entity=(kind, entity_id))
    return code


def code_matches(kind: str, entity_id: int | str | None, given: str | None) -> bool:
    """True only when `given` is the item's current access code (spaces, dashes, case and fullwidth
    forms do not count)."""
    row = db.session.get(LookupCode, (kind, entity_id)) if entity_id is not None else None
    expected = row.code_hash if row is not None else "0" * 64
    matched = hmac.compare_digest(_hash(kind, entity_id, given), expected)
    return matched and row is not None and bool(normalize_code(given))


def contact_matches(given: str | None, *contacts: str | None) -> bool:
    """Whether `given` is one of the item's phone numbers or emails in full (for re-sending a code)."""
    phone = normalize_phone(given)
    text = normalize_code(given)
    for contact in contacts:
        if not contact:
            continue
        if phone and normalize_phone(contact) == phone:
            return True
        if "@" in text and normalize_code(contact) == text:
            return True
    return False


def reissue(kind: str, entity_id: int | str, *, now: datetime, label: str, phone: str | None = None,
            email: str | None = None) -> None:
    """Send a fresh access code to the contacts given at submission (the old one stops working)."""
    with unit_of_work():
        issue(kind, entity_id, now=now, label=label, phone=phone, email=email)




def keep_typed(kind: str, number: str | None) -> None:
    """A failed look-up of `kind`: keep the typed tracking number for the form the visitor sees next."""
    session[TYPED] = {"kind": kind, "number": (number or "")[:60]}


def typed(kind: str) -> str:
    """The tracking number of this session's last failed look-up of `kind` (given once), else ''."""
    kept = session.get(TYPED)
    if not kept or kept.get("kind") != kind:
        return ""
    session.pop(TYPED, None)
    return kept.get("number") or ""


def keep_for_receipt(kind: str, entity_id: int | str, code: str) -> None:
    """Right after a submission: this browser session may show the item's access code on its page."""
    kept = {k: v for k, v in (session.get(RECEIPTS) or {}).items() if k != f"{kind}:{entity_id}"}
    kept[f"{kind}:{entity_id}"] = code
    session[RECEIPTS] = dict(list(kept.items())[-5:])  # the last few submissions only


def receipt_code(kind: str, entity_id: int | str) -> str | None:
    """The access code to show on the item's receipt page in this session, else None (another item's,
    or a code replaced since by “重新获取”, is never shown)."""
    code = (session.get(RECEIPTS) or {}).get(f"{kind}:{entity_id}")
    return code if code and code_matches(kind, entity_id, code) else None


def answer_lookup(kind: str, found: Any, *, refusal: str, form_url: str, grant: Callable[[Any], None],
                  page_url: Callable[[Any], str]) -> Response:
    """The answer to a look-up form of `kind` (both workflows): the item's page, this session granted, when
    `found` (the item whose number and code matched), else back to the form at `form_url` with `refusal`
    and the typed number kept."""
    if found is None:
        flash(refusal, "danger")
        keep_typed(kind, request.form.get("number"))
        return redirect(form_url)
    grant(found)
    return redirect(page_url(found))
