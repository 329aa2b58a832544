"""Working-time arithmetic across nights, weekends, holidays, time zones and DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.business_hours import Hours, add_working_time, working_seconds_between

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = Hours(tz="Europe/Berlin", weekdays=frozenset({1, 2, 3, 4, 5}), start=time(8), end=time(17),
               holidays=frozenset({date(2026, 12, 25), date(2026, 12, 24)}))
H = 3600


def b(*args):
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize("start, seconds, expected", [
    # inside the day
    (b(2026, 11, 23, 9, 0), 2 * H, b(2026, 11, 23, 11, 0)),
    # across the night: Monday 16:00 + 2h -> Tuesday 09:00
    (b(2026, 11, 23, 16, 0), 2 * H, b(2026, 11, 24, 9, 0)),
    # reported at night: the clock starts at 08:00
    (b(2026, 11, 23, 22, 30), 30 * 60, b(2026, 11, 24, 8, 30)),
    # across the weekend: Friday 16:30 + 1h -> Monday 08:30
    (b(2026, 11, 27, 16, 30), H, b(2026, 11, 30, 8, 30)),
    # reported on Saturday: Monday 08:00 + 4h
    (b(2026, 11, 28, 11, 0), 4 * H, b(2026, 11, 30, 12, 0)),
    # exactly at the end of the day stays there
    (b(2026, 11, 23, 8, 0), 9 * H, b(2026, 11, 23, 17, 0)),
    # holidays Thu 24th and Fri 25th, then the weekend: Wed 23rd 16:00 + 3h -> Mon 28th 10:00
    (b(2026, 12, 23, 16, 0), 3 * H, b(2026, 12, 28, 10, 0)),
    # two working days of 9h
    (b(2026, 11, 23, 8, 0), 18 * H, b(2026, 11, 24, 17, 0)),
    # zero target outside hours: the next opening
    (b(2026, 11, 28, 11, 0), 0, b(2026, 11, 30, 8, 0)),
])
def test_add_working_time(start, seconds, expected):
    assert add_working_time(start, seconds, OFFICE) == expected


def test_add_keeps_the_callers_zone():
    start = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 16:00 in Berlin
    due = add_working_time(start, 2 * H, OFFICE)
    assert due.tzinfo == UTC and due == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 Berlin


def test_daylight_saving_day_still_opens_at_eight_local():
    # Europe/Berlin goes to summer time on Sunday 29 March 2026.
    due = add_working_time(b(2026, 3, 27, 16, 0), 2 * H, OFFICE)
    assert due == b(2026, 3, 30, 9, 0) and due.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("a, z, expected", [
    (b(2026, 11, 23, 9, 0), b(2026, 11, 23, 11, 0), 2 * H),
    (b(2026, 11, 23, 16, 0), b(2026, 11, 24, 9, 0), 2 * H),  # the night does not count
    (b(2026, 11, 27, 16, 0), b(2026, 11, 30, 9, 0), 2 * H),  # nor the weekend
    (b(2026, 12, 23, 16, 0), b(2026, 12, 28, 9, 0), 2 * H),  # nor holidays (24th, 25th) and the weekend
    (b(2026, 11, 28, 9, 0), b(2026, 11, 29, 18, 0), 0),
    (b(2026, 11, 23, 11, 0), b(2026, 11, 23, 9, 0), 0),  # reversed: nothing
])
def test_working_seconds_between(a, z, expected):
    assert working_seconds_between(a, z, OFFICE) == expected


@pytest.mark.parametrize("start", [b(2026, 11, 23, 7, 0), b(2026, 11, 27, 16, 59), b(2026, 12, 23, 12, 0)])
@pytest.mark.parametrize("seconds", [0, 60, 5 * H, 27 * H, 100 * H])
def test_add_and_count_agree(start, seconds):
    due = add_working_time(start, seconds, OFFICE)
    assert working_seconds_between(start, due, OFFICE) == seconds


def test_around_the_clock_is_elapsed_time():
    start = b(2026, 11, 28, 23, 0)
    assert add_working_time(start, 5 * H, None) == start + timedelta(hours=5)
    assert working_seconds_between(start, start + timedelta(hours=30), None) == 30 * H


@pytest.mark.parametrize("kwargs", [{"weekdays": frozenset()}, {"weekdays": frozenset({8})},
                                    {"start": time(17), "end": time(8)}])
def test_bad_calendars_are_refused(kwargs):
    with pytest.raises(ValueError):
        Hours(**kwargs)
