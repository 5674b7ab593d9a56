"""Dates people and programs send: the span of the calendar the portal works in.

Year 1 and year 9999 are real dates to Python, but a Shanghai time on 1 January of year 1 is
in year 0 in UTC, and a booking ending on 31 December 9999 ends in year 10000: the databases and
the time arithmetic overflow. Every date or time field a person or program fills in uses these
fields, which refuse anything outside 1900–2999 with a message quoting what was sent.
"""

import datetime as dt

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
