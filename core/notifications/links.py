"""Where an in-app notification leads: the page on which its recipient sees the item it is about.

The notification stores the item as (entity_kind, entity_id); the package that owns the kind registers how
to reach it (core imports neither workflow, DESIGN §5). The link is only a URL: the page it opens applies its
own access rule, so a link never grants anything — another citizen's item answers 404 there as it would when
typed in. A notification without an item (or of a kind nobody registered, e.g. older rows) shows no link. A notice
about many items (the supervisors' escalation digest) shows the links its event registers, among them the
overdue lists each package registers for its kinds of work."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from core.notifications.models import Notification

# {entity_kind: resolver(user, entity_id) → URL or None}, registered by the package that owns the kind
TARGETS: dict[str, Callable[[Any, int], str | None]] = {}
# {event: resolver(user, notification) → [(text, URL)]}: the links of a notice about many items (a digest)
DETAILS: dict[str, Callable[[Any, Notification], list[tuple[str, str]]]] = {}
# {entity_kind: (name, resolver(user) → URL or None)}: the staff list of that kind's overdue work
OVERDUE_LISTS: dict[str, tuple[str, Callable[[Any], str | None]]] = {}


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


def register_details(event: str, resolver: Callable[[Any, Notification], list[tuple[str, str]]]) -> None:
    """Notifications of `event` (about many items) show the links resolver(recipient, notification) lists."""
    DETAILS[event] = resolver


def details_of(user: Any, notification: Notification) -> list[tuple[str, str]]:
    """The (text, URL) links a notice about many items shows `user`; [] for other notices."""
    resolver = DETAILS.get(notification.event)
    return resolver(user, notification) if resolver is not None else []


def register_overdue_list(entity_kind: str, name: str, resolver: Callable[[Any], str | None]) -> None:
    """The list where staff see `entity_kind` work that is overdue, filtered so: resolver(user) → its URL."""
    OVERDUE_LISTS[entity_kind] = (name, resolver)


def overdue_lists(user: Any, kinds: list[str]) -> list[tuple[str, str]]:
    """(name, URL) of the overdue list of each kind that has one `user` may open."""
    out = []
    for kind in kinds:
        name, resolver = OVERDUE_LISTS.get(kind, ("", None))
        url = resolver(user) if resolver is not None else None
        if url and (name, url) not in out:
            out.append((name, url))
    return out
