"""Roll the session window forward and re-check what depends on the calendar. A system timer
runs it every night (see the README): sessions exist as rows from 90 days back to 180 ahead,
so without it the last weeks of the window would empty out, and sessions marked "holiday data
pending" would never be re-checked."""

from django.core.management.base import BaseCommand

from activities import sessions
from staff import plans


class Command(BaseCommand):
    help = "Regenerate activity sessions for the rolling window, and the staff plans from their rotas."

    def handle(self, *args, **options):
        results = sessions.regenerate_all()
        created = sum(result.created for result in results.values())
        changed = sum(result.changed for result in results.values())
        removed = sum(result.removed for result in results.values())
        self.stdout.write(f"{len(results)} activities: {created} sessions added, {changed} changed, {removed} removed.")
        for page, result in results.items():
            for row in result.clashes:
                self.stdout.write(
                    self.style.WARNING(f"{page.title} {row.local_start:%Y-%m-%d %H:%M}: {row.room_clash}")
                )
        areas = plans.regenerate_all()
        self.stdout.write(f"Staff plans regenerated for {len(areas)} areas.")
