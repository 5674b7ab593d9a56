"""Fill the holiday table from the chinesecalendar library for the years it knows.

Run once a year after the State Council announces the next year's holidays (and a
newer chinesecalendar is installed); staff can also enter or correct days in the admin.
Rows already there are kept, so staff corrections survive.
"""

import datetime as dt

import chinese_calendar
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.models import Holiday

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class Command(BaseCommand):
    help = "Load China's public holidays and make-up working days from chinesecalendar (keeps existing rows)."

    def add_arguments(self, parser):
        this_year = timezone.localdate().year
        parser.add_argument("--from-year", type=int, default=this_year - 1)
        parser.add_argument("--to-year", type=int, default=this_year + 1)

    def handle(self, *args, from_year, to_year, **options):
        added, missing = 0, []
        # All or nothing, so what depends on the holidays (sessions that skip them) is re-checked once.
        with transaction.atomic():
            for year in range(from_year, to_year + 1):
                try:
                    days = list(self.days_of(year))
                except NotImplementedError:
                    missing.append(year)
                    continue
                for date, name, kind in days:
                    _holiday, created = Holiday.objects.get_or_create(date=date, defaults={"name": name, "kind": kind})
                    added += created
        self.stdout.write(f"{added} holiday rows added.")
        for year in missing:
            self.stdout.write(
                self.style.WARNING(f"{year}: not announced yet in chinesecalendar; enter it in the admin when it is.")
            )

    def days_of(self, year):
        day = dt.date(year, 1, 1)
        while day.year == year:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if on_holiday and name:
                yield day, NAMES.get(name, name), Holiday.Kind.DAY_OFF
            elif not on_holiday and day.weekday() >= 5:
                yield day, NAMES.get(name, name or "调休"), Holiday.Kind.WORKDAY
            day += dt.timedelta(days=1)
