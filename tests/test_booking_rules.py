"""The booking rules one by one, the status changes, and who may see what (booking/rules.py)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking import rules
from booking.models import Closure, Reservation, ReservationEvent
from portal import sms
from portal.models import Holiday
from tests.clock import last_known_holiday_year
from tests.factories import RoomFactory, numbered_resident
from tests.helpers import quiet_monday

Status = Reservation.Status


def at(day, time):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(time)))


@pytest.fixture
def texts(settings):
    """Text messages sent during the test, as residents would receive them."""
    settings.SMS_SENDER = "portal.sms.MemorySender"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what would happen after commit (messages go out only then)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def monday(db):
    """A Monday three weeks or more ahead, in a week with no public holiday."""
    return quiet_monday(21)


@pytest.fixture
def now(monday):
    """08:00 on that Monday: the moment the tests book from."""
    return at(monday, "08:00")


resident = numbered_resident


def refusal(room, start, end, who, now, headcount=1):
    with pytest.raises(rules.BookingRefused) as caught:
        rules.book(room=room, start=start, end=end, resident=who, headcount=headcount, now=now)
    return caught.value


def messages(refused):
    return " ".join(message for messages in refused.errors.values() for message in messages)


def test_a_good_request_is_confirmed_and_holds_the_buffer(piano, monday, now, texts, committed):
    tuesday = monday + dt.timedelta(days=1)
    with committed():
        reservation, created = rules.book(
            room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:30"), resident=resident(1), now=now
        )
    assert created and reservation.status == Status.CONFIRMED
    assert reservation.held_end == at(tuesday, "15:45")
    assert [event.action for event in reservation.events.all()] == [ReservationEvent.Action.CREATED]
    assert [message.template for message in texts] == ["booking_confirmed"]
    assert "钢琴活动室" in texts[0].text and "14:00" in texts[0].text


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("15:00", "14:00", "end", "after the start"),
        ("14:10", "15:10", "start", "30-minute grid"),
        ("12:00", "13:00", "start", "08:30–11:30"),
        ("14:00", "16:30", "end", "30 to 120 minutes"),
    ],
)
def test_each_time_rule_names_the_field_and_the_fix(piano, monday, now, start, end, field, words):
    tuesday = monday + dt.timedelta(days=1)
    with rules_in_english():
        refused = refusal(piano, at(tuesday, start), at(tuesday, end), resident(1), now)
    assert refused.status == 400
    assert words in " ".join(refused.errors[field])


def test_past_too_soon_and_beyond_the_window(piano, monday, now):
    with rules_in_english():
        past = refusal(
            piano,
            at(monday - dt.timedelta(days=1), "14:00"),
            at(monday - dt.timedelta(days=1), "15:00"),
            resident(1),
            now,
        )
        soon = refusal(piano, at(monday, "08:30"), at(monday, "09:00"), resident(1), now)
        late_day = monday + dt.timedelta(days=15)
        far = refusal(piano, at(late_day, "14:00"), at(late_day, "15:00"), resident(1), now)
    assert "already passed" in messages(past)
    assert "at least 60 minutes before" in messages(soon)
    assert "up to 14 days ahead" in messages(far)


def test_holidays_close_the_room_unless_it_opens_on_holidays(piano, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    Holiday.objects.create(date=tuesday, name="测试节")
    refused = refusal(piano, at(tuesday, "14:00"), at(tuesday, "15:00"), resident(1), now)
    assert "测试节" in messages(refused)
    assert all(slot.state == "closed" for slot in rules.day_slots(piano, tuesday, now))

    piano.open_on_holidays = True
    piano.save()
    reservation, _created = rules.book(
        room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(1), now=now
    )
    assert reservation.is_holding


def test_capacity_and_another_areas_room(piano, wanliu, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    with rules_in_english():
        crowd = refusal(piano, at(tuesday, "14:00"), at(tuesday, "15:00"), resident(1), now, headcount=21)
        elsewhere = refusal(
            RoomFactory(area=wanliu, slug="reading-room"),
            at(tuesday, "10:00"),
            at(tuesday, "11:00"),
            resident(1),
            now,
        )
    assert crowd.errors["headcount"] == ["This room holds 1 to 20 people."]
    assert "another residents' area" in elsewhere.errors["room"][0]


def test_active_bookings_limit_says_when_one_can_book_again(piano, monday, now):
    day = monday + dt.timedelta(days=1)
    for start in ("09:00", "14:00"):
        rules.book(
            room=piano, start=at(day, start), end=at(day, start) + dt.timedelta(hours=1), resident=resident(1), now=now
        )
    with rules_in_english():
        refused = refusal(piano, at(day, "17:00"), at(day, "18:00"), resident(1), now)
    assert "2 upcoming bookings" in messages(refused)
    assert "09:00–10:00" in messages(refused)


def test_hours_per_week_limit_says_when_the_count_restarts(piano, monday, now):
    piano.max_active_bookings = 9
    piano.save()
    tuesday = monday + dt.timedelta(days=1)
    for start in ("09:00", "14:00"):
        rules.book(
            room=piano,
            start=at(tuesday, start),
            end=at(tuesday, start) + dt.timedelta(hours=2),
            resident=resident(1),
            now=now,
        )
    with rules_in_english():
        refused = refusal(piano, at(tuesday, "18:00"), at(tuesday, "19:00"), resident(1), now)
    next_monday = monday + dt.timedelta(days=7)
    assert "5 hours" in messages(refused) and "limit is 4 hours" in messages(refused)
    assert f"{next_monday.month}月{next_monday.day}日" in messages(refused) or next_monday.strftime("%B") in messages(
        refused
    )
    # The next week is a new count.
    rules.book(room=piano, start=at(next_monday, "18:00"), end=at(next_monday, "19:00"), resident=resident(1), now=now)


def test_a_clash_is_409_with_the_nearest_free_times(piano, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    rules.book(room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(1), now=now)
    refused = refusal(piano, at(tuesday, "14:30"), at(tuesday, "15:30"), resident(2), now)
    assert refused.status == 409
    assert (
        refused.alternatives[0] == (at(tuesday, "13:30"), at(tuesday, "14:30"))
        or (
            at(tuesday, "15:30"),
            at(tuesday, "16:30"),
        )
        in refused.alternatives
    )
    for start, end in refused.alternatives:
        rules.check(piano, start, end, resident(2), now=now)  # each offered span really is free


def test_the_buffer_keeps_the_room_free_after_a_booking_and_zero_allows_back_to_back(piano, reading, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    rules.book(room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(1), now=now)
    assert refusal(piano, at(tuesday, "15:00"), at(tuesday, "16:00"), resident(2), now).status == 409
    rules.book(room=piano, start=at(tuesday, "15:30"), end=at(tuesday, "16:30"), resident=resident(2), now=now)

    rules.book(room=reading, start=at(tuesday, "09:00"), end=at(tuesday, "10:00"), resident=resident(1), now=now)
    rules.book(room=reading, start=at(tuesday, "10:00"), end=at(tuesday, "11:00"), resident=resident(2), now=now)


def test_a_paused_resident_gets_403_with_the_date(piano, monday, now):
    paused = resident(1)
    paused.booking_paused_until = now + dt.timedelta(days=10)
    paused.save()
    tuesday = monday + dt.timedelta(days=1)
    refused = refusal(piano, at(tuesday, "14:00"), at(tuesday, "15:00"), paused, now)
    assert refused.status == 403
    until = timezone.localtime(paused.booking_paused_until)
    assert f"{until.month}月{until.day}日" in refused.message


def test_a_repeated_request_returns_the_booking_already_made(piano, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    first, created = rules.book(
        room=piano,
        start=at(tuesday, "14:00"),
        end=at(tuesday, "15:00"),
        resident=resident(1),
        request_key="k1",
        now=now,
    )
    again, created_again = rules.book(
        room=piano,
        start=at(tuesday, "14:00"),
        end=at(tuesday, "15:00"),
        resident=resident(1),
        request_key="k1",
        now=now,
    )
    assert created and not created_again and again.pk == first.pk
    assert Reservation.objects.bookings().filter(room=piano, start=at(tuesday, "14:00")).count() == 1


def test_counseling_room_and_unverified_residents_wait_for_approval(
    counseling, piano, xhy_staff, monday, now, texts, committed
):
    tuesday = monday + dt.timedelta(days=1)
    newcomer = resident(2)
    newcomer.residency_verified_at = None
    newcomer.save()
    with committed():
        asked, _created = rules.book(
            room=counseling, start=at(tuesday, "09:00"), end=at(tuesday, "10:00"), resident=resident(1), now=now
        )
        unverified, _created = rules.book(
            room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=newcomer, now=now
        )
    assert asked.status == Status.PENDING and unverified.status == Status.PENDING
    assert [message.template for message in texts] == ["booking_received", "booking_received"]

    with committed():
        rules.approve(asked, xhy_staff)
        with pytest.raises(rules.BookingRefused):
            rules.reject(unverified, xhy_staff, "  ")
        rules.reject(unverified, xhy_staff, "请先到接待台确认住址")
    assert Reservation.objects.get(pk=asked.pk).status == Status.CONFIRMED
    assert Reservation.objects.get(pk=unverified.pk).status == Status.REJECTED
    assert [message.template for message in texts[2:]] == ["booking_confirmed", "booking_rejected"]
    assert "请先到接待台确认住址" in texts[3].text
    assert list(asked.events.values_list("action", "actor__username")) == [
        ("created", resident(1).username),
        ("approved", "xhy-staff"),
    ]
    # A rejected request frees the time.
    rules.book(room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(3), now=now)


def test_cancelling_frees_the_time_until_the_cut_off(piano, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    mine, _created = rules.book(
        room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(1), now=now
    )
    with pytest.raises(rules.BookingRefused):
        rules.cancel(mine, resident(1), now=at(tuesday, "13:30"))  # cut-off is 60 minutes before
    rules.cancel(mine, resident(1), now=now)
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED
    assert mine.events.last().action == "cancelled"
    rules.book(room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(2), now=now)


def test_no_shows_are_marked_after_the_grace_and_repeated_ones_pause_booking(
    piano, monday, now, xhy_staff, texts, committed
):
    who = resident(20)
    piano.max_active_bookings = piano.max_hours_per_week = 9
    piano.save()
    days = [monday + dt.timedelta(days=n) for n in (1, 2, 3)]
    made = [
        rules.book(room=piano, start=at(day, "14:00"), end=at(day, "15:00"), resident=who, now=now)[0] for day in days
    ]
    rules.check_in(made[2], xhy_staff, now=at(days[2], "13:55"))

    def statuses():
        return [Reservation.objects.get(pk=r.pk).status for r in made]

    rules.mark_no_shows(now=at(days[0], "14:10"))  # still within the 15 minutes' grace
    assert statuses() == [Status.CONFIRMED] * 3
    rules.mark_no_shows(now=at(days[0], "14:20"))
    assert statuses() == [Status.NO_SHOW, Status.CONFIRMED, Status.CONFIRMED]
    rules.mark_no_shows(now=at(days[2], "16:00"))  # the third was checked in
    rules.complete_past(now=at(days[2], "16:00"))
    assert statuses() == [Status.NO_SHOW, Status.NO_SHOW, Status.COMPLETED]
    who.refresh_from_db()
    assert who.booking_paused_until is None  # two no-shows: a warning is not a pause

    rules.book(room=piano, start=at(days[2], "19:00"), end=at(days[2], "20:00"), resident=who, now=now)
    with committed():
        rules.mark_no_shows(now=at(days[2], "19:30"))
    who.refresh_from_db()
    assert who.booking_paused_until is not None
    assert "booking_paused" in [message.template for message in texts]


def test_a_closure_cancels_what_it_overlaps_and_tells_the_residents(
    piano, xhy, xhy_staff, monday, now, texts, committed
):
    tuesday = monday + dt.timedelta(days=1)
    booked, _created = rules.book(
        room=piano, start=at(tuesday, "14:00"), end=at(tuesday, "15:00"), resident=resident(1), now=now
    )
    closure = Closure(area=xhy, room=piano, start=at(tuesday, "13:30"), end=at(tuesday, "17:00"), reason="钢琴调音")
    assert list(rules.overlapped_by(closure)) == [booked]
    with committed():
        rules.close(closure, xhy_staff)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED and "钢琴调音" in booked.reason
    assert texts[-1].template == "booking_cancelled" and "钢琴调音" in texts[-1].text
    refused = refusal(piano, at(tuesday, "15:00"), at(tuesday, "16:00"), resident(2), now)
    assert refused.status == 400 and "钢琴调音" in messages(refused)
    assert {
        slot.state
        for slot in rules.day_slots(piano, tuesday, now)
        if at(tuesday, "13:30") <= slot.start < at(tuesday, "17:00")
    } == {"closed"}


def test_who_booked_is_never_shown(piano, counseling, monday, now):
    tuesday = monday + dt.timedelta(days=1)
    rules.book(
        room=piano,
        start=at(tuesday, "14:00"),
        end=at(tuesday, "15:00"),
        resident=resident(1),
        purpose="王家生日会",
        now=now,
    )
    rules.book(
        room=counseling,
        start=at(tuesday, "09:00"),
        end=at(tuesday, "10:00"),
        resident=resident(2),
        purpose="邻里纠纷",
        now=now,
    )
    piano_slots = {slot.start: slot for slot in rules.day_slots(piano, tuesday, now)}
    counseling_slots = {slot.start: slot for slot in rules.day_slots(counseling, tuesday, now)}
    assert piano_slots[at(tuesday, "14:00")].state == "booked"
    assert counseling_slots[at(tuesday, "09:00")].state == "unavailable"
    shown = " ".join(str(slot.text) + slot.label for slot in [*piano_slots.values(), *counseling_slots.values()])
    assert "王" not in shown and "生日" not in shown and "纠纷" not in shown


def test_holiday_years_nobody_entered_are_reported_not_guessed(db):
    """Named relative to what chinesecalendar knows, so it holds after the library learns more."""
    known = last_known_holiday_year()
    call_command("load_holidays", from_year=known, to_year=known + 1, stdout=__import__("io").StringIO())
    assert Holiday.objects.filter(date=dt.date(known, 10, 1), kind=Holiday.Kind.DAY_OFF).exists()  # 国庆节
    assert not Holiday.objects.filter(date__year=known + 1).exists()  # nothing guessed
    assert Holiday.missing_years(dt.date(known, 12, 20), dt.date(known + 1, 1, 3)) == {known + 1}


def rules_in_english():
    from django.utils import translation

    return translation.override("en")


def test_the_timer_commands_remind_once_and_close_out_the_past(piano, monday, now, texts, committed):
    import io

    booking, _created = rules.book(
        room=piano, start=at(monday, "14:00"), end=at(monday, "15:00"), resident=resident(1), now=now
    )
    soon = timezone.now() + dt.timedelta(hours=3)
    Reservation.objects.filter(pk=booking.pk).update(start=soon, end=soon + dt.timedelta(hours=1))
    with committed():
        call_command("send_reminders", stdout=io.StringIO())
    with committed():
        call_command("send_reminders", stdout=io.StringIO())
    reminded = [message.phone for message in texts if message.template == "booking_reminder"]
    assert reminded.count(booking.resident.phone) == 1

    past = timezone.now() - dt.timedelta(hours=2)
    Reservation.objects.filter(pk=booking.pk).update(start=past, end=past + dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("mark_no_shows", stdout=out)
    booking.refresh_from_db()
    assert booking.status == Status.NO_SHOW
    assert "1 no-shows marked" in out.getvalue()


def test_closing_an_account_frees_its_rooms_and_keeps_anonymous_statistics(piano, monday, now):
    from portal.privacy import close_account

    who = resident(26)
    booked, _created = rules.book(
        room=piano,
        start=at(monday + dt.timedelta(days=1), "14:00"),
        end=at(monday + dt.timedelta(days=1), "15:00"),
        resident=who,
        purpose="孙女生日",
        now=now,
    )
    close_account(who)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED and booked.purpose == ""
    assert booked.resident.phone is None and booked.resident.get_full_name() == ""
    assert Reservation.objects.bookings().filter(resident=who).count() == 1  # still counted


def test_a_residents_data_download_includes_their_bookings(client, piano, monday, now):
    who = resident(27)
    rules.book(
        room=piano,
        start=at(monday + dt.timedelta(days=2), "14:00"),
        end=at(monday + dt.timedelta(days=2), "15:00"),
        resident=who,
        purpose="合唱",
        now=now,
    )
    client.force_login(who)
    data = client.get("/accounts/me/download/").json()
    assert [(b["room"], b["purpose"], b["status"]) for b in data["room_bookings"]] == [
        ("钢琴活动室", "合唱", "confirmed")
    ]
    assert 'href="/bookings/"' in client.get("/accounts/me/").content.decode().split("<main", 1)[1]
