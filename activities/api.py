"""Activity sessions in the JSON API: public, no token needed.

There is no account to take the area from, so the area is the one whose site answers at the
host the request was sent to, as on the web pages. Dates in the query are Shanghai dates and
both inclusive; times come back in Shanghai time with their +08:00 offset.
"""

import datetime as dt

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.models import Page

from activities.feeds import absolute_url, public_sessions, shown_pages
from activities.models import ActivityCategory, ActivityPage
from activities.sessions import window as sessions_window
from portal import dates
from portal.api import ApiError, ErrorOut
from portal.sites import area_of

MAX_DAYS = 366

router = Router(auth=None, tags=["activities"])


class ActivityRef(Schema):
    title: str = Field(description="In the caller's language where the activity has a translation.")
    slug: str = Field(description="What the `activity` filter takes.")
    url: str = Field(description="The activity's page, in the caller's language where it has one.")


class CategoryRef(Schema):
    slug: str
    name: str


class OccurrenceRoom(Schema):
    slug: str
    name: str


class OccurrenceOut(Schema):
    id: int
    uid: str = Field(description="The session's iCal UID: the same in every feed, and kept when it is moved.")
    activity: ActivityRef
    category: CategoryRef | None
    start: dt.datetime
    end: dt.datetime
    original_start: dt.datetime = Field(description="When the schedule put it; differs from start once moved.")
    status: str = Field(description="scheduled, cancelled or moved.")
    status_display: str
    note: str = Field(description="Why it is cancelled or moved, or a note for this session.")
    room: OccurrenceRoom | None = Field(description="The booking room it takes place in, or null.")
    place: str = Field(description="Where it takes place when not in a room.")
    holiday_pending: bool = Field(
        description="Its schedule skips public holidays, and that year's holidays are not entered yet."
    )


class Dates(forms.Form):
    """Parsed with Django's own fields, so their messages come in the caller's language."""

    start = dates.DateField()
    end = dates.DateField()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date cannot be before the start date."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", _("Ask for at most %(days)s days at a time.") % {"days": MAX_DAYS})
        return data


def _area(request):
    try:
        return area_of(request)
    except Http404 as missing:
        raise ApiError(404, str(missing)) from missing


def _known_activity(area, slug):
    """Whether the area has a published activity with this slug (the Chinese page's: translations
    live beside the area's Chinese tree, not in it)."""
    root = Page.objects.only("path").get(pk=area.site.root_page_id)
    return ActivityPage.objects.live().filter(slug=slug, path__startswith=root.path).exists()


def _shape(request, session, page):
    category = session.activity.category
    room = session.room
    return {
        "id": session.pk,
        "uid": session.uid,
        "activity": {"title": page.title, "slug": session.activity.slug, "url": absolute_url(request, page)},
        "category": {"slug": category.slug, "name": category.display_name} if category else None,
        "start": session.local_start,
        "end": session.local_end,
        "original_start": timezone.localtime(session.original_start),
        "status": session.status,
        "status_display": session.get_status_display(),
        "note": session.note,
        "room": {"slug": room.slug, "name": room.display_name} if room else None,
        "place": page.place,
        "holiday_pending": session.holiday_pending,
    }


@router.get(
    "/occurrences",
    response={200: list[OccurrenceOut], 400: ErrorOut, 404: ErrorOut},
    summary="Sessions of the area's activities",
)
def occurrences(
    request,
    start: str = Query(..., description="First date, YYYY-MM-DD (Shanghai), inclusive."),
    end: str = Query(..., description=f"Last date, YYYY-MM-DD, inclusive; at most {MAX_DAYS} days from start to end."),
    activity: str | None = Query(None, description="Only this activity's sessions (its slug)."),
    category: str | None = Query(None, description="Only this category's sessions (its slug)."),
):
    """The sessions of the activities of the area whose site answers at this host, soonest first,
    cancelled and moved ones included (with their status). No token is needed.

    Sessions exist from 90 days back to 180 days ahead. An end before the start, or more than
    366 days asked at once, is a 400; an activity or category slug the area does not know is a 404.
    """
    form = Dates({"start": start, "end": end})
    if not form.is_valid():
        raise ApiError(400, _("Please check what was sent."), form.errors)
    first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    # No session lies beyond the window (the fields keep dates within 1900–2999).
    last = min(last, sessions_window()[1])
    area = _area(request)
    sessions = public_sessions(area).on_days(first, last)
    if activity:
        if not _known_activity(area, activity):
            raise ApiError(404, _("This area has no such activity."))
        sessions = sessions.filter(activity__slug=activity)
    if category:
        if not ActivityCategory.objects.filter(slug=category).exists():
            raise ApiError(404, _("There is no such category."))
        sessions = sessions.filter(activity__category__slug=category)
    sessions = list(sessions)
    pages = shown_pages(session.activity for session in sessions)
    return [_shape(request, session, pages[session.activity_id]) for session in sessions]
