"""The booking rules, and the only code that writes room time.

The web form, the staff admin and the JSON API all call `book()` and the status
changes below, so a rule and its message exist once. Refusals are `BookingRefused`
with an HTTP status: 400 for input that breaks a rule, 409 for a clash, 403 for a
paused account.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from booking import notify
from booking.models import ROOM_TIME_GUARD, Reservation, ReservationEvent
from portal.localtime import at, days, local, monday_of, show_day, show_time, show_when
from portal.models import Holiday
from portal.refusals import Refused

Status = Reservation.Status
Kind = Reservation.Kind

# PostgreSQL's SQLSTATE for "deadlock detected".
DEADLOCK_DETECTED = "40P01"


class BookingRefused(Refused):
    """A booking the rules refuse, with other times that would do (`alternatives`)."""

    def __init__(self, message, errors=None, *, status=400, alternatives=()):
        super().__init__(message, errors, status=status)
        self.alternatives = list(alternatives)


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    state: str  # free, booked, class, closed, unavailable
    label: str = ""

    @property
    def text(self):
        """What residents read for this slot; never who booked."""
        if self.state == "closed":
            return _("closed (%(reason)s)") % {"reason": self.label} if self.label else _("closed")
        if self.state in ("booked", "class") and self.label:
            return self.label
        return {"free": _("free"), "booked": _("booked")}.get(self.state, _("unavailable"))


def opening_spans(room, day):
    """The room's opening ranges on a date, ignoring holidays and closures."""
    return [
        (at(day, hours.opens), at(day, hours.closes))
        for hours in room.opening_hours.all()
        if hours.weekday == day.weekday()
    ]


def holiday_name(room, day, days_off=None):
    if room.open_on_holidays:
        return None
    return (Holiday.days_off(day, day) if days_off is None else days_off).get(day)


def booking_window(room, now):
    """The first moment one may book (after the notice) and the last day of the window."""
    return now + dt.timedelta(minutes=room.notice_minutes), local(now).date() + dt.timedelta(days=room.window_days)


def rows_between(room, start, end):
    """Every holding row of the room whose held span meets [start, end), in one query."""
    return list(Reservation.objects.holding().overlapping(room, start, end))


def fits(room, start, end, rows):
    """Would a booking of [start, end) plus the room's buffer fit beside these rows?"""
    held_until = end + room.buffer
    return not any(row.held_start < held_until and row.held_end > start for row in rows)


def inside_opening_hours(room, start, end):
    return any(opens <= start and end <= closes for opens, closes in opening_spans(room, local(start).date()))


def day_slots(room, day, now=None, rows=None, days_off=None):
    """The day's slots of the room as residents see them. Never says who booked."""
    now = now or timezone.now()
    spans = opening_spans(room, day)
    if not spans:
        return []
    if rows is None:
        rows = rows_between(room, min(spans)[0], max(spans)[1] + room.buffer)
    holiday = holiday_name(room, day, days_off)
    earliest, last_day = booking_window(room, now)
    slots = []
    for opens, closes in sorted(spans):
        start = opens
        while start + room.slot <= closes:
            end = start + room.slot
            slots.append(_slot_state(room, start, end, rows, holiday, earliest, last_day))
            start = end
    return slots


def _slot_state(room, start, end, rows, holiday, earliest, last_day):
    if holiday:
        return Slot(start, end, "closed", holiday)
    taking = [row for row in rows if row.start < end and row.end > start]
    closure = next((row for row in taking if row.kind == Kind.CLOSURE), None)
    if closure:
        return Slot(start, end, "closed", closure.label)
    if taking:
        row = taking[0]
        if room.hide_bookings:
            return Slot(start, end, "unavailable")
        if row.kind == Kind.CLASS:
            return Slot(start, end, "class", row.label)
        return Slot(start, end, "booked", row.label if row.kind == Kind.BLOCK else "")
    if start < earliest or local(start).date() > last_day or not fits(room, start, start + room.slot, rows):
        return Slot(start, end, "unavailable")
    return Slot(start, end, "free")


def free_starts(room, day, now=None, rows=None, days_off=None):
    """Start times at which a booking of the shortest length fits."""
    now = now or timezone.now()
    spans = opening_spans(room, day)
    if not spans:
        return []
    if rows is None:
        rows = rows_between(room, min(spans)[0], max(spans)[1] + room.buffer)
    shortest = dt.timedelta(minutes=room.min_minutes)
    return [
        slot.start
        for slot in day_slots(room, day, now, rows, days_off)
        if slot.state == "free"
        and inside_opening_hours(room, slot.start, slot.start + shortest)
        and fits(room, slot.start, slot.start + shortest, rows)
    ]


def lengths_from(room, start):
    """The lengths (in minutes) a booking starting here could have."""
    rows = rows_between(room, start, start + dt.timedelta(minutes=room.max_minutes) + room.buffer)
    lengths = []
    for minutes in range(room.min_minutes, room.max_minutes + 1, room.slot_minutes):
        end = start + dt.timedelta(minutes=minutes)
        if not inside_opening_hours(room, start, end) or not fits(room, start, end, rows):
            break
        lengths.append(minutes)
    return lengths


def alternatives(room, start, end, now=None, limit=3):
    """The free spans of the same length nearest to the one asked for (up to 3 days either side)."""
    now = now or timezone.now()
    length = end - start
    earliest, last_day = booking_window(room, now)
    first_day = max(local(start).date() - dt.timedelta(days=3), local(earliest).date())
    final_day = min(local(start).date() + dt.timedelta(days=3), last_day)
    if first_day > final_day:
        return []
    first, after = days(first_day, final_day)
    rows = rows_between(room, first, after + room.buffer)
    days_off = {} if room.open_on_holidays else Holiday.days_off(first_day, final_day)
    candidates = []
    day = first_day
    while day <= final_day:
        if day not in days_off:
            for opens, closes in opening_spans(room, day):
                candidate = opens
                while candidate + length <= closes:
                    if candidate >= earliest:
                        candidates.append(candidate)
                    candidate += room.slot
        day += dt.timedelta(days=1)
    # Nearest first (a stable sort: of two as near, the earlier), so the search stops at the
    # first `limit` that fit instead of trying every slot of the week against every row.
    candidates.sort(key=lambda candidate: abs(candidate - start))
    found = []
    for candidate in candidates:
        if fits(room, candidate, candidate + length, rows):
            found.append((candidate, candidate + length))
            if len(found) == limit:
                break
    return sorted(found)


def paused_until(resident, now=None):
    """When the resident may book again after repeated no-shows, or None."""
    until = resident.booking_paused_until
    return until if until and until > (now or timezone.now()) else None


class _TimeTaken(Exception):
    """check() found the time taken; the caller looks up the nearest free times itself."""


def check(room, start, end, resident, headcount=1, now=None, *, offer_alternatives=True):
    """Raise BookingRefused if a resident may not book [start, end) in the room; a clash last.
    Without `offer_alternatives`, a clash raises _TimeTaken instead, so that book() can look
    for other times once its transaction is over."""
    now = now or timezone.now()
    if paused_until(resident, now):
        raise BookingRefused(
            _(
                "Your booking rights are paused until %(until)s because of missed bookings. "
                "Please ask at the reception desk if this is wrong."
            )
            % {"until": show_day(resident.booking_paused_until)},
            status=403,
        )
    errors = {}
    if resident.area_id != room.area_id:
        errors["room"] = [_("This room belongs to another residents' area. You can book the rooms of your own area.")]
    if end <= start:
        errors["end"] = [_("The end must be after the start.")]
    if errors:
        raise BookingRefused(_("Please check the time you chose."), errors)

    length = end - start
    start_local = local(start)
    midnight = at(start_local.date(), dt.time(0))
    if (start - midnight) % room.slot or length % room.slot:
        errors.setdefault("start", []).append(
            _("Bookings start and end on the %(minutes)s-minute grid, such as 14:00 or 14:30.")
            % {"minutes": room.slot_minutes}
        )
    earliest, last_day = booking_window(room, now)
    if start < now:
        errors.setdefault("start", []).append(_("This time has already passed."))
    elif start < earliest:
        errors.setdefault("start", []).append(
            ngettext(
                "Bookings must be made at least %(count)d minute before the start.",
                "Bookings must be made at least %(count)d minutes before the start.",
                room.notice_minutes,
            )
            % {"count": room.notice_minutes}
        )
    elif start_local.date() > last_day:
        errors.setdefault("start", []).append(
            _("You can book up to %(days)s days ahead, until %(day)s.")
            % {"days": room.window_days, "day": show_day(last_day)}
        )
    if length < dt.timedelta(minutes=room.min_minutes) or length > dt.timedelta(minutes=room.max_minutes):
        errors.setdefault("end", []).append(
            _("A booking of this room lasts from %(min)s to %(max)s minutes.")
            % {"min": room.min_minutes, "max": room.max_minutes}
        )
    holiday = holiday_name(room, start_local.date())
    if holiday:
        errors.setdefault("start", []).append(_("The room is closed on %(holiday)s.") % {"holiday": holiday})
    elif not inside_opening_hours(room, start, end):
        hours = "、".join(f"{show_time(o)}–{show_time(c)}" for o, c in opening_spans(room, start_local.date()))
        errors.setdefault("start", []).append(
            _("The room is open %(hours)s on that day.") % {"hours": hours}
            if hours
            else _("The room is closed on that day.")
        )
    rows = rows_between(room, start, end + room.buffer)
    closure = next((row for row in rows if row.kind == Kind.CLOSURE and row.start < end and row.end > start), None)
    if closure:
        errors.setdefault("start", []).append(_("The room is closed then: %(reason)s.") % {"reason": closure.label})
    if headcount < 1 or headcount > room.capacity:
        errors["headcount"] = [_("This room holds 1 to %(capacity)s people.") % {"capacity": room.capacity}]
    errors.update(_limit_errors(room, start, end, resident, now))
    if errors:
        raise BookingRefused(_("This booking breaks the room's rules; see below."), errors)
    if not fits(room, start, end, rows):
        if not offer_alternatives:
            raise _TimeTaken
        raise clash(room, start, end, now)


def _limit_errors(room, start, end, resident, now):
    errors = []
    monday = at(monday_of(local(start).date()), dt.time(0))
    next_monday = monday + dt.timedelta(days=7)
    upcoming = Q(status__in=[Status.PENDING, Status.CONFIRMED], end__gt=now)
    that_week = Q(status__in=Reservation.HOLDING, start__gte=monday, start__lt=next_monday)
    # Both limits from one query: the resident's upcoming bookings of the room and that week's.
    mine = list(
        Reservation.objects.bookings()
        .filter(upcoming | that_week, room=room, resident=resident)
        .only("status", "start", "end")
        .order_by("end")
    )
    active = [row for row in mine if row.status in (Status.PENDING, Status.CONFIRMED) and row.end > now]
    if len(active) >= room.max_active_bookings:
        errors.append(
            _(
                "You already have %(count)s upcoming bookings of this room, the most allowed. "
                "You can book again after %(when)s, when the first of them is over, or after cancelling one."
            )
            % {"count": len(active), "when": show_when(active[0].start, active[0].end)}
        )
    week = [row for row in mine if row.is_holding and monday <= row.start < next_monday]
    booked = sum(((row.end - row.start) for row in week), dt.timedelta())
    if booked + (end - start) > dt.timedelta(hours=room.max_hours_per_week):
        errors.append(
            _(
                "This would make %(total)s hours in this room this week; the limit is %(limit)s hours. "
                "The count starts again on %(day)s."
            )
            % {
                "total": _hours(booked + (end - start)),
                "limit": room.max_hours_per_week,
                "day": show_day(next_monday),
            }
        )
    return {"limit": errors} if errors else {}


def _hours(delta):
    hours = delta.total_seconds() / 3600
    return f"{hours:g}"


def clash(room, start, end, now=None):
    spans = alternatives(room, start, end, now)
    return BookingRefused(
        _("Sorry, %(when)s has just been taken.") % {"when": show_when(start, end)}
        + (" " + _("The nearest free times are listed below.") if spans else ""),
        {"start": [_("This time is no longer free.")]},
        status=409,
        alternatives=spans,
    )


def book(*, room, start, end, resident, headcount=1, purpose="", request_key="", booked_by=None, now=None):
    """Book [start, end) for a resident, or raise BookingRefused. Returns (reservation, created).

    A repeated request (same resident and request key) returns the booking already made.
    """
    now = now or timezone.now()
    # Overlapping rows inserted at the same moment can wait on each other in the exclusion
    # constraint; PostgreSQL then gives one of them up. Asked once more, that request sees the
    # other's booking, or waits for it and meets the constraint: an ordinary clash either way.
    # (Only once: the retries of several losers could keep blocking each other.)
    for _attempt in range(2):
        try:
            return _book(room, start, end, resident, headcount, purpose, request_key, booked_by, now)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
            deadlock = error
    raise clash(room, start, end, now) from deadlock


def _book(room, start, end, resident, headcount, purpose, request_key, booked_by, now):
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Serialise one resident's requests so the personal limits hold; the room's
                # time itself is guarded by the exclusion constraint. (SQLite's IMMEDIATE
                # transactions already serialise every writer.) The lock is all this query is for.
                resident._meta.model.objects.select_for_update().filter(pk=resident.pk).values_list("pk").first()
            # Looked up once serialised, so a double tap gets its booking back, not a clash with it.
            if request_key and (existing := _already_made(resident, request_key)):
                return existing, False
            check(room, start, end, resident, headcount, now, offer_alternatives=False)
            needs_approval = booked_by is None and (room.needs_approval or not resident.residency_verified)
            reservation = Reservation.objects.create(
                room=room,
                kind=Kind.BOOKING,
                status=Status.PENDING if needs_approval else Status.CONFIRMED,
                start=start,
                end=end,
                resident=resident,
                booked_by=booked_by,
                purpose=purpose,
                headcount=headcount,
                request_key=request_key,
            )
            _record(reservation, ReservationEvent.Action.CREATED, booked_by or resident)
            notify.after_commit(reservation, "booking_received" if needs_approval else "booking_confirmed")
    except _TimeTaken:
        # The nearest free times are looked up after the transaction: no lock is held meanwhile.
        raise clash(room, start, end, now) from None
    except IntegrityError as error:
        if ROOM_TIME_GUARD in str(error):
            # A request that lost the race answers exactly like an ordinary clash.
            raise clash(room, start, end, now) from error
        if request_key and (existing := _already_made(resident, request_key)):
            return existing, False
        raise
    return reservation, True


def _already_made(resident, request_key):
    return Reservation.objects.select_related("room").filter(resident=resident, request_key=request_key).first()


def _record(reservation, action, actor, note=""):
    ReservationEvent.objects.create(
        reservation=reservation, action=action, actor=actor, status=reservation.status, note=note
    )


def _change(reservation, status, action, actor, note="", message=None, **fields):
    with transaction.atomic():
        reservation.status = status
        for name, value in fields.items():
            setattr(reservation, name, value)
        reservation.save(update_fields=["status", "updated_at", *fields])
        _record(reservation, action, actor, note)
        if message:
            notify.after_commit(reservation, message)
    return reservation


class NotAllowed(BookingRefused):
    def __init__(self, message):
        super().__init__(message, status=400)


@contextmanager
def _locked(reservation):
    """Re-read the status inside a transaction that holds the row, so two people acting on
    one booking at once (two staff approving, a resident cancelling) cannot both succeed."""
    with transaction.atomic():
        current = Reservation.objects.select_for_update().only("status", "checked_in_at").get(pk=reservation.pk)
        reservation.status, reservation.checked_in_at = current.status, current.checked_in_at
        yield reservation


def approve(reservation, actor):
    with _locked(reservation):
        if reservation.status != Status.PENDING:
            raise NotAllowed(_("Only a booking waiting for approval can be approved."))
        return _change(
            reservation, Status.CONFIRMED, ReservationEvent.Action.APPROVED, actor, message="booking_confirmed"
        )


def reject(reservation, actor, reason):
    if not reason.strip():
        raise BookingRefused(_("Please give the resident a reason."), {"reason": [_("This field is required.")]})
    with _locked(reservation):
        if reservation.status != Status.PENDING:
            raise NotAllowed(_("Only a booking waiting for approval can be rejected."))
        return _change(
            reservation,
            Status.REJECTED,
            ReservationEvent.Action.REJECTED,
            actor,
            reason,
            "booking_rejected",
            reason=reason,
        )


def cancel(reservation, actor, reason="", now=None, by_staff=False):
    """Cancel a booking. Residents may do so until the room's cut-off; staff at any time."""
    with _locked(reservation):
        return _cancel(reservation, actor, reason, now or timezone.now(), by_staff)


def _cancel(reservation, actor, reason, now, by_staff):
    if reservation.status not in (Status.PENDING, Status.CONFIRMED):
        raise NotAllowed(_("This booking can no longer be cancelled."))
    if not by_staff and not reservation.can_be_cancelled_by_resident(now):
        raise NotAllowed(
            _("Bookings of this room can be cancelled online until %(when)s. Please call the reception desk.")
            % {"when": f"{show_day(reservation.cancel_deadline())} {show_time(reservation.cancel_deadline())}"}
        )
    return _change(
        reservation,
        Status.CANCELLED,
        ReservationEvent.Action.CANCELLED,
        actor,
        reason,
        "booking_cancelled" if by_staff else None,
        reason=reason,
    )


def check_in(reservation, actor, now=None):
    now = now or timezone.now()
    with _locked(reservation):
        if reservation.status != Status.CONFIRMED or reservation.checked_in_at:
            raise NotAllowed(_("Only a confirmed booking can be checked in, once."))
        if now < reservation.start - dt.timedelta(minutes=30) or now > reservation.end:
            raise NotAllowed(_("Check-in is possible from 30 minutes before the start until the end."))
        return _change(reservation, Status.CONFIRMED, ReservationEvent.Action.CHECKED_IN, actor, checked_in_at=now)


def mark_no_shows(now=None):
    """Confirmed bookings not checked in within the grace period become no-shows;
    repeated no-shows pause the resident's booking. Returns the number marked."""
    now = now or timezone.now()
    marked = 0
    late = (
        Reservation.objects.bookings()
        .filter(status=Status.CONFIRMED, checked_in_at=None, start__lt=now)
        .select_related("room", "resident")
    )
    for reservation in late:
        if now < reservation.start + dt.timedelta(minutes=reservation.room.check_in_grace_minutes):
            continue
        _change(reservation, Status.NO_SHOW, ReservationEvent.Action.NO_SHOW, None)
        marked += 1
        _pause_if_repeated(reservation.resident, now)
    return marked


def _pause_if_repeated(resident, now):
    since = now - dt.timedelta(days=settings.BOOKING_NO_SHOW_WINDOW_DAYS)
    count = Reservation.objects.bookings().filter(resident=resident, status=Status.NO_SHOW, start__gte=since).count()
    if count >= settings.BOOKING_NO_SHOW_LIMIT and not paused_until(resident, now):
        resident.booking_paused_until = now + dt.timedelta(days=settings.BOOKING_PAUSE_DAYS)
        resident.save(update_fields=["booking_paused_until"])
        notify.paused(resident)


def complete_past(now=None):
    """Checked-in bookings that have ended become completed. Returns the number."""
    now = now or timezone.now()
    done = 0
    for reservation in (
        Reservation.objects.bookings().filter(status=Status.CONFIRMED, end__lte=now).exclude(checked_in_at=None)
    ):
        _change(reservation, Status.COMPLETED, ReservationEvent.Action.COMPLETED, None)
        done += 1
    return done


def overlapped_by(closure):
    """What a closure would cancel: every holding row of its rooms in its span."""
    return (
        Reservation.objects.holding()
        .filter(room__in=closure.rooms(), start__lt=closure.end, end__gt=closure.start)
        .exclude(kind=Kind.CLOSURE)
        .select_related("room")
    )


def close(closure, actor):
    """Save a closure: hold its time in each room and cancel, in the same transaction,
    what it overlaps (staff have seen the list first). The residents are told after commit."""
    with transaction.atomic():
        already = Reservation.objects.holding().filter(
            kind=Kind.CLOSURE, room__in=closure.rooms(), start__lt=closure.end, end__gt=closure.start
        )
        if already.exists():
            raise BookingRefused(
                _("The room is already closed for part of this time."), {"start": [_("Choose a time not yet closed.")]}
            )
        closure.created_by = actor
        closure.save()
        for reservation in overlapped_by(closure):
            cancel(reservation, actor, _("The room is closed: %(reason)s") % {"reason": closure.reason}, by_staff=True)
        for room in closure.rooms():
            Reservation.objects.create(
                room=room,
                kind=Kind.CLOSURE,
                status=Status.CONFIRMED,
                start=closure.start,
                end=closure.end,
                label=closure.reason,
                source=closure,
            )
    return closure


def hold(room, start, end, *, label, source, kind=Kind.CLASS):
    """Hold a room's time for something other than a resident's booking (a class session),
    or raise BookingRefused (409) naming what is already there. The same guard as `book()`."""
    try:
        with transaction.atomic():
            row = Reservation.objects.holding().overlapping(room, start, end).order_by("start").first()
            if row is not None:
                raise taken(room, start, end, row)
            reservation = Reservation.objects.create(
                room=room, kind=kind, status=Status.CONFIRMED, start=start, end=end, label=label, source=source
            )
            _record(reservation, ReservationEvent.Action.CREATED, None)
            return reservation
    except IntegrityError as error:
        if ROOM_TIME_GUARD in str(error):
            raise taken(room, start, end, None) from error
        raise


def taken(room, start, end, row):
    """The refusal for time already held by `row` (None: we only know the guard refused)."""
    # Who booked is never named, not even to editors of classes: only what residents see.
    if row is None or row.kind == Kind.BOOKING:
        what = _("a booking")
    else:
        what = row.label or row.get_kind_display()
    return BookingRefused(
        _("%(room)s is taken on %(when)s by %(what)s.")
        % {"room": room.display_name, "when": show_when(start, end), "what": what},
        {"start": [_("This time is no longer free.")]},
        status=409,
    )


def release(reservation, reason=""):
    """Free time held by `hold()`: the session was cancelled, moved or removed."""
    with _locked(reservation):
        if reservation.is_holding:
            _change(reservation, Status.CANCELLED, ReservationEvent.Action.CANCELLED, None, reason, reason=reason)
    return reservation


def due_reminders(now=None):
    """Confirmed bookings starting within the next day that have not been reminded."""
    now = now or timezone.now()
    return Reservation.objects.bookings().filter(
        status=Status.CONFIRMED, reminded_at=None, start__gt=now, start__lte=now + dt.timedelta(days=1)
    )


def release_closed_account(user, **kwargs):
    """A resident closed their account: free the rooms they still held and drop what they
    wrote about their bookings. The rows stay (without a name) for the statistics."""
    mine = Reservation.objects.bookings().filter(resident=user)
    for reservation in mine.filter(status__in=[Status.PENDING, Status.CONFIRMED], end__gt=timezone.now()):
        with _locked(reservation):
            _change(reservation, Status.CANCELLED, ReservationEvent.Action.CANCELLED, user, _("Account closed"))
    mine.exclude(purpose="").update(purpose="")
