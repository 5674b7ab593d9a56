"""Build the demo residents' areas of 枫林路街道: sites, rooms, residents and their bookings,
activities with their sessions, staff with a published plan for this week and next, notice
boards, and the subdistrict's 15 service guides with who has been trained on which.
Idempotent: what exists is left alone.

Each app's demo data lives beside it, as named records, with what builds it: portal/demo.py
(the plumbing, the areas' base records, accounts and residents), booking/demo.py (rooms and
bookings), staff/demo.py (staff, rotas and the staff schedule page), services/demo.py (the
guides, services pages and the training matrix), activities/demo.py (activities) and
home/demo.py (home and about pages, notices). This command builds them in order.

`--areas N` builds a subdistrict-scale data set (make bench ARGS="--areas 30"): the hand-written
areas and generated ones up to N, each like the last hand-written area, with residents, staff,
a year of sessions and bookings, and a quarter's visits and reception cases. Each generated
area is built in a transaction of its own, behind a progress bar; a second run changes nothing.
"""

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.models import Locale

from activities import demo as activities_demo
from booking import demo as booking_demo
from home import demo as home_demo
from home import setup
from outreach import demo as outreach_demo
from portal import demo as portal_demo
from portal.models import User
from services import demo as services_demo
from staff import demo as staff_demo


class Command(BaseCommand):
    help = "Load the demo residents' areas of 枫林路街道 (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites are served on.")
        parser.add_argument(
            "--areas",
            dest="area_count",
            type=int,
            default=len(portal_demo.AREAS),
            help="How many areas in all: the hand-written ones, then generated ones up to this number.",
        )

    def handle(self, *args, port, area_count, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _("Demo data is not allowed with these settings: demo accounts must never reach production.")
            )
        if area_count < len(portal_demo.AREAS):
            raise CommandError(
                _("--areas is at least %(count)d: the demo's own areas.") % {"count": len(portal_demo.AREAS)}
            )
        with transaction.atomic(), portal_demo.indexing_once():
            zh = Locale.get_default()
            en, _created = Locale.objects.get_or_create(language_code="en")
            setup.remove_wagtail_welcome_page(portal_demo.SUBDISTRICT)
            areas = [home_demo.build_area(spec, port, zh, en) for spec in portal_demo.AREAS]
            accounts = portal_demo.build_accounts(areas, others=[services_demo.build_guide_editor])
            call_command("load_holidays", stdout=io.StringIO())
            for area in areas:
                booking_demo.build_rooms(area)
            residents = portal_demo.build_residents(areas[0])
            categories = activities_demo.build_categories()
            guides = services_demo.build_guides(zh, en)
            pages = {}
            for area in areas:
                # In the menu's order: the activity index, the staff schedule, then the activities.
                activities_demo.build_activity_index(area, zh)
                staff_schedule = staff_demo.build_schedule_page(area, zh)
                activities = activities_demo.build_activities(area, categories, zh)
                pages[area.slug] = {"activities": activities, "staff_schedule": staff_schedule}
            activities_demo.translate_activity(en)
            for area in areas:
                pages[area.slug]["notices"] = home_demo.build_notices(area, zh)
                pages[area.slug]["services"] = services_demo.build_services_page(area, zh, en)
            # After the classes, so that the residents' bookings step aside from them.
            booking_demo.build_bookings(areas[0], residents)
            for spec, area in zip(portal_demo.AREAS, areas, strict=True):
                staff_demo.build_staff(area, User.objects.get(username=spec.staff.username))
                services_demo.build_training(area, guides)
            outreach_demo.build_records(areas[0], residents)
        generated = portal_demo.generated_areas(area_count)
        # The bar goes to stderr, so the report on stdout stays as it was.
        for number, spec in enumerate(
            tqdm(generated, desc=_("Areas"), unit=_("area"), disable=not generated), start=len(areas) + 1
        ):
            with transaction.atomic(), portal_demo.indexing_once():
                self.build_generated(spec, number, port, zh, en, categories, guides)
        self.report(areas, accounts, port, pages)
        if generated:
            self.stdout.write(
                _("  %(count)d generated areas: %(first)s to %(last)s, %(residents)d residents each")
                % {
                    "count": len(generated),
                    "first": generated[0].hostname,
                    "last": generated[-1].hostname,
                    "residents": portal_demo.GENERATED_RESIDENTS,
                }
            )

    def build_generated(self, spec, number, port, zh, en, categories, guides):
        """One generated area, as the hand-written ones are built, with its records in bulk."""
        area = home_demo.build_area(spec, port, zh, en)
        portal_demo.area_accounts(spec, area)
        booking_demo.build_rooms(area)
        residents = portal_demo.build_many_residents(area, number)
        activities_demo.build_activity_index(area, zh)
        staff_demo.build_schedule_page(area, zh)
        # From a year ago: the sessions fill their whole window (activities.sessions).
        activities_demo.build_activities(area, categories, zh, weeks_back=52)
        home_demo.build_notices(area, zh)
        services_demo.build_services_page(area, zh, en)
        booking_demo.build_many_bookings(area, residents)
        staff_user = User.objects.get(username=spec.staff.username)
        staff_demo.build_staff(area, staff_user)
        services_demo.build_training(area, guides)
        lead = User.objects.get(username=spec.lead.username)
        outreach_demo.build_many_records(area, residents, [staff_user, lead])

    def report(self, areas, accounts, port, pages):
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo residents' areas are ready.")))
        for area in areas:
            base = f"http://{area.site.hostname}:{port}"
            write(f"  {area.name}: {base}/   English: {base}/en/")
            for key, label in (
                ("activities", _("    What is on: %(url)s")),
                ("staff_schedule", _("    Where to find the staff: %(url)s")),
                ("notices", _("    Notices: %(url)s")),
                ("services", _("    Service guides: %(url)s")),
            ):
                write(label % {"url": f"{base}{pages[area.slug][key].get_url_parts()[2]}"})
        write(_("  Admin: http://localhost:%(port)s/admin/") % {"port": port})
        write(_("  Demo accounts (username / password):"))
        for spec, role in accounts:
            write(f"    {spec.username} / {spec.password}  — {role}")
        write(
            _("  Demo residents of %(area)s: phones 13900000001 to 13900000030, password %(password)s")
            % {"area": areas[0].name, "password": portal_demo.RESIDENT_PASSWORD}
        )
