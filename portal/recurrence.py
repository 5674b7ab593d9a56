"""Repeat patterns for class sessions and duty rotas, expanded in Shanghai wall-clock time.

django-recurrence serialises and expands in UTC, which moves a Tuesday 07:00 class to
Monday 23:00 UTC and loses the last day's evening session (docs/architecture.md, time zones and recurrence). So the
pattern keeps its first date, inclusive last date and times of day in fields of its own,
and django-recurrence only answers "which dates does this rule produce", expanded from a
naive local start with `include_dtstart=False`. The caller attaches Asia/Shanghai.
"""

import datetime as dt

import recurrence
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from portal.localtime import Weekday, at

RRULE_WEEKDAYS = [
    recurrence.MO,
    recurrence.TU,
    recurrence.WE,
    recurrence.TH,
    recurrence.FR,
    recurrence.SA,
    recurrence.SU,
]


class WeekdaysField(models.CharField):
    """A set of weekdays (0 = Monday), stored as "1,3" and edited as checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return sorted({int(day) for day in value})
        if not value:
            return []
        return sorted({int(day) for day in str(value).split(",")})

    def get_prep_value(self, value):
        return ",".join(str(day) for day in self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            label=self.verbose_name,
            choices=Weekday.choices,
            coerce=int,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


class RepeatPattern(models.Model):
    """When something repeats: weekdays every n weeks, or the nth weekday of each month,
    from a first date to an inclusive last date or for a number of times."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly, on the nth weekday")

    class Nth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=1, help_text=_("1 for every week, 2 for every other week.")
    )
    weekdays = WeekdaysField(_("weekdays"))
    nth = models.SmallIntegerField(
        _("which one of the month"), choices=Nth.choices, null=True, blank=True, help_text=_("Only for monthly.")
    )
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("until (inclusive)"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("or this many times"), null=True, blank=True, help_text=_("Leave both empty to repeat without end.")
    )
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    skip_holidays = models.BooleanField(_("not on public holidays"), default=True)

    pattern_panels = [
        FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval"), FieldPanel("nth")]),
        FieldPanel("weekdays"),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("first_date"), FieldPanel("last_date"), FieldPanel("count")]),
        FieldPanel("skip_holidays"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end must be after the start.")
        if self.first_date and self.last_date and self.last_date < self.first_date:
            errors["last_date"] = _("The last date cannot be before the first.")
        if self.frequency == self.Frequency.MONTHLY and not self.nth:
            errors["nth"] = _("Say which one of the month, such as the second.")
        if self.frequency == self.Frequency.WEEKLY and self.interval < 1:
            errors["interval"] = _("At least 1.")
        if errors:
            raise ValidationError(errors)

    def rule(self):
        if self.frequency == self.Frequency.MONTHLY:
            byday = [recurrence.Weekday(day, self.nth) for day in self.weekdays]
            return recurrence.Rule(recurrence.MONTHLY, byday=byday, count=self.count)
        byday = [RRULE_WEEKDAYS[day] for day in self.weekdays]
        return recurrence.Rule(recurrence.WEEKLY, interval=max(self.interval, 1), byday=byday, count=self.count)

    def dates(self, start, end):
        """The dates from start to end (inclusive) this pattern produces, holidays not yet skipped."""
        if not (self.weekdays and self.first_date and self.start_time):
            return []
        if self.last_date:
            end = min(end, self.last_date)
        start = max(start, self.first_date)
        if end < start:
            return []
        first = dt.datetime.combine(self.first_date, self.start_time)  # naive: Shanghai wall-clock time
        rule = recurrence.Recurrence(dtstart=first, rrules=[self.rule()], include_dtstart=False)
        after = dt.datetime.combine(start, dt.time.min)
        before = dt.datetime.combine(end, dt.time.max)
        return [moment.date() for moment in rule.between(after, before, inc=True, dtstart=first)]

    def span_on(self, day):
        """The aware start and end of this pattern's time of day on a date."""
        return at(day, self.start_time), at(day, self.end_time)

    def describe(self):
        """In words, for editors and residents: 每周二、四 07:00–08:00."""
        days = pgettext("between weekdays", ", ").join(str(Weekday(day).label) for day in self.weekdays)
        if self.frequency == self.Frequency.MONTHLY:
            when = gettext("the %(nth)s %(days)s of each month") % {"nth": self.Nth(self.nth).label, "days": days}
        elif self.interval > 1:
            when = gettext("every %(n)s weeks on %(days)s") % {"n": self.interval, "days": days}
        else:
            when = gettext("every %(days)s") % {"days": days}
        return f"{when} {self.start_time:%H:%M}–{self.end_time:%H:%M}"
