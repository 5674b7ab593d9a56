"""Rooms and bookings in the residents' JSON API (docs/architecture.md, our API beside Wagtail's).

Every route needs a resident's bearer token: the area comes from the caller's account,
never from the host. The views only parse and shape; every rule, message and write is
in booking/rules.py, the same code path as the web form.

A time without an offset is Shanghai time; times come back with their +08:00 offset.
A repeated POST /reservations with the same `Idempotency-Key` returns the booking the
first request made, with 200 instead of 201, whatever the repeated body says. Another
area's room is not found (404) when asked for its slots, and booking it is refused with
the rules' message under "room" (400), as on the web.
"""

import datetime as dt

from django import forms
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate
from wagtail.images import get_image_model

from booking import rules
from booking.models import Reservation, Room
from portal import dates, page_cache
from portal.api import ApiError, ErrorOut, LocalTime, Pages, RowId
from portal.api_auth import ResidentTokenAuth

PHOTO = "fill-640x400"


router = Router(auth=ResidentTokenAuth(), tags=["rooms and bookings"])


class Span(Schema):
    start: dt.datetime
    end: dt.datetime


class ClashOut(ErrorOut):
    alternatives: list[Span] = Field(description="The nearest free spans of the same length.")


class OpeningHoursOut(Schema):
    weekday: int = Field(description="0 is Monday.")
    opens: LocalTime
    closes: LocalTime


class RoomOut(Schema):
    id: int
    name: str
    name_en: str
    description: str
    description_en: str
    location: str
    capacity: int
    equipment: list[str]
    accessibility: str
    photo: str | None = Field(None, description=f"A {PHOTO} rendition, or null.")
    opening_hours: list[OpeningHoursOut]
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    window_days: int
    notice_minutes: int
    cancel_cutoff_minutes: int
    needs_approval: bool

    @staticmethod
    def resolve_equipment(room):
        return room.equipment_list

    @staticmethod
    def resolve_photo(room, context):
        if room.photo is None:
            return None
        return context["request"].build_absolute_uri(room.photo.get_rendition(PHOTO).url)

    @staticmethod
    def resolve_opening_hours(room):
        return sorted(room.opening_hours.all(), key=lambda hours: (hours.weekday, hours.opens))


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    state: str = Field(description="free, booked, class, closed or unavailable.")
    label: str = Field(description="A class title or why the room is closed; empty otherwise.")


class AvailabilityOut(Schema):
    room: int
    date: dt.date
    slots: list[SlotOut]


class ReservationRoom(Schema):
    id: int
    name: str
    name_en: str


class ReservationIn(Schema):
    room: RowId
    start: str = Field(
        description="ISO 8601; a time without an offset is Shanghai time.", examples=["2026-03-05T14:00:00+08:00"]
    )
    end: str = Field(description="ISO 8601, as start.", examples=["2026-03-05T15:00:00+08:00"])
    purpose: str = ""
    headcount: int = 1


class ReservationOut(Schema):
    id: int
    room: ReservationRoom
    start: dt.datetime
    end: dt.datetime
    status: str = Field(description="pending, confirmed, rejected, cancelled, no_show or completed.")
    status_display: str
    purpose: str
    headcount: int
    can_cancel: bool
    cancel_until: dt.datetime

    @staticmethod
    def resolve_start(reservation):
        return reservation.local_start

    @staticmethod
    def resolve_end(reservation):
        return reservation.local_end

    @staticmethod
    def resolve_status_display(reservation):
        return reservation.get_status_display()

    @staticmethod
    def resolve_can_cancel(reservation):
        return reservation.can_be_cancelled_by_resident()

    @staticmethod
    def resolve_cancel_until(reservation):
        return timezone.localtime(reservation.cancel_deadline())


class ReservationRequest(forms.Form):
    """Parses what was sent with Django's own fields, so their messages come in the caller's language."""

    room = forms.ModelChoiceField(Room.objects.prefetch_related("opening_hours"))
    start = dates.DateTimeField()
    end = dates.DateTimeField()
    purpose = forms.CharField(max_length=100, required=False)
    headcount = forms.IntegerField()
    request_key = forms.CharField(max_length=64, required=False)


class DayRequest(forms.Form):
    date = dates.DateField()


NOT_FOUND = gettext_lazy("There is no such room or booking.")


def _check(form):
    """The form's cleaned data, or a 400 naming each field as the client sent it."""
    if not form.is_valid():
        sent_as = {"request_key": "Idempotency-Key"}
        errors = {sent_as.get(field, field): messages for field, messages in form.errors.items()}
        raise ApiError(400, _("Please check what was sent."), errors)
    return form.cleaned_data


def _rooms(request):
    return Room.objects.filter(area_id=request.auth.area_id).prefetch_related("opening_hours")


def _refused(refusal):
    extra = {}
    if refusal.status == 409:
        extra["alternatives"] = [
            {"start": timezone.localtime(start).isoformat(), "end": timezone.localtime(end).isoformat()}
            for start, end in refusal.alternatives
        ]
    return ApiError(refusal.status, refusal.message, refusal.errors, **extra)


@router.get("/rooms", response=list[RoomOut], summary="The rooms of the caller's area")
def rooms(request):
    photos = get_image_model().objects.prefetch_renditions(PHOTO)
    return _rooms(request).prefetch_related(Prefetch("photo", queryset=photos))


@router.get(
    "/rooms/{room_id}/availability",
    response={200: AvailabilityOut, 400: ErrorOut, 404: ErrorOut},
    summary="A room's slots on one day",
)
def availability(request, room_id: RowId, date: str | None = None):
    """Who booked is never shown: a hidden room says only "unavailable", others show a
    class title or a closure's reason. Without `date`, today. The same for every resident of
    the area, so kept as pages are (portal/page_cache.py): at most a minute old, fresh after
    any booking."""
    day = _check(DayRequest({"date": date})).get("date") if date else timezone.localdate()

    def room_day():
        room = _rooms(request).filter(pk=room_id).first()
        if room is None:
            raise ApiError(404, NOT_FOUND)
        slots = [
            {
                "start": timezone.localtime(slot.start),
                "end": timezone.localtime(slot.end),
                "state": slot.state,
                "label": str(slot.label),  # the rules give a slot only a public label
            }
            for slot in rules.day_slots(room, day)
        ]
        return {"room": room.pk, "date": day, "slots": slots}

    language = translation.get_language()
    return page_cache.remembered(f"availability:{request.auth.area_id}:{room_id}:{day}:{language}", room_day)


@router.post(
    "/reservations",
    response={200: ReservationOut, 201: ReservationOut, 400: ErrorOut, 403: ErrorOut, 409: ClashOut},
    summary="Book a room",
)
def book(request, payload: ReservationIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """201 with the new booking (status "pending" where staff approve first); 200 with the
    same booking when the `Idempotency-Key` was used before; 409 with alternatives for a clash."""
    data = _check(ReservationRequest({**payload.model_dump(), "request_key": idempotency_key}))
    try:
        reservation, created = rules.book(
            room=data["room"],
            start=data["start"],
            end=data["end"],
            resident=request.auth,
            headcount=data["headcount"],
            purpose=data["purpose"],
            request_key=data["request_key"],
        )
    except rules.BookingRefused as refusal:
        raise _refused(refusal) from refusal
    return Status(201 if created else 200, reservation)


@router.get("/reservations", response=list[ReservationOut], summary="My bookings, upcoming first")
@paginate(Pages, page_size=20)
def my_reservations(request):
    """Upcoming bookings soonest first, then past ones most recent first."""
    return Reservation.objects.bookings().filter(resident=request.auth).select_related("room").upcoming_first()


@router.post(
    "/reservations/{reservation_id}/cancel",
    response={200: ReservationOut, 400: ErrorOut, 404: ErrorOut},
    summary="Cancel my booking",
)
def cancel(request, reservation_id: RowId):
    """Until the room's cut-off, as on the web; someone else's booking is 404, as if it did not exist."""
    reservation = (
        Reservation.objects.bookings().select_related("room").filter(pk=reservation_id, resident=request.auth).first()
    )
    if reservation is None:
        raise ApiError(404, NOT_FOUND)
    try:
        rules.cancel(reservation, request.auth)
    except rules.BookingRefused as refusal:
        raise _refused(refusal) from refusal
    return reservation
