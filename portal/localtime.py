"""Shanghai time, one way everywhere.

Everything residents and staff read or type is wall-clock time in Asia/Shanghai
(settings.TIME_ZONE); the database stores UTC. A date and a time become a moment with
``at()``, a moment is shown with the ``show_*`` functions (in the active language's
formats), and a run of whole days becomes the half-open span ``days(first, last)``.
Rows with a ``start`` and an ``end`` (reservations, class sessions, duty shifts) share
``LocalTimes`` and ``TimeSpanQuerySet``. docs/architecture.md explains why there is one
zone and no per-user one.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

SHANGHAI = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local(value):
    return timezone.localtime(value)


def local_day(value):
    """The Shanghai date of a moment; a date is returned as it is."""
    return local(value).date() if isinstance(value, dt.datetime) else value


def at(day, time):
    """The moment a Shanghai date and wall-clock time name."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def days(first, last):
    """[start of ``first``, start of the day after ``last``): whole days as a span of moments."""
    return at(first, dt.time.min), at(last + dt.timedelta(days=1), dt.time.min)


def monday_of(day):
    """The Monday of a date's week (weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def show_time(value):
    return formats.date_format(local(value), "TIME_FORMAT")


def show_day(value):
    return formats.date_format(local_day(value), "MONTH_DAY_FORMAT")


def show_date(value):
    return formats.date_format(local_day(value), "DATE_FORMAT")


def show_weekday(value):
    return formats.date_format(local_day(value), "l")


def show_span(start, end):
    return f"{show_time(start)}–{show_time(end)}"


def show_when(start, end):
    return f"{show_day(start)} {show_span(start, end)}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class LocalTimes:
    """``start`` and ``end`` in Shanghai time, for templates and messages."""

    @property
    def local_start(self):
        return local(self.start)

    @property
    def local_end(self):
        return local(self.end)


class TimeSpanQuerySet(models.QuerySet):
    """Rows with ``start`` and ``end``."""

    def between(self, start, end):
        """Rows that meet [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def on_days(self, first, last):
        """Rows that meet the Shanghai days from ``first`` to ``last``, inclusive."""
        return self.between(*days(first, last))

    def upcoming(self, now=None):
        return self.filter(end__gt=now or timezone.now())

    def upcoming_first(self, now=None):
        """What has not ended yet first, soonest at the top; then the past, latest first."""
        now = now or timezone.now()
        return self.annotate(
            _past=models.Case(
                models.When(end__lte=now, then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
        ).order_by("_past", models.Case(models.When(end__gt=now, then=models.F("start"))).asc(), "-start", "pk")
