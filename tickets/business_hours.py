"""Working-time arithmetic: add working seconds to an instant, count working seconds between two.

Pure functions over a :class:`Hours` description (no database): the SLA code builds one from a
``WorkingCalendar`` row, tests build them directly. ``None`` means around the clock, where
working time is plain elapsed time.

Days are walked in the calendar's own time zone, so a 08:00-17:00 day stays 08:00-17:00 across
daylight-saving changes. The loops step one day at a time and skip whole non-working days, so the
cost is proportional to the number of calendar days spanned (bounded by ``MAX_DAYS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 366 * 5  # a target longer than five years of working days is a configuration error


@dataclass(frozen=True)
class Hours:
    """Working days (ISO weekdays, Monday = 1), one daily window, holidays, in ``tz``."""

    tz: str = "UTC"
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    start: time = time(8, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self):
        if not self.weekdays or not self.weekdays <= {1, 2, 3, 4, 5, 6, 7}:
            raise ValueError("weekdays must be a non-empty set of ISO weekdays 1..7")
        if self.start >= self.end:
            raise ValueError("the working day must end after it starts")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The working window of ``day`` as aware datetimes in the calendar's zone."""
        zone = self.zone
        return datetime.combine(day, self.start, zone), datetime.combine(day, self.end, zone)


def add_working_time(start: datetime, seconds: float, hours: Hours | None) -> datetime:
    """The instant when ``seconds`` of working time have elapsed after ``start``."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    if hours is None:
        return start + timedelta(seconds=seconds)
    local = start.astimezone(hours.zone)
    day = local.date()
    remaining = timedelta(seconds=seconds)
    for _ in range(MAX_DAYS):
        if hours.is_working_day(day):
            open_at, close_at = hours.window(day)
            begin = max(local, open_at)
            if begin < close_at:
                available = close_at - begin
                if remaining <= available:
                    if remaining == timedelta(0):
                        return begin.astimezone(start.tzinfo)
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("working-time target too far ahead (check the calendar)")


def working_seconds_between(a: datetime, b: datetime, hours: Hours | None) -> float:
    """Working seconds in ``[a, b)``; 0 when ``b`` is not after ``a``."""
    if b <= a:
        return 0.0
    if hours is None:
        return (b - a).total_seconds()
    zone = hours.zone
    a_local, b_local = a.astimezone(zone), b.astimezone(zone)
    day, last = a_local.date(), b_local.date()
    total = timedelta(0)
    while day <= last:
        if hours.is_working_day(day):
            open_at, close_at = hours.window(day)
            begin, finish = max(a_local, open_at), min(b_local, close_at)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds()
