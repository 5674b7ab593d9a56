"""iCalendar files with the Asia/Shanghai zone spelled out, for bookings and class sessions."""

from django.conf import settings
from icalendar import Calendar, Timezone

from portal.localtime import SHANGHAI


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Residents' committee portal//zh-Hans")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(Timezone.from_tzinfo(SHANGHAI))
    return calendar
