"""THE table of the 12345 hotline's limits (DESIGN §3 clocks), each with its source. Every clock default is
configurable per type, category prefix and urgency by admins (/admin/sla/, table hotline_sla_rules);
`limit()` is the one place that answers "how long may this step take". Messages build their numbers
from these constants."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.clocks.models import Clock
    from core.clocks.verdict import Verdict
    from hotline.models import SlaRule

TYPES = {"inquiry": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议",
         "praise": "表扬"}
URGENCIES = {"normal": "一般", "urgent": "紧急"}
WORKDAY_HOURS = 7.5  # 08:30–12:00 and 13:30–17:30 (DESIGN §3 working hours)


@dataclass(frozen=True)
class Limit:
    unit: str  # workhours | wall
    hours: float


# ---- the clocks (DESIGN §3 table; 国办发〔2020〕53号 asks for 及时派单、及时响应、按时办结、回访) ----------------

# 派单 dispatch after intake and 签收 sign-for after dispatch: 2 working hours, urgent 30 wall minutes.
DISPATCH_WORKHOURS, DISPATCH_URGENT_WALL_HOURS = 2, 0.5
SIGN_FOR_WORKHOURS, SIGN_FOR_URGENT_WALL_HOURS = 2, 0.5
# 办理 handling by type, in working days (DESIGN §3, after GB/T 33358-2016 and provincial 时限); urgent 24
# wall hours, except 建议 (suggestion), which keeps its 15 working days.
HANDLING_WORKDAYS = {"inquiry": 3, "help": 5, "complaint": 10, "report": 10, "suggestion": 15, "praise": 3}
HANDLING_URGENT_WALL_HOURS = 24
HANDLING_URGENT_EXEMPT = ("suggestion",)
# 退单 return window after dispatch: DESIGN §3 1 working day (config HOTLINE_RETURN_WINDOW_WORKDAYS: some
# provinces' 12345 rules allow 2, at most RETURN_WINDOW_MAX_WORKDAYS), urgent 2 wall hours.
RETURN_WINDOW_WORKDAYS, RETURN_WINDOW_MAX_WORKDAYS, RETURN_WINDOW_URGENT_WALL_HOURS = 1, 10, 2
# 回访 callback after the reply: 2 working days, urgent 1 working day (DESIGN §3).
CALLBACK_WORKDAYS, CALLBACK_URGENT_WORKDAYS = 2, 1
# ... and after this many failed attempts the ticket closes as 联系不上 (hotline/callback.py, DESIGN §3 回访).
CALLBACK_MAX_FAILED_ATTEMPTS = 3
# 首次联系诉求人 after dispatch (响应率 of the assessment, 国办发〔2020〕53号 "及时响应"): the district's
# configurable default, 1 working day, urgent 2 wall hours.
FIRST_CONTACT_WORKDAYS, FIRST_CONTACT_URGENT_WALL_HOURS = 1, 2
# 督办单 written feedback (hotline/supervision.py): the district's configurable default, not a national
# figure — 国办发〔2020〕53号 leaves the 督办 limits to each locality: 1 working day, urgent 4 wall hours.
SUPERVISION_FEEDBACK_WORKDAYS, SUPERVISION_FEEDBACK_URGENT_WALL_HOURS = 1, 4
# 延期 extension: at most 10 working days, once per dispatch, asked and approved before expiry (DESIGN §3,
# hotline/extensions.py); not an admin-configurable clock.
MAX_EXTENSION_WORKDAYS = 10
MAX_EXTENSION_HOURS = MAX_EXTENSION_WORKDAYS * WORKDAY_HOURS

# Two-level dispatch (hotline/tiers.py): a district sub-centre's own sign-for and handling clocks take the limits
# (and the admin overrides) of the department's — each level has the same time from its own dispatch.
LEVEL_CLOCKS = {"sub_sign_for": "sign_for", "sub_handling": "handling"}

DEFAULTS = {
    ("dispatch", "normal"): Limit("workhours", DISPATCH_WORKHOURS),
    ("dispatch", "urgent"): Limit("wall", DISPATCH_URGENT_WALL_HOURS),
    ("sign_for", "normal"): Limit("workhours", SIGN_FOR_WORKHOURS),
    ("sign_for", "urgent"): Limit("wall", SIGN_FOR_URGENT_WALL_HOURS),
    ("return_window", "normal"): Limit("workhours", RETURN_WINDOW_WORKDAYS * WORKDAY_HOURS),
    ("return_window", "urgent"): Limit("wall", RETURN_WINDOW_URGENT_WALL_HOURS),
    ("callback", "normal"): Limit("workhours", CALLBACK_WORKDAYS * WORKDAY_HOURS),
    ("callback", "urgent"): Limit("workhours", CALLBACK_URGENT_WORKDAYS * WORKDAY_HOURS),
    ("first_contact", "normal"): Limit("workhours", FIRST_CONTACT_WORKDAYS * WORKDAY_HOURS),
    ("first_contact", "urgent"): Limit("wall", FIRST_CONTACT_URGENT_WALL_HOURS),
    ("supervision_feedback", "normal"): Limit("workhours", SUPERVISION_FEEDBACK_WORKDAYS * WORKDAY_HOURS),
    ("supervision_feedback", "urgent"): Limit("wall", SUPERVISION_FEEDBACK_URGENT_WALL_HOURS),
}


def limit(clock: str, *, type_: str, urgency: str, category: str | None = None,
          overrides: Iterable[SlaRule] | None = None) -> Limit:
    """The limit of a named clock; an admin rule for (type, category prefix, urgency) wins over the defaults."""
    for rule in sorted(overrides or [], key=lambda r: -len(r.category_prefix or "")):
        if rule.clock == clock and rule.urgency in (urgency, None) and rule.type in (type_, None) and \
                (not rule.category_prefix or (category or "").startswith(rule.category_prefix)):
            return Limit(rule.unit, rule.hours)
    if clock == "handling":
        if urgency == "urgent" and type_ not in HANDLING_URGENT_EXEMPT:
            return Limit("wall", HANDLING_URGENT_WALL_HOURS)
        return Limit("workhours", HANDLING_WORKDAYS[type_] * WORKDAY_HOURS)
    if clock == "return_window" and urgency == "normal":
        return Limit("workhours", return_window_workdays() * WORKDAY_HOURS)
    return DEFAULTS[(clock, urgency)]


def return_window_workdays() -> float:
    """退单 window in working days: config HOTLINE_RETURN_WINDOW_WORKDAYS (DESIGN §3 default
    RETURN_WINDOW_WORKDAYS; some provinces' 12345 rules allow 2), outside an app (scripts) the DESIGN default."""
    from flask import current_app, has_app_context
    days = current_app.config.get("HOTLINE_RETURN_WINDOW_WORKDAYS", RETURN_WINDOW_WORKDAYS) if has_app_context() \
        else RETURN_WINDOW_WORKDAYS
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not 0 < days <= RETURN_WINDOW_MAX_WORKDAYS:
        raise ValueError("HOTLINE_RETURN_WINDOW_WORKDAYS must be a number of working days in "
                         f"(0, {RETURN_WINDOW_MAX_WORKDAYS}]")
    return days


def urgency_badge(urgency: str) -> str:
    """The badge a ticket carries on the queues and its page: 紧急 when it is urgent, "" (none) when normal."""
    return URGENCIES[urgency] if urgency == "urgent" else ""


def handling_verdict(handling: Clock | None) -> Verdict | None:
    """The verdict of a ticket's handling clock (hotline.common.clock(ticket, "handling")) once stopped by the
    reply (VERDICTS in hotline/common.py); None while it runs, or when it stopped otherwise (a transfer, a
    merge). The clock's frozen `on_time` decides: a late reply stays late whatever is entered later."""
    if handling is None or handling.state != "stopped" or handling.stop_reason != "replied" \
            or handling.stopped_at is None:
        return None
    from core.clocks.verdict import judge
    return judge(handling, handling.stopped_at, handling.due_at, limit="时限")
