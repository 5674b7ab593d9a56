"""The moment the suite runs at, and the moments `make test-dates` runs it at.

The suite runs at its start, or at PORTAL_TEST_NOW (an ISO date and time, Shanghai time when it
names no zone). Every test starts at that moment, or just after the rows tests share were
stored (the migrated database, the demo), so nothing a test finds is dated in its future; the
clock then ticks as usual within the test.
`python -m tests.clock` prints the moments the suite must pass at, one per line, derived from
today and from the last year chinesecalendar knows (never hard-coded, so they stay hard
as years pass):

- now;
- the last minute of this year and the first minute of the next;
- the next 29 February;
- a day in the first year the holiday library does not know, and in the year after.
"""

import datetime as dt
import os
import sys
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
VARIABLE = "PORTAL_TEST_NOW"


def suite_moment():
    """The aware moment every test of this run starts at."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value or value == "now":
        return dt.datetime.now(SHANGHAI).replace(microsecond=0)
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


_settled = None


def settle():
    """Rows every later test shares were just stored: later tests start from now on."""
    global _settled
    _settled = dt.datetime.now(SHANGHAI)


def test_start(moment):
    """Where a test's clock starts: the suite's moment, or when shared rows were last stored."""
    return max(moment, _settled) if _settled else moment


def last_known_holiday_year():
    from chinese_calendar.constants import holidays

    return max(holidays).year


def next_leap_day(after):
    year = after.year
    while True:
        try:
            day = dt.date(year, 2, 29)
        except ValueError:
            year += 1
            continue
        if day > after:
            return day
        year += 1


def moments(today=None):
    today = today or dt.datetime.now(SHANGHAI).date()
    unknown = last_known_holiday_year() + 1
    found = [
        "now",
        f"{today.year}-12-31T23:59:00",
        f"{today.year + 1}-01-01T00:00:00",
        f"{next_leap_day(today).isoformat()}T09:30:00",
        f"{unknown}-06-15T09:30:00",
        f"{unknown + 1}-06-15T09:30:00",
    ]
    return list(dict.fromkeys(found))


if __name__ == "__main__":
    sys.stdout.write("\n".join(moments()) + "\n")
