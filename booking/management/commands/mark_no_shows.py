"""Close out past bookings. A system timer runs it every 15 minutes (see the README):
confirmed bookings not checked in within the room's grace period become no-shows
(repeated no-shows pause the resident's booking), and checked-in ones that have ended
become completed."""

from django.core.management.base import BaseCommand

from booking import rules


class Command(BaseCommand):
    help = "Mark no-shows after the check-in grace period and complete past checked-in bookings."

    def handle(self, *args, **options):
        no_shows = rules.mark_no_shows()
        completed = rules.complete_past()
        self.stdout.write(f"{no_shows} no-shows marked, {completed} bookings completed.")
