"""iCalendar feeds of activity sessions to subscribe to in a calendar app, and one session as a
file to add ("add to calendar").

A session keeps its UID for good (its activity and the time the schedule gave it), so a moved
session replaces itself in subscribed calendars (same UID, higher SEQUENCE), and a cancelled one
stays in the feed as STATUS:CANCELLED, which is what makes calendar apps drop it. Times carry
TZID=Asia/Shanghai with the zone spelled out in a VTIMEZONE (docs/architecture.md, time zones and recurrence).
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from icalendar import Event
from wagtail.models import Locale

from activities import sessions as session_rows
from activities.models import ActivityCategory, ActivityPage, Occurrence
from portal.ical import new_calendar
from portal.localtime import SHANGHAI, show_day, show_time
from portal.sites import absolute_url, area_of

# Calendar apps poll subscriptions; a change reaches them within minutes of their next poll.
MAX_AGE = 5 * 60


def public_sessions(area):
    """The area's sessions anyone may see, with their activity, category and room, in order."""
    return Occurrence.objects.in_area(area).listed()


def in_window(sessions, today=None):
    """Only the sessions of the rolling window (older rows are kept as history)."""
    first, last = session_rows.window(today)
    return sessions.on_days(first, last)


def shown_pages(activities):
    """Each (Chinese) activity page as the reader sees it, by page id: its live translation in
    the active language where there is one, else the page itself. One query for them all."""
    activities = {page.pk: page for page in activities}
    locale = Locale.get_active()
    keys = {page.translation_key for page in activities.values() if page.locale_id != locale.pk}
    translations = {}
    if keys:
        translations = {
            page.translation_key: page
            for page in ActivityPage.objects.live().filter(locale=locale, translation_key__in=keys)
        }
    return {pk: translations.get(page.translation_key, page) for pk, page in activities.items()}


def where(session, page):
    """The room's name and where it is, or the activity's place (to be confirmed when the room
    could not be held)."""
    if session.room_clash:
        return _("Place to be confirmed")
    if session.room is not None:
        return ", ".join(filter(None, [session.room.display_name, session.room.location]))
    return page.place


def what_changed(session):
    """What residents should know about this one session, in a sentence or two."""
    if session.is_cancelled:
        return _("Cancelled: %(reason)s") % {"reason": session.note} if session.note else _("Cancelled")
    lines = []
    if session.is_moved:
        original = session.original_start
        lines.append(_("Moved from %(original)s") % {"original": f"{show_day(original)} {show_time(original)}"})
    if session.note:
        lines.append(session.note)
    if session.holiday_pending:
        lines.append(
            _("The public holidays of %(year)s are not announced yet: this session may still be called off.")
            % {"year": session.local_start.year}
        )
    return "\n".join(lines)


def session_event(request, session, page):
    """One session as a VEVENT; `page` is its activity page in the reader's language."""
    url = absolute_url(request, page)
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", timezone.localtime(session.start, SHANGHAI))
    event.add("dtend", timezone.localtime(session.end, SHANGHAI))
    event.add("summary", page.title)
    if location := where(session, page):
        event.add("location", location)
    if description := "\n\n".join(filter(None, [page.summary, what_changed(session), url])):
        event.add("description", description)
    if url:
        event.add("url", url)
    if session.activity.category is not None:
        event.add("categories", [session.activity.category.display_name])
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def feed_calendar(name):
    calendar = new_calendar(name)
    calendar.add("method", "PUBLISH")
    # How often subscribed calendars should look again (RFC 7986, and Outlook's name for it).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def ics_response(calendar, filename, as_attachment=False, private=False):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    # A page behind a login must not be kept by shared caches.
    patch_cache_control(response, private=private, public=not private, max_age=MAX_AGE)
    return response


def area_feed(request, index_page):
    """Every session of the area in the window, or of one category with ?category=<slug>."""
    area = area_of(request)
    sessions = in_window(public_sessions(area))
    name = f"{area.name} · {index_page.title}"
    filename = f"{area.slug}-activities.ics"
    if slug := request.GET.get("category"):
        category = get_object_or_404(ActivityCategory, slug=slug)
        sessions = sessions.filter(activity__category=category)
        name = f"{name} · {category.display_name}"
        filename = f"{area.slug}-{category.slug}.ics"
    sessions = list(sessions)
    pages = shown_pages(session.activity for session in sessions)
    calendar = feed_calendar(name)
    for session in sessions:
        calendar.add_component(session_event(request, session, pages[session.activity_id]))
    return ics_response(calendar, filename)


def activity_feed(request, page):
    """The sessions of one activity in the window; under /en/ the English page's words."""
    source = page.source_page
    # Wagtail served this page, so whoever asks may see it (a restricted page only after login).
    sessions = in_window(Occurrence.objects.filter(activity=source).live().detailed())
    calendar = feed_calendar(page.title)
    for session in sessions:
        calendar.add_component(session_event(request, session, page))
    return ics_response(calendar, f"{source.slug}.ics", private=restricted(page))


def session_ics(request, page, pk):
    """One session of this activity as a file to add to a calendar."""
    session = Occurrence.objects.filter(activity=page.source_page, pk=pk).live().detailed().first()
    if session is None:
        raise Http404(_("This activity has no such session."))
    calendar = new_calendar(page.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(session_event(request, session, page))
    filename = f"{session.activity.slug}-{session.local_start:%Y%m%d-%H%M}.ics"
    return ics_response(calendar, filename, as_attachment=True, private=restricted(page))


def restricted(page):
    return bool(page.get_view_restrictions())
