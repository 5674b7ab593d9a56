"""Every periodic job of every app, each when it is due (portal/timers.py). A system timer runs it
every minute on each app server (docs/deploy.md); two servers never run the same job at once."""

from django.core.management.base import BaseCommand, CommandError

from portal import timers


class Command(BaseCommand):
    help = "Run the periodic jobs that are due: reminders, no-shows, scheduled publishing, messages, nightly jobs."

    def handle(self, *args, **options):
        outcomes = timers.run_due()
        for name, outcome in outcomes.items():
            self.stdout.write(f"{name}: {outcome}")
        failed = [name for name, outcome in outcomes.items() if outcome == "failed"]
        if failed:
            # A non-zero exit marks the system timer's run as failed, where operators look.
            raise CommandError(f"Failed: {', '.join(failed)}; see the log.")
