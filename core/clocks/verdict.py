"""Whether an item was answered within its limit, as shown on closed items (issue 18 item 5): one rule for
both workflows. The clock's frozen `on_time` decides (core.clocks.service.stop_clock: a late 补录 stays late);
the late working days count from the due day to the reply day (民法典 Art. 201: the due day itself not
counted). A disclosure application is judged by days (requests_module.periods.answer_verdict), a 12345
ticket by moments (hotline.sla.handling_verdict)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.clocks.models import Clock


@dataclass(frozen=True)
class Verdict:
    """When the item was answered, the limit it was judged against (as it stood at the reply: approved
    extensions and pauses included), whether that was in time, and how many working days late."""

    replied: date | datetime
    due: date | datetime
    on_time: bool
    late_workdays: int = 0
    limit: str = "期限"  # the word the workflow uses: 期限 (disclosure), 时限 (12345)

    @property
    def text(self) -> str:
        """已于2026年11月20日答复，期限2026年11月25日，按期 / …，超期3个工作日 (moments with their time)."""
        from core.formats import local_datetime, zh_date

        def shown(value: date | datetime) -> str:
            return local_datetime(value) if isinstance(value, datetime) else zh_date(value)

        if self.on_time:
            judged = "按期"
        else:
            judged = f"超期{self.late_workdays}个工作日" if self.late_workdays > 0 else "超期（不足1个工作日）"
        return f"已于{shown(self.replied)}答复，{self.limit}{shown(self.due)}，{judged}"


def judge(clock: Clock, replied: date | datetime, due: date | datetime, *, limit: str = "期限") -> Verdict:
    """The verdict of a stopped `clock` answered at `replied` against `due` (both days, or both moments)."""
    from core.calendar.service import get_calendar, local_date

    def day(value: date | datetime) -> date:
        return local_date(value) if isinstance(value, datetime) else value

    on_time = bool(clock.on_time) if clock.on_time is not None else replied <= due
    late = 0 if on_time else max(get_calendar().workdays_between(day(due), day(replied)), 0)
    return Verdict(replied=replied, due=due, on_time=on_time, late_workdays=late, limit=limit)
