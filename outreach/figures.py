"""A month's figures for an area's public board: how many suggestions came in, how many were
accepted and answered on time, the median working days each took, and how satisfied residents
were. Every rate comes with the counts behind it ("2 of 3"), so a rate over three suggestions
says so."""

import datetime as dt
import statistics
from dataclasses import dataclass

from outreach.models import Suggestion
from portal.localtime import at, local_day
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


def month_figures(area, month, today):
    """The figures of the suggestions `area` received in the month starting on `month`, as of
    `today`: "on time" is out of those done, plus those still waiting past their day."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    received = list(
        Suggestion.objects.for_area(area)
        .filter(
            merged_into__isnull=True,
            received_at__gte=at(month, dt.time.min),
            received_at__lt=at(following, dt.time.min),
        )
        .only("received_at", "accepted_at", "answered_at", "accept_due", "answer_due", "rating", "status")
    )
    calendar = Calendar()
    accepted = [s for s in received if s.accepted_at]
    answered = [s for s in received if s.answered_at]
    late_to_accept = sum(s.status == Suggestion.Status.SUBMITTED and s.accept_due < today for s in received)
    late_to_answer = sum(s.status in Suggestion.OPEN and not s.answered_at and s.answer_due < today for s in received)
    rated = [s for s in received if s.rating]
    to_accept = [working_days_between(local_day(s.received_at), local_day(s.accepted_at), calendar) for s in accepted]
    to_answer = [working_days_between(local_day(s.received_at), local_day(s.answered_at), calendar) for s in answered]
    return MonthFigures(
        month=month,
        received=len(received),
        accepted_on_time=Rate(
            sum(local_day(s.accepted_at) <= s.accept_due for s in accepted), len(accepted) + late_to_accept
        ),
        answered_on_time=Rate(
            sum(local_day(s.answered_at) <= s.answer_due for s in answered), len(answered) + late_to_answer
        ),
        median_days_to_accept=statistics.median(c.value for c in to_accept) if to_accept else None,
        median_days_to_answer=statistics.median(c.value for c in to_answer) if to_answer else None,
        satisfied=Rate(sum(s.rating != Suggestion.Rating.UNSATISFIED for s in rated), len(rated)),
        provisional=any(c.provisional for c in to_accept + to_answer),
    )
