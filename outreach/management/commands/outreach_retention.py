"""The retention timer, run by a system timer every night (see the README): visit and reception
records, closed suggestions, the access log and answered correction requests kept longer than
settings.OUTREACH_RETENTION are anonymised or deleted (outreach/retention.py). Running it again
changes nothing; --dry-run only counts."""

from django.core.management.base import BaseCommand

from outreach import retention

ANONYMISED = {"visits": "home visits", "reception_cases": "reception cases", "suggestions": "suggestions"}
DELETED = {"record_accesses": "access log entries", "correction_requests": "correction requests"}


def listed(counts, labels):
    return ", ".join(f"{counts[kind]} {label}" for kind, label in labels.items())


class Command(BaseCommand):
    help = "Anonymise or delete the outreach records kept longer than settings.OUTREACH_RETENTION."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            counts = retention.due()
            self.stdout.write(
                f"Dry run: would anonymise {listed(counts, ANONYMISED)}; would delete {listed(counts, DELETED)}."
            )
        else:
            counts = retention.run()
            self.stdout.write(f"Anonymised {listed(counts, ANONYMISED)}; deleted {listed(counts, DELETED)}.")
