"""The retention timer, run by a system timer every night (see the README): visit and reception
records, closed suggestions, the access log and answered correction requests kept longer than
settings.OUTREACH_RETENTION are anonymised or deleted (outreach/retention.py). Running it again
changes nothing; --dry-run only counts. It says so in the portal's language, like spot_check."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from outreach import retention

ANONYMISED = {
    "visits": gettext_lazy("home visits"),
    "reception_cases": gettext_lazy("reception cases"),
    "suggestions": gettext_lazy("suggestions"),
}
DELETED = {
    "record_accesses": gettext_lazy("access log entries"),
    "correction_requests": gettext_lazy("correction requests"),
}


def listed(counts, labels):
    """“1 home visits, 2 suggestions” (入户走访 1 条、意见建议 2 条)."""
    return pgettext("between counts", ", ").join(
        _("%(count)s %(what)s") % {"count": counts[kind], "what": label} for kind, label in labels.items()
    )


class Command(BaseCommand):
    help = "Anonymise or delete the outreach records kept longer than settings.OUTREACH_RETENTION."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            counts = retention.due()
            message = _("Dry run: would anonymise %(anonymised)s; would delete %(deleted)s.")
        else:
            counts = retention.run()
            message = _("Anonymised %(anonymised)s; deleted %(deleted)s.")
        self.stdout.write(message % {"anonymised": listed(counts, ANONYMISED), "deleted": listed(counts, DELETED)})
