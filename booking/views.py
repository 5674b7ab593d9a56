"""The residents' booking flow: rooms → a day → a start time → length → confirm → done.

Server-rendered and usable without JavaScript. Every rule lives in booking/rules.py;
these views only turn its answers into pages (400 for a broken rule, 409 for a clash,
403 for a paused account), keeping what the resident chose.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from booking import rules
from booking.calendar import reservation_ics
from booking.forms import BookingForm, CalendarDateField, DayForm
from booking.models import Reservation, Room
from portal import localtime
from portal.models import Holiday
from portal.privacy import personal
from portal.sites import area_of

DAYS_PER_PAGE = 7


def room_of(request, slug):
    return get_object_or_404(
        Room.objects.select_related("area", "photo").prefetch_related("opening_hours"), area=area_of(request), slug=slug
    )


def room_list(request):
    area = area_of(request)
    rooms = area.rooms.select_related("photo").prefetch_related("photo__renditions")
    return render(request, "booking/room_list.html", {"area": area, "rooms": rooms})


def room_detail(request, slug):
    """The room, and its booking window as big day buttons, a week per page."""
    room = room_of(request, slug)
    now = timezone.now()
    today = timezone.localdate()
    last_day = today + dt.timedelta(days=room.window_days)
    pages = (room.window_days // DAYS_PER_PAGE) + 1
    try:
        week = min(max(int(request.GET.get("week", 0)), 0), pages - 1)
    except ValueError:
        week = 0
    first = today + dt.timedelta(days=week * DAYS_PER_PAGE)
    days = [first + dt.timedelta(days=n) for n in range(DAYS_PER_PAGE) if first + dt.timedelta(days=n) <= last_day]
    rows = rules.rows_between(
        room, localtime.at(days[0], dt.time(0)), localtime.at(days[-1], dt.time(0)) + dt.timedelta(days=2)
    )
    days_off = Holiday.days_off(days[0], days[-1])
    day_buttons = [
        {
            "date": day,
            "free": len(rules.free_starts(room, day, now, rows, days_off)),
            "holiday": days_off.get(day),
            "open": bool(rules.opening_spans(room, day)),
        }
        for day in days
    ]
    return render(
        request,
        "booking/room_detail.html",
        {
            "room": room,
            "days": day_buttons,
            "week": week,
            "previous_week": week - 1 if week > 0 else None,
            "next_week": week + 1 if week + 1 < pages else None,
            "day_form": DayForm(),
            "missing_holidays": Holiday.missing_years(today, last_day),
        },
    )


def room_day(request, slug, day=None):
    """A day's slots, with every free start time as a button."""
    room = room_of(request, slug)
    if day is None:  # the "another date" form
        form = DayForm(request.GET)
        if not form.is_valid():
            return render(request, "booking/room_detail.html", {"room": room, "day_form": form, "days": []}, status=400)
        return redirect("booking:room_day", slug=room.slug, day=form.cleaned_data["date"].isoformat())
    date = parse_day(request, room, day)
    if isinstance(date, HttpResponse):
        return date
    now = timezone.now()
    slots = rules.day_slots(room, date, now)
    starts = set(rules.free_starts(room, date, now))
    return render(
        request,
        "booking/room_day.html",
        {
            "room": room,
            "date": date,
            "slots": [(slot, slot.start in starts) for slot in slots],
            "any_free": bool(starts),
            "holiday": rules.holiday_name(room, date),
        },
    )


def parse_day(request, room, value):
    """The date in the address, or a 400 page saying it is not a date (2月30日)."""
    try:
        return CalendarDateField().clean(value)
    except ValidationError:
        form = DayForm({"date": value})
        form.is_valid()
        return render(request, "booking/room_detail.html", {"room": room, "day_form": form, "days": []}, status=400)


@personal
def book(request, slug, day, time):
    """Choose the length, people and purpose; review in plain words; confirm."""
    room = room_of(request, slug)
    date = parse_day(request, room, day)
    if isinstance(date, HttpResponse):
        return date
    try:
        start = localtime.at(date, dt.time.fromisoformat(time))
    except ValueError:
        raise Http404 from None
    resident = request.user
    context = {"room": room, "date": date, "start": start}
    if resident.area_id != room.area_id:
        context["other_area"] = resident.area
        return render(request, "booking/book.html", context, status=400)

    if request.method == "POST":
        # Any length the room allows: one that no longer fits gets the rules' own answer
        # (a clash with free times nearby), and a repeated submit finds its booking.
        lengths = range(room.min_minutes, room.max_minutes + 1, room.slot_minutes)
    else:
        lengths = rules.lengths_from(room, start) or [room.min_minutes]
    form = BookingForm(request.POST or None, room=room, lengths=lengths)
    context["form"] = form
    if request.method != "POST" or "change" in request.POST:
        return render(request, "booking/book.html", context)
    if not form.is_valid():
        return render(request, "booking/book.html", context, status=400)

    end = start + dt.timedelta(minutes=form.cleaned_data["minutes"])
    context["end"] = end
    try:
        if "confirm" not in request.POST:
            rules.check(room, start, end, resident, form.cleaned_data["headcount"])
            context["needs_approval"] = room.needs_approval or not resident.residency_verified
            return render(request, "booking/confirm.html", context)
        reservation, _created = rules.book(
            room=room,
            start=start,
            end=end,
            resident=resident,
            headcount=form.cleaned_data["headcount"],
            purpose=form.cleaned_data["purpose"],
            request_key=form.cleaned_data["request_key"],
        )
    except rules.BookingRefused as refusal:
        form.add_refusal(refusal)
        context.update(refusal=refusal, alternatives=refusal.alternatives)
        return render(request, "booking/book.html", context, status=refusal.status)
    return redirect(reverse("booking:reservation", args=[reservation.pk]) + "?new=1")


def own_reservation(request, pk):
    return get_object_or_404(Reservation.objects.select_related("room__area").bookings(), pk=pk, resident=request.user)


@personal
def my_bookings(request):
    mine = Reservation.objects.bookings().filter(resident=request.user).select_related("room")
    now = timezone.now()
    upcoming = mine.filter(end__gt=now, status__in=[Reservation.Status.PENDING, Reservation.Status.CONFIRMED])
    past = mine.exclude(pk__in=upcoming.values("pk")).order_by("-start")[:20]
    return render(
        request,
        "booking/my_bookings.html",
        {"upcoming": upcoming, "past": past, "now": now, "paused_until": rules.paused_until(request.user, now)},
    )


@personal
def reservation_detail(request, pk):
    reservation = own_reservation(request, pk)
    return render(
        request,
        "booking/reservation.html",
        {
            "reservation": reservation,
            "new": request.GET.get("new") == "1",
            "can_cancel": reservation.can_be_cancelled_by_resident(),
        },
    )


@personal
@require_POST
def cancel(request, pk):
    reservation = own_reservation(request, pk)
    try:
        rules.cancel(reservation, request.user)
    except rules.BookingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Cancelled: %(room)s, %(when)s.")
            % {"room": reservation.room.display_name, "when": localtime.show_when(reservation.start, reservation.end)},
        )
    return redirect("booking:my_bookings")


@personal
def reservation_calendar(request, pk):
    reservation = own_reservation(request, pk)
    response = HttpResponse(
        reservation_ics(reservation, request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="booking-{reservation.pk}.ics"'
    return response
