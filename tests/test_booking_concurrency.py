"""Double booking is a race (docs/architecture.md, race-free booking): many residents ask for the same room time at
the same moment, each request in its own thread with its own database connection, and
exactly one of them gets it. Run on SQLite (a file database, IMMEDIATE transactions) and on
PostgreSQL (DATABASE_URL set; the exclusion constraint guards the time)."""

import datetime as dt
import threading

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone, translation

from booking import rules
from booking.models import ROOM_TIME_GUARD, Reservation, Room
from portal.models import User
from tests.factories import ResidentFactory

# Transactional: each thread commits for real. The migrated_db fixture puts back what the
# migrations created after an earlier test's flush, before the area and its rooms are built.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_db")]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraint exists on PostgreSQL only; SQLite serialises writers instead",
)


@pytest.fixture
def residents(piano):
    """Fourteen residents of the piano room's area (conftest's `piano`: a 15-minute buffer, 30 to
    120 minutes), none with a booking of their own, so only the race decides."""
    return [ResidentFactory(area=piano.area, phone=f"+86139000001{number:02d}") for number in range(14)]


def free_span(room, minutes):
    """The first span of this length, from the day after tomorrow, that the rules would accept."""
    today = timezone.localdate()
    for days in range(2, room.window_days):
        for start in rules.free_starts(room, today + dt.timedelta(days=days)):
            if minutes in rules.lengths_from(room, start):
                return start, start + dt.timedelta(minutes=minutes)
    raise AssertionError("no free span in the booking window")


def race(attempts):
    """Run rules.book(**attempt) for every attempt at once, one thread each, in the caller's
    language; return what each got."""
    ready = threading.Barrier(len(attempts), timeout=30)
    results = [None] * len(attempts)
    language = translation.get_language()

    def attempt(index, room_id, resident_id, **span):
        try:
            room = Room.objects.prefetch_related("opening_hours").get(pk=room_id)
            resident = User.objects.get(pk=resident_id)
            ready.wait()
            with translation.override(language):
                results[index] = rules.book(room=room, resident=resident, **span)
        except (rules.BookingRefused, DatabaseError) as error:  # what each thread got is under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(i,), kwargs=kwargs, daemon=True) for i, kwargs in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a booking attempt hung"
    return results


def winners_and_clashes(results):
    unexpected = [result for result in results if not isinstance(result, (tuple, rules.BookingRefused))]
    assert not unexpected, unexpected
    made = [reservation for reservation, created in (r for r in results if isinstance(r, tuple)) if created]
    refused = [result for result in results if isinstance(result, rules.BookingRefused)]
    return made, refused


def test_many_residents_asking_for_the_same_slot_at_once_one_gets_it(piano, residents):
    start, end = free_span(piano, 60)
    attempts = [{"room_id": piano.pk, "resident_id": r.pk, "start": start, "end": end} for r in residents[:12]]

    made, refused = winners_and_clashes(race(attempts))

    assert len(made) == 1
    assert len(refused) == 11
    assert {refusal.status for refusal in refused} == {409}
    assert all(refusal.alternatives for refusal in refused), "a clash offers the nearest free times"
    held = Reservation.objects.holding().overlapping(piano, start, end)
    assert [row.pk for row in held] == [made[0].pk]


def test_overlapping_spans_and_the_cleaning_buffer_let_only_one_through(piano, residents):
    assert piano.buffer_minutes == 15
    base, _end = free_span(piano, 120)
    minutes = dt.timedelta(minutes=1)
    # Every pair of these meets, some only through the 15 minutes kept free after a booking:
    # 0–60 and 60–120 do not overlap, but the first holds the room until 75.
    spans = [(0, 60), (30, 60), (30, 90), (60, 90), (60, 120), (0, 90), (30, 120)]
    attempts = [
        {"room_id": piano.pk, "resident_id": resident.pk, "start": base + a * minutes, "end": base + b * minutes}
        for resident, (a, b) in zip(residents, spans * 2, strict=False)
    ]
    assert len(attempts) == 14

    made, refused = winners_and_clashes(race(attempts))

    assert len(made) == 1
    assert {refusal.status for refusal in refused} == {409}
    held = Reservation.objects.holding().overlapping(piano, base - piano.buffer, base + 135 * minutes)
    assert held.count() == 1


def test_a_double_tap_with_one_idempotency_key_makes_one_booking_and_returns_it_to_every_tap(piano, residents):
    start, end = free_span(piano, 60)
    tap = {"room_id": piano.pk, "resident_id": residents[0].pk, "start": start, "end": end, "request_key": "tap-1"}

    results = race([tap] * 6)

    unexpected = [result for result in results if not isinstance(result, tuple)]
    assert not unexpected, unexpected
    assert len({reservation.pk for reservation, _created in results}) == 1
    assert sorted(created for _reservation, created in results) == [False] * 5 + [True]


@on_postgresql
def test_a_request_that_lost_the_race_inside_the_database_answers_like_an_ordinary_clash(piano, residents, monkeypatch):
    """Both requests pass the rules' check before either writes, so only the database can stop the
    second: the constraint refuses it, or PostgreSQL gives it up in a deadlock between the two inserts
    and, asked once more, it meets the first one's booking."""
    start, end = free_span(piano, 60)
    both_checked = threading.Barrier(2, timeout=30)
    checked = threading.local()
    check = rules.check

    def check_then_wait(*args, **kwargs):
        check(*args, **kwargs)
        if not getattr(checked, "once", False):  # a request given up in a deadlock asks again, alone
            checked.once = True
            both_checked.wait()

    monkeypatch.setattr(rules, "check", check_then_wait)
    results = race([{"room_id": piano.pk, "resident_id": r.pk, "start": start, "end": end} for r in residents[:2]])
    made, refused = winners_and_clashes(results)
    monkeypatch.undo()

    assert len(made) == 1 and len(refused) == 1
    lost = refused[0]
    with pytest.raises(rules.BookingRefused) as ordinary:
        rules.book(room=piano, start=start, end=end, resident=residents[2])
    assert (lost.status, lost.message, lost.errors, lost.alternatives) == (
        ordinary.value.status,
        ordinary.value.message,
        ordinary.value.errors,
        ordinary.value.alternatives,
    )


class DeadlockDetected(Exception):
    sqlstate = rules.DEADLOCK_DETECTED


def test_a_request_given_up_in_a_deadlock_gets_a_booking_or_a_clash_never_an_error(piano, residents, monkeypatch):
    """What PostgreSQL does now and then in the races above, made to happen every time."""
    start, end = free_span(piano, 60)
    deadlock = OperationalError("deadlock detected")
    deadlock.__cause__ = DeadlockDetected()
    attempts = []
    book_once = rules._book

    def deadlocked_first(*request):
        attempts.append(request)
        if len(attempts) == 1:
            raise deadlock
        return book_once(*request)

    monkeypatch.setattr(rules, "_book", deadlocked_first)
    reservation, created = rules.book(room=piano, start=start, end=end, resident=residents[0])
    assert created and reservation.is_holding
    assert len(attempts) == 2

    def always_deadlocked(*request):
        raise deadlock

    monkeypatch.setattr(rules, "_book", always_deadlocked)
    with pytest.raises(rules.BookingRefused) as refused:
        rules.book(room=piano, start=start, end=end, resident=residents[1])
    ordinary = rules.clash(piano, start, end)
    assert (refused.value.status, refused.value.message, refused.value.errors) == (
        409,
        ordinary.message,
        ordinary.errors,
    )


@on_postgresql
def test_the_database_itself_refuses_a_row_over_held_time(piano, residents):
    start, end = free_span(piano, 60)
    booking, _created = rules.book(room=piano, start=start, end=end, resident=residents[0])
    assert booking.held_end == end + piano.buffer

    def raw_row(begins, ends, status=Reservation.Status.CONFIRMED):
        return Reservation.objects.create(
            room=piano, start=begins, end=ends, status=status, kind=Reservation.Kind.BLOCK
        )

    for begins in (start, end, end + piano.buffer - dt.timedelta(minutes=1)):
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            raw_row(begins, begins + dt.timedelta(minutes=30))
        assert ROOM_TIME_GUARD in str(refused.value)

    # Cancelled and rejected rows hold nothing; the time after the buffer is free.
    raw_row(start, end, status=Reservation.Status.CANCELLED)
    raw_row(end + piano.buffer, end + piano.buffer + dt.timedelta(minutes=30))
    rules.cancel(booking, residents[0])
    raw_row(start, end)
