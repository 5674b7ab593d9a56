"""The subdistrict office's quarterly spot check from a script (outreach/spotchecks.py):

    manage.py spot_check --area xuhuiyuan --quarter 2026Q4 --per-staff 3 --seed 7 --export check.xlsx

draws the area's check of the quarter (a random seed, stored, when none is given) and prints the
sample; a check drawn before is locked and printed as it was drawn. --export writes the
workbook, logged as an export like the admin's download.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from outreach import spotchecks
from outreach.records import masked_household
from outreach.workbook import kind, phone, sampled, staff_name, verdict
from portal.localtime import local_day
from portal.models import Area
from portal.refusals import Refused


class Command(BaseCommand):
    help = "Draw (or show, once drawn) an area's spot check of a quarter's visit and reception records."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The area's slug, such as xuhuiyuan.")
        parser.add_argument("--quarter", required=True, help="The quarter, such as 2026Q4.")
        parser.add_argument("--per-staff", type=int, default=3, help="Records per staff member (3 if not given).")
        parser.add_argument("--seed", type=int, help="The random seed (a random one, stored, if not given).")
        parser.add_argument("--export", metavar="FILE.xlsx", help="Write the check's workbook to this file.")

    def handle(self, *args, area, quarter, per_staff, seed, export, **options):
        found = Area.objects.filter(slug=area).first()
        if found is None:
            slugs = ", ".join(Area.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("There is no area “%(area)s”. The areas are: %(slugs)s.") % {"area": area, "slugs": slugs}
            )
        try:
            check, drawn = spotchecks.draw(found, quarter, per_staff, seed=seed)
        except Refused as refusal:
            raise CommandError(" ".join([refusal.message, *sum(refusal.errors.values(), [])])) from None
        self.print_check(check, drawn)
        if export:
            self.write(check, export)

    def print_check(self, check, drawn):
        if drawn:
            self.stdout.write(
                _("Drawn %(check)s with seed %(seed)s, and locked.") % {"check": check, "seed": check.seed}
            )
        else:
            self.stdout.write(
                _(
                    "%(check)s was drawn on %(day)s with seed %(seed)s and is locked: shown as drawn "
                    "(--per-staff and --seed are not used)."
                )
                % {"check": check, "day": local_day(check.drawn_at), "seed": check.seed}
            )
        items = list(sampled(check))
        spotchecks.log_opened(items, None, check)  # the subdistrict office's script: by nobody in particular
        for item in items:
            record = item.record
            household = masked_household(record)
            columns = [
                str(item.position),
                staff_name(item.staff),
                kind(record),
                local_day(record.at).isoformat(),
                household["building"] or "—",
                household["name"] or "—",
                phone(record) or "—",
                verdict(item),
            ]
            self.stdout.write("  ".join(columns))

    def write(self, check, path):
        try:
            with open(path, "wb") as file:  # opened first: nothing is exported (or logged) if it cannot be
                file.write(spotchecks.export(check))
        except OSError as error:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        self.stdout.write(_("Workbook written to %(path)s.") % {"path": path})
