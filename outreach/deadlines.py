"""A suggestion's deadlines in working days (portal/workdays.py), counted from the day after it
was received: accepted within its category's working days, answered within its own. Sent back
by an unsatisfied resident, it gets a new answer deadline counted from that day (再次处置)."""

from django.db import transaction

from outreach.models import Suggestion, SuggestionEvent
from portal.localtime import local_day
from portal.workdays import Calendar, add_working_days


def set_due_dates(suggestion, calendar=None):
    """Give a suggestion its deadlines: acceptance counted from the day it was received; the answer
    from then, or from the day an unsatisfied resident sent it back, over the category's working
    days (twice as many once the lead extended it)."""
    calendar = calendar or Calendar()
    category = suggestion.category
    accept = add_working_days(local_day(suggestion.received_at), category.accept_working_days, calendar)
    answer_days = category.answer_working_days * (2 if suggestion.extension_reason else 1)
    answer = add_working_days(local_day(suggestion.reopened_at or suggestion.received_at), answer_days, calendar)
    suggestion.accept_due, suggestion.answer_due = accept.value, answer.value
    suggestion.due_provisional = accept.provisional or answer.provisional


def recount_provisional():
    """Count again every deadline that went through a year without holidays; say so in the history
    where a date changed."""
    calendar = Calendar()
    with transaction.atomic():
        for suggestion in (
            Suggestion.objects.select_for_update().filter(due_provisional=True).select_related("category")
        ):
            before = (suggestion.accept_due, suggestion.answer_due)
            set_due_dates(suggestion, calendar)
            suggestion.save(update_fields=["accept_due", "answer_due", "due_provisional"])
            if (suggestion.accept_due, suggestion.answer_due) != before:
                SuggestionEvent.objects.create(suggestion=suggestion, action=SuggestionEvent.Action.RECOUNTED)
