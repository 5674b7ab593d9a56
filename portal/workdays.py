"""Working days: the one count every deadline uses.

A working day is Monday to Friday, except a statutory day off in the holiday table, plus a
make-up working day (调休) there, whatever its weekday. Counting starts the day after the
start date ("within 5 working days of receipt" ends on the 5th working day after it). A year
nobody has entered holidays for is counted Monday to Friday and the answer says it is
provisional; once the year is entered, counting again gives the final answer.
"""

import datetime as dt
from dataclasses import dataclass

from portal.models import Holiday

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Count:
    """A date or a number of working days, and whether a year without holidays was counted through."""

    value: object
    provisional: bool


class Calendar:
    """The holiday table of the years a count touches, read once per year."""

    def __init__(self):
        self.kinds = {}
        self.entered = set()
        self.read = set()

    def _read(self, year):
        if year in self.read:
            return
        rows = Holiday.objects.filter(date__year=year).values_list("date", "kind")
        self.kinds.update(rows)
        if rows:
            self.entered.add(year)
        self.read.add(year)

    def is_working_day(self, day):
        self._read(day.year)
        kind = self.kinds.get(day)
        if kind is not None:
            return kind == Holiday.Kind.WORKDAY
        return day.weekday() < 5

    def is_entered(self, year):
        self._read(year)
        return year in self.entered


def add_working_days(start, count, calendar=None):
    """The ``count``-th working day after ``start`` (a date); count 0 is ``start`` itself."""
    calendar = calendar or Calendar()
    day, provisional = start, False
    while count > 0:
        day += DAY
        provisional = provisional or not calendar.is_entered(day.year)
        if calendar.is_working_day(day):
            count -= 1
    return Count(day, provisional)


def working_days_between(start, end, calendar=None):
    """How many working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    after ``start``): a suggestion received on Friday and answered on Monday took 1."""
    calendar = calendar or Calendar()
    count, provisional, day = 0, False, start
    while day < end:
        day += DAY
        provisional = provisional or not calendar.is_entered(day.year)
        count += calendar.is_working_day(day)
    return Count(count, provisional)
