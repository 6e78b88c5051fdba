"""Service-level limits of DESIGN §3, configurable per type, category and urgency by admins."""
from dataclasses import dataclass

TYPES = {"inquiry": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议",
         "praise": "表扬"}
URGENCIES = {"normal": "一般", "urgent": "紧急"}
WORKDAY_HOURS = 7.5  # 08:30–12:00 and 13:30–17:30


@dataclass(frozen=True)
class Limit:
    unit: str  # workhours | wall
    hours: float


_HANDLING_DAYS = {"inquiry": 3, "help": 5, "complaint": 10, "report": 10, "suggestion": 15, "praise": 3}

DEFAULTS = {
    ("dispatch", "normal"): Limit("workhours", 2), ("dispatch", "urgent"): Limit("wall", 0.5),
    ("sign_for", "normal"): Limit("workhours", 2), ("sign_for", "urgent"): Limit("wall", 0.5),
    ("return_window", "normal"): Limit("workhours", WORKDAY_HOURS), ("return_window", "urgent"): Limit("wall", 2),
    ("callback", "normal"): Limit("workhours", 2 * WORKDAY_HOURS),
    ("callback", "urgent"): Limit("workhours", WORKDAY_HOURS),
    # 首次联系诉求人 after dispatch (响应率 of the assessment, 国办发〔2020〕53号 "及时响应"): the district's
    # configurable default, 1 working day / 2 wall hours urgent; admins override it like every other limit.
    ("first_contact", "normal"): Limit("workhours", WORKDAY_HOURS), ("first_contact", "urgent"): Limit("wall", 2),
}
# 督办单 written feedback (hotline/supervision.py): the district's configurable default, not a national
# figure — 国办发〔2020〕53号 leaves the 督办 limits to each locality; admins override it like the others.
DEFAULTS[("supervision_feedback", "normal")] = Limit("workhours", WORKDAY_HOURS)  # 1 working day
DEFAULTS[("supervision_feedback", "urgent")] = Limit("wall", 4)
MAX_EXTENSION_HOURS = 10 * WORKDAY_HOURS  # at most 10 working days, once per dispatch


def limit(clock, *, type_, urgency, category=None, overrides=None):
    """The limit of a named clock; an admin rule for (type, category prefix, urgency) wins over the defaults."""
    for rule in sorted(overrides or [], key=lambda r: -len(r.category_prefix or "")):
        if rule.clock == clock and rule.urgency in (urgency, None) and rule.type in (type_, None) and \
                (not rule.category_prefix or (category or "").startswith(rule.category_prefix)):
            return Limit(rule.unit, rule.hours)
    if clock == "handling":
        if urgency == "urgent" and type_ != "suggestion":
            return Limit("wall", 24)
        return Limit("workhours", _HANDLING_DAYS[type_] * WORKDAY_HOURS)
    if clock == "return_window" and urgency == "normal":
        return Limit("workhours", return_window_workdays() * WORKDAY_HOURS)
    return DEFAULTS[(clock, urgency)]


def return_window_workdays():
    """退单 window in working days: config HOTLINE_RETURN_WINDOW_WORKDAYS (DESIGN §3 default 1; some
    provinces' 12345 rules allow 2), outside an app (scripts) the DESIGN default."""
    from flask import current_app, has_app_context
    days = current_app.config.get("HOTLINE_RETURN_WINDOW_WORKDAYS", 1) if has_app_context() else 1
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not 0 < days <= 10:
        raise ValueError("HOTLINE_RETURN_WINDOW_WORKDAYS must be a number of working days in (0, 10]")
    return days
