"""Where an in-app notification leads: the page on which its recipient sees the item it is about.

The notification stores the item as (entity_kind, entity_id); the package that owns the kind registers how
to reach it (core imports neither workflow, DESIGN §5). The link is only a URL: the page it opens applies its
own access rule, so a link never grants anything — another citizen's item answers 404 there as it would when
typed in. A notification without an item (or of a kind nobody registered, e.g. older rows) shows no link."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from core.notifications.models import Notification

# {entity_kind: resolver(user, entity_id) → URL or None}, registered by the package that owns the kind
TARGETS: dict[str, Callable[[Any, int], str | None]] = {}


def register_target(entity_kind: str, resolver: Callable[[Any, int], str | None]) -> None:
    """Notifications about `entity_kind` link to resolver(recipient, id): the staff page or the citizen's page."""
    TARGETS[entity_kind] = resolver


def target_of(user: Any, notification: Notification) -> str | None:
    """The URL of the page where `user` sees the notification's item, or None (no item, or no page for it)."""
    resolver = TARGETS.get(notification.entity_kind or "")
    try:
        ident = int(notification.entity_id or "")
    except ValueError:
        return None
    return resolver(user, ident) if resolver is not None else None
