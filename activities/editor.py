"""The activity page editor: the next dates a page's schedules give (with room clashes and the
holidays skipped) in the Schedule tab and as a preview mode, and the rooms it may choose.

The page model calls this module from its form, panel and preview (as a page's routes call its
views), so the editor sees the dates before publishing.
"""

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from activities import sessions
from activities.models import Occurrence
from booking.models import Room
from portal.localtime import show_date, show_span, show_time, show_weekday
from portal.models import Area

Status = Occurrence.Status

# Dates in the editor's words


def status_text(status):
    return {
        Status.SCHEDULED: _("Takes place"),
        Status.CANCELLED: _("Cancelled"),
        Status.MOVED: _("Rescheduled"),
    }[status]


def years_text(years):
    return "、".join(str(year) for year in sorted(years))


# The next dates of a page being edited


def next_dates(page, today=None, limit=12):
    """What an editor reads about the next sessions of a page, saved or not: each date with
    its status and any room clash, the public holidays skipped and the years without holiday data.

    A translation produces no sessions of its own: it shows its Chinese original's."""
    translation_of = None
    default_locale = Locale.get_default()
    if page.pk and page.locale_id and page.locale_id != default_locale.pk:
        source = page.source_page
        if source.pk != page.pk:
            translation_of, page = source, source
    schedules = list(page.schedules.all())
    result = sessions.preview(page, today=today, limit=limit)
    rows = [
        {
            "weekday": show_weekday(session.start),
            "date": show_date(session.start),
            "time": show_span(session.start, session.end),
            "status": session.status,
            "status_text": status_text(session.status),
            "cancelled": session.is_cancelled,
            "moved_from": (
                f"{show_date(session.original_start)} {show_weekday(session.original_start)}"
                f" {show_time(session.original_start)}"
                if session.is_moved
                else ""
            ),
            "note": session.note,
            "holiday_pending": session.holiday_pending,
            "clash": session.clash,
        }
        for session in result.sessions
    ]
    # The holidays among the dates shown; all of the window's when the list is not full.
    last_shown = timezone.localtime(result.sessions[-1].start).date() if len(result.sessions) == limit else None
    skipped = [
        {"date": show_date(day), "weekday": show_weekday(day), "name": name}
        for day, name in result.holidays_skipped
        if last_shown is None or day <= last_shown
    ]
    clash_count = len(result.clashes)
    return {
        "title": page.title,
        "where": page.where,
        "translation_of": translation_of,
        "rules": [schedule.describe() for schedule in schedules if schedule.weekdays],
        "rows": rows,
        "limit": limit,
        "clash_count": clash_count,
        "clash_summary": ngettext(
            "%(count)s session clashes with room bookings",
            "%(count)s sessions clash with room bookings",
            clash_count,
        )
        % {"count": clash_count},
        "holidays_skipped": skipped,
        "pending_years": years_text(result.pending_years),
        "unmatched_changes": [f"{show_date(day)} {show_weekday(day)}" for day in result.unmatched_changes],
    }


def preview_dates(request, page):
    """The "next dates" preview mode: a plain page the editor's preview panel shows."""
    return TemplateResponse(request, "activities/admin/preview_dates.html", next_dates(page))


def next_dates_panel(request, page):
    """The same list inside the editor's Schedule tab, for the saved version of the page."""
    return render_to_string("activities/admin/activity_next_dates_panel.html", {**next_dates(page), "request": request})


# The page editor's rooms


def limit_rooms(form):
    """Offer the page editor only the rooms of the page's own area (docs/architecture.md, the area boundary): a class
    holds its room's time, and another area's room is not this area's to hold."""
    field = form.fields.get("room")
    if field is None:
        return
    area = Area.objects.for_page(form.parent_page) if form.parent_page else None
    field.queryset = Room.objects.filter(area=area).order_by("sort_order", "name") if area else Room.objects.none()
