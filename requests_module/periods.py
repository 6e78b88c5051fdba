"""The disclosure workflow's time limits: the one table, each limit with its source. Statutory limits
(《中华人民共和国政府信息公开条例》, 国办函〔2020〕109号) are constants; service limits a deployment may change are
read from the app config (config.py, environment) by `configured()`. Every message, letter and the OpenAPI
text takes its number from here. All limits are working days (工作日); the day the period starts from is
never counted (民法典 Art. 201 para. 1: 开始的当日不计入; 条例 Art. 31 only fixes which day is the day of
receipt): `due = add_workdays(start, n)`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from core.clocks.verdict import Verdict
    from requests_module.models import DisclosureRequest

# Art. 30: "自收到申请之日起7个工作日内一次性告知申请人作出补正" — the one-time correction notice, sent (and
# delivered) within this many working days of receipt.
CORRECTION_NOTICE_WORKDAYS = 7

# Art. 33 para. 2: "自收到申请之日起20个工作日内予以答复" — the answer period.
ANSWER_WORKDAYS = 20

# Art. 33 para. 2: "延长的期限最长不得超过20个工作日" — one extension, approved by the head of disclosure work.
EXTENSION_MAX_WORKDAYS = 20

# Art. 32 (and Art. 34 for another organ): "第三方应当自收到征求意见书之日起15个工作日内提出意见".
CONSULTATION_WORKDAYS = 15

# 国办函〔2020〕109号 (政府信息公开信息处理费管理办法): payment within 20 working days from the day after the
# applicant receives the fee notice (收到收费通知次日起20个工作日内).
FEE_WORKDAYS = 20

# Service limit: the longest period staff may give the applicant to correct (Art. 30) or to explain (Art. 35).
APPLICANT_PERIOD_MAX_WORKDAYS = 30

# Service limits a deployment sets in config.py (environment variables of the same name), with their source:
CONFIGURED = {
    # Art. 30: the applicant's correction period, counted from receipt of the 补正告知书 (the Regulations set
    # none; a reasonable period the notice states).
    "CORRECTION_PERIOD_WORKDAYS": "条例第三十条（补正期限）",
    # Art. 31 (3): an online application is received when both sides confirm; staff confirm (or reject) it
    # within this many working days of submission, and a later confirmation counts as made on the last day.
    "RECEIPT_CONFIRM_WORKDAYS": "条例第三十一条（网上申请确认收到）",
    # Art. 35: the applicant's period to explain an apparently massive or repeated application ...
    "REASON_PERIOD_WORKDAYS": "条例第三十五条（说明理由期限）",
    # ... and the longest 延迟答复合理期限 after the Art. 33 due date an organ may set when it accepts them.
    "REASON_DELAY_MAX_WORKDAYS": "条例第三十五条（延迟答复合理期限）",
    # Art. 41 correction requests: no statutory period; Art. 33's 20 working days as an internal target.
    "CORRECTION_REQUEST_TARGET_WORKDAYS": "条例第四十一条（更正申请，内部办理时限）",
}


def configured(name: str) -> int:
    """The configured service limit `name` (one of CONFIGURED), in working days."""
    if name not in CONFIGURED:
        raise KeyError(f"{name} is not a configured disclosure limit (requests_module/periods.py)")
    return int(current_app.config[name])


def answer_verdict(req: DisclosureRequest) -> Verdict | None:
    """The Art. 33 verdict of a closed application (None while open, or with no answer period: closed before
    receipt). The clock's frozen `on_time` decides (core.clocks.service.stop_clock: a late 补录 stays late);
    the late working days count from the due date to the reply day (民法典 Art. 201: the due day not counted)."""
    from core.calendar.service import local_date
    from core.clocks.verdict import judge
    from requests_module.common import clock

    c = clock(req)
    if req.status != "closed" or c is None or c.state != "stopped" or c.due_on is None:
        return None
    replied = req.replied_on or (local_date(c.stopped_at) if c.stopped_at else None)
    if replied is None:
        return None
    return judge(c, replied, c.due_on)
