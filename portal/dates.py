"""Dates people and programs send: the span of the calendar the portal works in.

Year 1 and year 9999 are real dates to Python, but a Shanghai time on 1 January of year 1 is
in year 0 in UTC, and a booking ending on 31 December 9999 ends in year 10000: the databases and
the time arithmetic overflow. Every date or time field a person or program fills in uses these
fields, which refuse anything outside 1900–2999 with a message quoting what was sent.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def on_the_calendar(value):
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("“%(value)s” is too far back or ahead: the portal keeps dates from 1900 to 2999."),
            code="off_the_calendar",
            params={"value": day.isoformat()},
        )


def within_the_calendar(day):
    """Whether a parsed date lies where the portal works (for dates read from an address)."""
    return FIRST_DAY <= day <= LAST_DAY


class DateField(forms.DateField):
    default_validators = [on_the_calendar]


class DateTimeField(forms.DateTimeField):
    default_validators = [on_the_calendar]


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, written 2026Q4."""

    year: int
    number: int

    PATTERN = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")

    @classmethod
    def parse(cls, text):
        """2026Q4 (or 2026q4) of a year from 1900 to 2999; ValueError for anything else."""
        match = cls.PATTERN.match(text or "")
        if not match or not FIRST_DAY.year <= int(match[1]) <= LAST_DAY.year:
            raise ValueError(text)
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def last_ended(cls, day):
        """The last quarter that has ended by `day`."""
        return cls.of(day).previous

    @classmethod
    def of(cls, day):
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self):
        return f"{self.year}Q{self.number}"

    @property
    def first(self):
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self):
        return self.next.first - dt.timedelta(days=1)

    @property
    def next(self):
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    @property
    def previous(self):
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)
