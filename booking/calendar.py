"""iCalendar files for bookings ("add to calendar"), with the Asia/Shanghai zone spelled out."""

from django.utils import timezone
from icalendar import Event

from portal.ical import new_calendar
from portal.localtime import SHANGHAI


def reservation_ics(reservation, host="portal"):
    """One booking as a calendar file; a cancelled booking is sent as STATUS:CANCELLED."""
    room = reservation.room
    calendar = new_calendar(room.name)
    event = Event()
    event.add("uid", f"reservation-{reservation.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(reservation.start, SHANGHAI))
    event.add("dtend", timezone.localtime(reservation.end, SHANGHAI))
    event.add("summary", room.display_name)
    event.add("location", " ".join(filter(None, [room.area.name, room.location, room.display_name])))
    event.add("status", "CONFIRMED" if reservation.is_holding else "CANCELLED")
    event.add("sequence", reservation.events.count())
    calendar.add_component(event)
    return calendar.to_ical()
