"""The files of an application: those handed in with it, with its correction, and with its reply."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.extensions import db
from core.uploads import store
from requests_module.models import RequestAttachment

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest


def attach(req: DisclosureRequest, checked: Sequence[Any], kind: str, now: datetime) -> None:
    """Store already checked files as attachments of the application."""
    for f in checked:
        db.session.add(RequestAttachment(request_id=req.id, kind=kind, filename=f.filename, stored_name=store(f),
                                         content_type=f.content_type, size=len(f.data), sha256=f.sha256,
                                         uploaded_at=now))
