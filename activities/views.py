"""What residents see of activities: the index (this week by day, a month, a plain list), each
activity page with its next sessions and sign-up, and "my sign-ups".

The page models' routes call these. A listing is one range query over the session rows that
activities.sessions keeps; the activities' addresses and English titles are worked out for all
its sessions at once (`present`). The sign-up rules live in activities/signups.py.
"""

import datetime as dt
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import signups
from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    Occurrence,
    SignUp,
)
from activities.sessions import window
from portal.dates import within_the_calendar
from portal.localtime import at, monday_of, show_when
from portal.privacy import personal
from portal.redirects import next_url
from portal.sites import area_of, day_from_path, page_url, site_area

SESSIONS_PER_PAGE = 12
NEXT_SESSIONS = 8


class SessionFilters(forms.Form):
    """What the index shows: one kind of activity, one room. A value that is not (or no longer)
    a choice counts as no choice, so an old link still shows something."""

    category = forms.ChoiceField(label=gettext_lazy("Kind of activity"), required=False)
    room = forms.ChoiceField(label=gettext_lazy("Room"), required=False)

    def __init__(self, data, area):
        super().__init__(data)
        self.fields["category"].choices = [("", _("All kinds"))] + [
            (category.slug, category.display_name) for category in ActivityCategory.objects.all()
        ]
        self.fields["room"].choices = [("", _("All rooms"))] + [
            (room.slug, room.display_name) for room in area.rooms.all()
        ]
        self.is_valid()
        self.chosen = {name: value for name, value in self.cleaned_data.items() if value}

    def apply(self, sessions):
        if "category" in self.chosen:
            sessions = sessions.filter(activity__category__slug=self.chosen["category"])
        if "room" in self.chosen:
            # A session whose room was taken is not held there (its place is yet to be settled).
            sessions = sessions.filter(room__slug=self.chosen["room"], room_clash="")
        return sessions

    def query(self, **extra):
        """The choices as a query string ("?category=health"), for links that keep them."""
        values = {**self.chosen, **extra}
        return f"?{urlencode(values)}" if values else ""


def present(request, sessions, locale_id):
    """Give each session the title, address and place residents see, for all of them at once:
    one query for the activities' translations into the reader's language (none for Chinese),
    and addresses from the site's cached root paths rather than a query per page."""
    wanted = {session.activity.translation_key for session in sessions if session.activity.locale_id != locale_id}
    translations = {}
    if wanted:
        translations = {
            page.translation_key: page
            for page in ActivityPage.objects.live().filter(locale_id=locale_id, translation_key__in=wanted)
        }
    urls = {}
    for session in sessions:
        page = translations.get(session.activity.translation_key, session.activity)
        if page.pk not in urls:
            urls[page.pk] = page_url(request, page)
        describe(session, page, urls[page.pk])
    return sessions


def describe(session, page, url):
    """What a session shows of its activity `page` (in the reader's language) at `url`."""
    session.activity_title = page.title
    session.activity_url = url
    session.calendar_url = url + page.reverse_subpage("session_ics", args=[session.pk]) if url else ""
    session.when_text = show_when(session.start, session.end)
    if session.room_clash:
        session.place = _("Place to be confirmed")
    elif session.room_id:
        session.place = session.room.display_name
    else:
        session.place = page.place


def by_day(sessions):
    """[(date, [sessions starting that day]), ...] in order."""
    return [(day, list(group)) for day, group in groupby(sessions, key=lambda session: session.local_start.date())]


def sessions_between(area, first_day, last_day):
    """The area's sessions from the start of first_day to the end of last_day: one range query."""
    return Occurrence.objects.in_area(area).on_days(first_day, last_day).listed()


def index_context(request, index, view, filters):
    base = page_url(request, index)
    query = filters.query()
    category = {"category": filters.chosen["category"]} if "category" in filters.chosen else {}
    return {
        **index.get_context(request),
        "view": view,
        "filters": filters,
        "urls": {
            "week": base + query,
            "month": base + index.reverse_subpage("this_month") + query,
            "list": base + index.reverse_subpage("list") + query,
            "my_signups": base + index.reverse_subpage("my_signups"),
            "feed": base + index.reverse_subpage("feed") + (f"?{urlencode(category)}" if category else ""),
            "here": request.path,
        },
        "base_url": base,
        "today": timezone.localdate(),
    }


def week(request, index, day=None):
    """The sessions of one Monday-to-Sunday week, day by day."""
    area = area_of(request)
    today = timezone.localdate()
    chosen = day_from_path(day) if day else today
    monday = monday_of(chosen)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    filters = SessionFilters(request.GET, area)
    sessions = present(request, list(filters.apply(sessions_between(area, days[0], days[-1]))), index.locale_id)
    found = dict(by_day(sessions))
    context = index_context(request, index, "week", filters)
    base, query = context["base_url"], filters.query()

    def week_url(first):
        return base + index.reverse_subpage("week", args=[first.isoformat()]) + query

    this_monday = monday_of(today)
    context.update(
        days=[(date, found.get(date, [])) for date in days],
        monday=monday,
        sunday=days[-1],
        previous_url=week_url(monday - dt.timedelta(days=7)),
        next_url=week_url(monday + dt.timedelta(days=7)),
        this_week_url=None if monday == this_monday else context["urls"]["week"],
    )
    return TemplateResponse(request, "activities/activity_index_page.html", context)


def month(request, index, year=None, month=None):
    """The sessions of one month, as a list of the days that have any."""
    area = area_of(request)
    today = timezone.localdate()
    if year is None:
        first = today.replace(day=1)
    else:
        try:
            first = dt.date(int(year), int(month), 1)
        except ValueError:
            raise Http404(_("There is no such month.")) from None
        if not within_the_calendar(first):
            raise Http404(_("There is no such month."))
    following = (first + dt.timedelta(days=31)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    filters = SessionFilters(request.GET, area)
    sessions = present(
        request,
        list(filters.apply(sessions_between(area, first, following - dt.timedelta(days=1)))),
        index.locale_id,
    )
    context = index_context(request, index, "month", filters)
    base, query = context["base_url"], filters.query()

    def month_url(day):
        # Four digits, as the route has them (year 999 is "0999").
        return base + index.reverse_subpage("month", args=[f"{day.year:04d}", day.month]) + query

    context.update(
        days=[(day, found) for day, found in by_day(sessions) if day >= first],  # not last month's late nights
        month=first,
        previous=previous,
        following=following,
        # No link off the calendar the portal keeps (portal/dates.py).
        previous_url=month_url(previous) if within_the_calendar(previous) else None,
        next_url=month_url(following) if within_the_calendar(following) else None,
        this_month_url=None if first == today.replace(day=1) else context["urls"]["month"],
    )
    return TemplateResponse(request, "activities/month.html", context)


def session_list(request, index):
    """Every session still to come, twelve to a page."""
    area = area_of(request)
    now = timezone.now()
    filters = SessionFilters(request.GET, area)
    upcoming = filters.apply(
        Occurrence.objects.in_area(area).between(now, at(window()[1] + dt.timedelta(days=1), dt.time.min)).listed()
    )
    sessions = Paginator(upcoming, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    sessions.object_list = present(request, list(sessions.object_list), index.locale_id)
    context = index_context(request, index, "list", filters)
    base = context["urls"]["list"].split("?")[0]
    context.update(
        sessions=sessions,
        days=by_day(sessions.object_list),
        previous_url=base + filters.query(page=sessions.previous_page_number()) if sessions.has_previous() else None,
        next_url=base + filters.query(page=sessions.next_page_number()) if sessions.has_next() else None,
    )
    return TemplateResponse(request, "activities/session_list.html", context)


def activity(request, page, refusal=None):
    """An activity with its next sessions; sign-up buttons where it needs sign-up.

    A translation shows its Chinese original's sessions (only the original produces them)."""
    source = page.source_page
    now = timezone.now()
    url = page_url(request, page) if page.pk else ""
    sessions = []
    if source.pk:
        upcoming = source.sessions().filter(end__gt=now).order_by("start", "pk")
        if source.signup_required:
            upcoming = signups.with_places_taken(upcoming)
        sessions = list(upcoming[:NEXT_SESSIONS])
    mine = signups.signed_up_for(request.user, sessions) if source.signup_required else set()
    for session in sessions:
        describe(session, page, url)
        if source.signup_required:
            session.places_left = signups.places_left(source.capacity, session.taken)
            session.signed_up = session.pk in mine
            session.open_for_signup = not session.is_cancelled and session.start > now
            if url:
                session.sign_up_url = url + page.reverse_subpage("sign_up", args=[session.pk])
                session.cancel_url = url + page.reverse_subpage("cancel_sign_up", args=[session.pk])
    area = site_area(request)
    index = page.get_parent().specific if page.path else None
    index_url = page_url(request, index) if index is not None else ""
    my_signups_url = index_url + index.reverse_subpage("my_signups") if isinstance(index, ActivityIndexPage) else ""
    context = {
        **page.get_context(request),
        "source": source,
        "today": timezone.localdate(),
        "room": source.room,
        "category": page.category,
        "schedules": source.schedules.all(),
        "photos": page.photos.select_related("image"),  # each photo's image, without a query each
        "sessions": sessions,
        "signup_required": source.signup_required,
        "capacity": source.capacity,
        "refusal": refusal,
        "area": area,
        "own_area": area is not None and request.user.is_authenticated and request.user.area_id == area.pk,
        "login_url": redirect_to_login(url).url,
        "feed_url": url + page.reverse_subpage("feed") if url else "",
        "index_url": index_url,
        "my_signups_url": my_signups_url,
    }
    return TemplateResponse(
        request, "activities/activity_page.html", context, status=refusal.status if refusal else 200
    )


def sign_up(request, page, pk):
    url = page_url(request, page)
    if request.method != "POST":
        return redirect(url)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("activity", "area"), pk=pk, activity=page.source_page
    )
    try:
        signups.sign_up(occurrence, request.user)
    except signups.SignUpRefused as refusal:
        return activity(request, page, refusal)
    messages.success(
        request,
        _("You are signed up for %(activity)s, %(when)s.")
        % {"activity": page.title, "when": show_when(occurrence.start, occurrence.end)},
    )
    return redirect(url)


def cancel_sign_up(request, page, pk):
    url = page_url(request, page)
    if request.method != "POST":
        return redirect(url)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    occurrence = get_object_or_404(Occurrence, pk=pk, activity=page.source_page)
    back = next_url(request, request.POST.get("next"), url)
    try:
        signups.cancel(occurrence, request.user)
    except signups.SignUpRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Your sign-up for %(activity)s, %(when)s is cancelled.")
            % {"activity": page.title, "when": show_when(occurrence.start, occurrence.end)},
        )
    return redirect(back)


@personal
def my_signups(request, index):
    """The resident's sign-ups: those to come (with a cancel button) and earlier ones."""
    now = timezone.now()
    mine = SignUp.objects.filter(resident=request.user).select_related(
        "occurrence__activity", "occurrence__activity__category", "occurrence__room"
    )
    upcoming = list(mine.filter(status=SignUp.Status.ACTIVE, occurrence__end__gt=now).order_by("occurrence__start"))
    earlier = list(
        mine.exclude(status=SignUp.Status.ACTIVE, occurrence__end__gt=now).order_by("-occurrence__start", "-pk")[:20]
    )
    present(request, [signup.occurrence for signup in upcoming + earlier], index.locale_id)
    for signup in upcoming:
        session = signup.occurrence
        if session.start > now and session.activity_url:
            # The address may be the translation's; both pages have the same routes.
            route = session.activity.reverse_subpage("cancel_sign_up", args=[session.pk])
            signup.cancel_url = session.activity_url + route
    context = {
        **index.get_context(request),
        "upcoming": upcoming,
        "earlier": earlier,
        "index_url": page_url(request, index),
    }
    return TemplateResponse(request, "activities/my_signups.html", context)
