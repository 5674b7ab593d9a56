"""The suggestions' daily timers, run by a system timer every morning (see the README): answers
nobody rated for 7 days are closed, and overdue suggestions are reminded to their handler the
day after the deadline and to the area's lead 3 working days later, once each."""

from django.core.management.base import BaseCommand

from outreach import suggestions


class Command(BaseCommand):
    help = "Close answers unrated for 7 days and remind overdue suggestions (once each)."

    def handle(self, *args, **options):
        closed = suggestions.close_unrated()
        reminded = suggestions.remind_overdue()
        self.stdout.write(f"{closed} unrated answers closed, {reminded} reminders sent.")
