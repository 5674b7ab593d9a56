"""A month's figures for an area's public board: how many suggestions came in, how many were
accepted and answered on time, the median working days each took, and how satisfied residents
were. Every rate comes with the counts behind it ("2 of 3"), so a rate over three suggestions
says so.

The database counts (one aggregate query) and groups the suggestions by the Shanghai days they
were received, accepted and answered (one more): the working days between two days are counted
once, however many suggestions share them, so a busy month costs no more than a quiet one."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from outreach.models import Suggestion
from portal.localtime import SHANGHAI, at
from portal.workdays import Calendar, working_days_between


@dataclass(frozen=True)
class Rate:
    count: int
    out_of: int

    @property
    def percent(self):
        return round(100 * self.count / self.out_of) if self.out_of else None


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # its first day
    received: int
    accepted_on_time: Rate
    answered_on_time: Rate
    median_days_to_accept: float | None
    median_days_to_answer: float | None
    satisfied: Rate
    provisional: bool  # a count ran through a year without holiday data


def received_in(area, month):
    """The area's suggestions received in the month starting on `month` (not those merged into
    another, which counts for them), with the Shanghai days of their steps."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (
        Suggestion.objects.for_area(area)
        .filter(
            merged_into__isnull=True,
            received_at__gte=at(month, dt.time.min),
            received_at__lt=at(following, dt.time.min),
        )
        .annotate(
            received_day=TruncDate("received_at", tzinfo=SHANGHAI),
            accepted_day=TruncDate("accepted_at", tzinfo=SHANGHAI),
            answered_day=TruncDate("answered_at", tzinfo=SHANGHAI),
        )
        .order_by()
    )


def counts(received, today):
    """Everything the rates need, counted by the database."""
    open_unanswered = Q(status__in=Suggestion.OPEN, answered_at__isnull=True)
    return received.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        accepted_in_time=Count("pk", filter=Q(accepted_day__lte=F("accept_due"))),
        late_to_accept=Count("pk", filter=Q(status=Suggestion.Status.SUBMITTED, accept_due__lt=today)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_in_time=Count("pk", filter=Q(answered_day__lte=F("answer_due"))),
        late_to_answer=Count("pk", filter=open_unanswered & Q(answer_due__lt=today)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=~Q(rating="") & ~Q(rating=Suggestion.Rating.UNSATISFIED)),
    )


def working_days_taken(received, calendar):
    """How many working days the suggestions took to be accepted and to be answered, as two lists
    of (working days, how many suggestions took them): one row per received, accepted and
    answered day, and the working days between two days counted once (portal.workdays)."""
    rows = received.values("received_day", "accepted_day", "answered_day").annotate(suggestions=Count("pk"))
    between = functools.cache(lambda start, end: working_days_between(start, end, calendar))
    to_accept, to_answer = [], []
    for row in rows:
        for done, taken in (("accepted_day", to_accept), ("answered_day", to_answer)):
            if row[done] is not None:
                taken.append((between(row["received_day"], row[done]), row["suggestions"]))
    return to_accept, to_answer


def median(taken):
    """The median of the working days, each counted as often as suggestions took it (the middle
    one, or halfway between the two middle ones); None when nothing was done."""
    values = sorted((count.value, times) for count, times in taken)
    total = sum(times for _value, times in values)
    if not total:
        return None

    def nth(index):
        for value, times in values:
            if index < times:
                return value
            index -= times

    middle = total // 2
    return nth(middle) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


def month_figures(area, month, today):
    """The figures of the suggestions `area` received in the month starting on `month`, as of
    `today`: "on time" is out of those done, plus those still waiting past their day."""
    received = received_in(area, month)
    counted = counts(received, today)
    to_accept, to_answer = working_days_taken(received, Calendar())
    return MonthFigures(
        month=month,
        received=counted["received"],
        accepted_on_time=Rate(counted["accepted_in_time"], counted["accepted"] + counted["late_to_accept"]),
        answered_on_time=Rate(counted["answered_in_time"], counted["answered"] + counted["late_to_answer"]),
        median_days_to_accept=median(to_accept),
        median_days_to_answer=median(to_answer),
        satisfied=Rate(counted["satisfied"], counted["rated"]),
        provisional=any(count.provisional for count, _times in to_accept + to_answer),
    )
