"""The room-booking admin: each area's staff see and change only their own area's rooms,
reservations and closures; supervisors read every area and change nothing; residents'
names and phones are masked everywhere, and opening or exporting a booking is logged."""

import datetime as dt
import io
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
)

from booking import notify, rules
from booking.models import Closure, OpeningHours, Reservation, ReservationEvent, Room
from portal import localtime
from portal.models import Holiday, User
from tests.factories import ImageFactory, RoomFactory, daily, numbered_resident
from tests.helpers import client_for, refused

Status = Reservation.Status
Kind = Reservation.Kind
Action = ReservationEvent.Action


@pytest.fixture
def staff_client(xhy_staff):
    return client_for(xhy_staff)


@pytest.fixture
def wl_client(wanliu_staff):
    return client_for(wanliu_staff)


@pytest.fixture
def supervisor_client(supervisor):
    return client_for(supervisor)


@pytest.fixture
def sent(monkeypatch):
    """What residents are told once the transaction commits, as (reservation id, template);
    run the request inside django_capture_on_commit_callbacks(execute=True)."""
    messages = []

    def tell(reservation, template):
        transaction.on_commit(lambda: messages.append((reservation.pk, template)))

    monkeypatch.setattr(notify, "after_commit", tell)
    return messages


# 徐汇苑's residents the tests name, by number: (family name, given name, building, flat).
RESIDENTS = {
    1: ("王", "秀英", "5号楼", "301室"),
    2: ("周", "文华", "2号楼", "102室"),
    10: ("孙", "玉珍", "7号楼", "402室"),
    11: ("吴", "志强", "8号楼", "501室"),
    12: ("李", "桂兰", "12号楼", "603室"),
    13: ("张", "建国", "3号楼", "201室"),
    20: ("赵", "淑芬", "9号楼", "104室"),
}


def resident(number):
    """Confirmed resident `number` of 徐汇苑: phone 139000000{number:02d}, named as in RESIDENTS
    (others 居民{number}); made when first asked for, the same account after that."""
    last_name, first_name, building, flat = RESIDENTS.get(number, ("居", f"民{number}", "1号楼", f"{number}01室"))
    return numbered_resident(
        number,
        last_name=last_name,
        first_name=first_name,
        building=building,
        room_number=flat,
    )


def photo_of(area):
    """An image in the area's media collection, as a room's photo."""
    return ImageFactory(title=f"{area.name}阅览室", collection=area.collection)


@pytest.fixture
def wl_reading(wanliu):
    """宛六's 阅览室 in 20号楼一层, open daily 08:30–17:00."""
    return RoomFactory(
        area=wanliu, slug="reading-room", name="阅览室", location="20号楼一层", opening=daily("08:30", "17:00")
    )


@pytest.fixture
def wl_counseling(wanliu):
    """宛六's 谈心室 in 20号楼一层: weekdays 09:00–11:30 and 14:00–17:00, exactly 60 minutes, approved by staff."""
    return RoomFactory(
        area=wanliu,
        slug="counseling-room",
        name="谈心室",
        location="20号楼一层",
        opening=daily("09:00", "11:30", "14:00", "17:00", days=range(5)),
        min_minutes=60,
        max_minutes=60,
        needs_approval=True,
        hide_bookings=True,
    )


@pytest.fixture
def wl_resident(wanliu):
    return User.objects.create_user(
        "wl-resident", phone="+8613700000001", last_name="钱", first_name="学森", area=wanliu, building="20号楼"
    )


def open_day(room, days=3):
    """A day from `days` ahead on which the room is open (not a holiday)."""
    today = timezone.localdate()
    for ahead in range(days, days + 14):
        day = today + dt.timedelta(days=ahead)
        if rules.opening_spans(room, day) and not rules.holiday_name(room, day):
            return day
    raise AssertionError("no open day")


def hold(room, day, start, minutes=60, **fields):
    """A row of room time written directly, to set the scene (the admin itself goes through rules)."""
    begins = localtime.at(day, dt.time.fromisoformat(start))
    return Reservation.objects.create(
        room=room, start=begins, end=begins + dt.timedelta(minutes=minutes), **{"kind": Kind.BOOKING, **fields}
    )


@pytest.fixture
def scene(xhy, wanliu, piano, counseling, wl_reading, wl_counseling, wl_resident):
    """Something of each kind in both areas, each with a marker only its own staff may see
    (the piano room is in 5号楼一层东侧, 宛六's rooms in 20号楼一层)."""
    piano.location = "5号楼一层东侧"
    piano.save()
    day = open_day(piano, 4)
    return {
        "xhy_booking": hold(piano, day, "10:00", resident=resident(12), status=Status.CONFIRMED),
        "xhy_pending": hold(
            counseling,
            open_day(counseling, 4),
            "14:00",
            resident=resident(13),
            status=Status.PENDING,
            purpose="邻里纠纷",
        ),
        "wl_booking": hold(wl_reading, open_day(wl_reading, 4), "10:00", resident=wl_resident, status=Status.CONFIRMED),
        "wl_pending": hold(
            wl_counseling,
            open_day(wl_counseling, 4),
            "09:00",
            resident=wl_resident,
            status=Status.PENDING,
        ),
        "wl_block": hold(wl_reading, open_day(wl_reading, 5), "15:00", kind=Kind.BLOCK, label="宛六楼组长会议"),
        "wl_closure": rules.close(
            Closure(
                area=wanliu,
                room=wl_reading,
                start=localtime.at(open_day(wl_reading, 9), dt.time(8)),
                end=localtime.at(open_day(wl_reading, 9), dt.time(12)),
                reason="宛六水管维修",
            ),
            None,
        ),
    }


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Each listing shows only the user's own area


def test_staff_list_only_their_own_areas_rooms(staff_client, wl_client, scene):
    mine = html(staff_client.get(reverse("rooms:index")))
    assert "钢琴活动室" in mine and "5号楼一层东侧" in mine
    assert "20号楼一层" not in mine

    theirs = html(wl_client.get(reverse("rooms:index")))
    assert "20号楼一层" in theirs
    assert "钢琴活动室" not in theirs and "5号楼" not in theirs


def test_staff_list_only_their_own_areas_reservations_masked(staff_client, wl_client, scene):
    mine = html(staff_client.get(reverse("reservations:index")))
    assert "139****0012" in mine and "李*兰" in mine  # resident 12 is 李桂兰
    assert "13900000012" not in mine and "李桂兰" not in mine
    assert "137****0001" not in mine and "宛六楼组长会议" not in mine

    theirs = html(wl_client.get(reverse("reservations:index")))
    assert "137****0001" in theirs and "钱*森" in theirs and "宛六楼组长会议" in theirs
    assert "139****" not in theirs and "钢琴活动室" not in theirs


def test_approval_queue_and_closures_list_only_the_own_area(staff_client, wl_client, scene):
    queue = html(staff_client.get(reverse("approvals:index")))
    assert "邻里纠纷" in queue and "139****0013" in queue
    assert "137****0001" not in queue

    assert "宛六水管维修" not in html(staff_client.get(reverse("closures:index")))
    assert "宛六水管维修" in html(wl_client.get(reverse("closures:index")))


def test_the_reservation_filters_offer_only_the_own_areas_rooms(staff_client, xhy, piano, reading, scene):
    response = staff_client.get(reverse("reservations:index"))
    offered = set(response.context["filters"].form.fields["room"].queryset)
    assert offered == set(Room.objects.filter(area=xhy))
    assert len(offered) == 3 and Room.objects.exclude(area=xhy).exists()

    # Confirmed in another room, on another day than the piano room's booking.
    hold(reading, open_day(reading, 6), "10:00", resident=resident(11), status=Status.CONFIRMED)
    filtered = staff_client.get(reverse("reservations:index"), {"room": piano.pk, "status": "confirmed"})
    assert {r.room_id for r in filtered.context["object_list"]} == {piano.pk}

    day = timezone.localtime(scene["xhy_booking"].start).date()
    assert {r.room_id for r in staff_client.get(reverse("reservations:index")).context["object_list"]} > {piano.pk}
    on_the_day = staff_client.get(reverse("reservations:index"), {"date": day.isoformat()}).context["object_list"]
    assert scene["xhy_booking"] in on_the_day
    assert {timezone.localtime(r.start).date() for r in on_the_day} == {day}


def test_reservations_list_upcoming_first_soonest_at_the_top(staff_client, reading, scene):
    three_days_ago = timezone.localdate() - dt.timedelta(days=3)
    past = hold(reading, three_days_ago, "10:00", resident=resident(20), status=Status.COMPLETED)
    # Made last, sooner than the scene's bookings (four days ahead or more).
    soonest = hold(reading, open_day(reading, 2), "10:00", resident=resident(11), status=Status.CONFIRMED)
    hold(reading, open_day(reading, 2), "14:00", kind=Kind.CLASS, label="书法班")
    # Residents' bookings only: class sessions are room time too.
    listed = list(staff_client.get(reverse("reservations:index"), {"kind": "booking"}).context["object_list"])
    assert {r.kind for r in listed} == {Kind.BOOKING}
    upcoming = [r for r in listed if r.end > timezone.now()]
    assert len(upcoming) == 3 and upcoming[0] == soonest
    assert listed[: len(upcoming)] == upcoming
    assert [r.start for r in upcoming] == sorted(r.start for r in upcoming)
    assert listed[-1] == past


# Another area's records do not exist for staff


def test_another_areas_rooms_reservations_and_closures_are_refused_by_url(staff_client, wl_reading, scene):
    wl_room = wl_reading
    for name in ("rooms:edit", "rooms:inspect", "rooms:history", "rooms:usage"):
        assert staff_client.get(reverse(name, args=[wl_room.pk])).status_code in (403, 404), name
    response = staff_client.post(reverse("rooms:edit", args=[wl_room.pk]), {"name": "被改了"})
    assert response.status_code in (403, 404)
    assert Room.objects.get(pk=wl_room.pk).name == "阅览室"

    pending = scene["wl_pending"]
    assert staff_client.get(reverse("reservations:inspect", args=[pending.pk])).status_code == 404
    for name in ("approvals:approve", "approvals:reject", "reservations:cancel", "reservations:check_in"):
        response = staff_client.post(reverse(name, args=[pending.pk]), {"reason": "x"})
        assert response.status_code == 404, name
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not pending.events.exists()


def test_staff_cannot_book_or_close_another_areas_room(staff_client, wl_reading, scene):
    wl_room = wl_reading
    day = open_day(wl_room)
    response = staff_client.post(
        reverse("book_for_resident:index"),
        {
            "room": wl_room.pk,
            "phone": "13700000001",
            "date": day.isoformat(),
            "start": "10:00",
            "end": "11:00",
            "headcount": 1,
            "request_key": "k1",
        },
    )
    assert response.status_code == 400
    assert "room" in response.context["form"].errors

    response = staff_client.post(
        reverse("closures:add"),
        {"room": wl_room.pk, "start": f"{day} 08:00", "end": f"{day} 12:00", "reason": "越权"},
    )
    assert response.status_code == 400
    assert "room" in response.context["form"].errors
    assert not Closure.objects.filter(reason="越权").exists()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(reverse("reservations:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# The approval queue


def test_approving_confirms_records_who_and_tells_the_resident(
    staff_client, xhy_staff, scene, sent, django_capture_on_commit_callbacks
):
    pending = scene["xhy_pending"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("approvals:approve", args=[pending.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("approvals:index")

    pending.refresh_from_db()
    assert pending.status == Status.CONFIRMED
    event = pending.events.get(action=Action.APPROVED)
    assert event.actor == xhy_staff
    assert sent == [(pending.pk, "booking_confirmed")]
    assert "邻里纠纷" not in html(staff_client.get(reverse("approvals:index")))


def test_rejecting_needs_a_reason_the_resident_reads(
    staff_client, xhy_staff, scene, sent, django_capture_on_commit_callbacks
):
    pending = scene["xhy_pending"]
    url = reverse("approvals:reject", args=[pending.pk])
    assert "张*国" in html(staff_client.get(url))  # resident 13 is 张建国

    response = staff_client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    pending.refresh_from_db()
    assert pending.status == Status.PENDING and sent == []

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "当天谈心室另有安排，请改约周五"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (Status.REJECTED, "当天谈心室另有安排，请改约周五")
    event = pending.events.get(action=Action.REJECTED)
    assert (event.actor, event.note) == (xhy_staff, "当天谈心室另有安排，请改约周五")
    assert sent == [(pending.pk, "booking_rejected")]


def test_a_refused_rejection_keeps_the_reason_typed(staff_client, scene):
    pending = scene["xhy_pending"]
    rules.approve(pending, None)  # a colleague was quicker
    response = staff_client.post(reverse("approvals:reject", args=[pending.pk]), {"reason": "房间另有安排"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert "房间另有安排" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.CONFIRMED


# Detail, check-in and cancellation


def test_the_detail_page_masks_the_resident_shows_the_trail_and_logs_the_viewer(staff_client, xhy_staff, scene):
    booking = scene["xhy_booking"]
    rules.cancel(booking, booking.resident, "改期")
    body = html(staff_client.get(reverse("reservations:inspect", args=[booking.pk])))
    assert "139****0012" in body and "李*兰" in body and "12号楼603室" in body
    assert "13900000012" not in body and "李桂兰" not in body
    assert "改期" in body
    viewed = booking.events.get(action=Action.VIEWED)
    assert viewed.actor == xhy_staff


def test_staff_check_in_todays_confirmed_booking_from_the_listing(staff_client, xhy_staff, reading):
    now = timezone.now().replace(second=0, microsecond=0)
    # Started a minute ago, or at midnight when the suite's clock is at midnight: today's either way.
    start = max(now - dt.timedelta(minutes=1), localtime.at(timezone.localdate(), dt.time.min))
    booking = Reservation.objects.create(
        room=reading,
        start=start,
        end=now + dt.timedelta(minutes=59),
        resident=resident(20),
        status=Status.CONFIRMED,
    )
    url = reverse("reservations:check_in", args=[booking.pk])
    listing = html(staff_client.get(reverse("reservations:index")))
    assert f'action="{url}"' in listing

    response = staff_client.post(url, {"next": reverse("reservations:index")})
    assert response.status_code == 302 and response["Location"] == reverse("reservations:index")
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.events.get(action=Action.CHECKED_IN).actor == xhy_staff
    assert f'action="{url}"' not in html(staff_client.get(reverse("reservations:index")))


def test_staff_cancel_a_booking_with_a_reason(staff_client, scene, sent, django_capture_on_commit_callbacks):
    booking = scene["xhy_booking"]
    url = reverse("reservations:cancel", args=[booking.pk])
    assert staff_client.post(url, {"reason": ""}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "钢琴调音"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == (Status.CANCELLED, "钢琴调音")
    assert sent == [(booking.pk, "booking_cancelled")]


# Booking on a resident's behalf


def book_for(client, room, day, start, end, phone="13900000010", key="form-1"):
    return client.post(
        reverse("book_for_resident:index"),
        {
            "room": room.pk,
            "phone": phone,
            "date": day.isoformat(),
            "start": start,
            "end": end,
            "headcount": 2,
            "purpose": "老年合唱",
            "request_key": key,
        },
    )


def test_staff_book_for_a_resident_without_approval(
    staff_client, xhy_staff, counseling, sent, django_capture_on_commit_callbacks
):
    assert counseling.needs_approval  # residents' own requests wait for approval here
    resident(10)
    day = open_day(counseling)
    with django_capture_on_commit_callbacks(execute=True):
        response = book_for(staff_client, counseling, day, "15:00", "16:00")

    booking = Reservation.objects.get(resident=resident(10))
    assert response.status_code == 302
    assert response["Location"] == reverse("reservations:inspect", args=[booking.pk])
    assert (booking.room, booking.status, booking.booked_by) == (counseling, Status.CONFIRMED, xhy_staff)
    assert timezone.localtime(booking.start).time() == dt.time(15)
    assert booking.events.get(action=Action.CREATED).actor == xhy_staff
    assert sent == [(booking.pk, "booking_confirmed")]

    again = book_for(staff_client, counseling, day, "15:00", "16:00")  # a second click
    assert again.status_code == 302
    assert Reservation.objects.filter(resident=resident(10)).count() == 1


def test_a_clash_is_shown_beside_the_time_and_keeps_what_was_typed(staff_client, reading):
    resident(10)
    day = open_day(reading)
    hold(reading, day, "15:00", resident=resident(11), status=Status.CONFIRMED)

    response = book_for(staff_client, reading, day, "15:00", "16:00")

    assert response.status_code == 409
    assert "start" in response.context["form"].errors
    body = response.content.decode()
    assert 'value="13900000010"' in body and 'value="老年合唱"' in body
    assert not Reservation.objects.filter(resident=resident(10)).exists()


def test_a_phone_that_is_no_resident_of_the_area_is_refused_beside_the_field(staff_client, reading, wl_resident):
    response = book_for(staff_client, reading, open_day(reading), "15:00", "16:00", phone="13700000001")
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert not Reservation.objects.filter(resident=wl_resident).exists()


# Closures


def test_a_closure_over_bookings_lists_them_masked_and_cancels_them_once_confirmed(
    staff_client, xhy_staff, xhy, piano, sent, django_capture_on_commit_callbacks
):
    day = open_day(piano)
    booking = hold(piano, day, "10:00", resident=resident(1), status=Status.CONFIRMED)
    form = {"room": piano.pk, "start": f"{day} 09:00", "end": f"{day} 12:00", "reason": "钢琴维修"}

    shown = staff_client.post(reverse("closures:add"), form)
    body = html(shown)
    assert "王*英" in body and "139****0001" in body and "13900000001" not in body
    assert not Closure.objects.filter(reason="钢琴维修").exists()
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED

    seen = shown.context["form"].data["seen"]
    unconfirmed = staff_client.post(reverse("closures:add"), {**form, "seen": seen})
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.context["form"].errors

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("closures:add"), {**form, "seen": seen, "confirm": "on"})
    assert response.status_code == 302
    closure = Closure.objects.get(reason="钢琴维修")
    assert (closure.area, closure.created_by) == (xhy, xhy_staff)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and "钢琴维修" in booking.reason
    assert Reservation.objects.filter(kind=Kind.CLOSURE, room=piano, label="钢琴维修").exists()
    assert sent == [(booking.pk, "booking_cancelled")]


def test_a_booking_made_after_the_list_was_shown_is_shown_before_it_is_cancelled(staff_client, piano):
    day = open_day(piano)
    first = hold(piano, day, "09:00", resident=resident(1), status=Status.CONFIRMED)
    form = {"room": piano.pk, "start": f"{day} 08:30", "end": f"{day} 12:00", "reason": "钢琴维修"}
    seen = staff_client.post(reverse("closures:add"), form).context["form"].data["seen"]
    late = hold(piano, day, "11:00", resident=resident(2), status=Status.CONFIRMED)

    response = staff_client.post(reverse("closures:add"), {**form, "seen": seen, "confirm": "on"})

    assert response.status_code == 200
    assert "139****0002" in response.content.decode()
    assert not Closure.objects.filter(reason="钢琴维修").exists()
    first.refresh_from_db()
    late.refresh_from_db()
    assert first.status == late.status == Status.CONFIRMED


def test_a_closure_of_the_whole_area_over_no_bookings_is_saved_at_once(
    staff_client, xhy, piano, reading, counseling, multi_function, wl_reading
):
    day = open_day(reading, 20)
    response = staff_client.post(
        reverse("closures:add"), {"room": "", "start": f"{day} 07:00", "end": f"{day} 22:00", "reason": "小区停电"}
    )
    assert response.status_code == 302
    closure = Closure.objects.get(reason="小区停电")
    assert closure.area == xhy and closure.room is None
    closed = Reservation.objects.filter(kind=Kind.CLOSURE, label="小区停电")
    assert set(closed.values_list("room", flat=True)) == {piano.pk, reading.pk, counseling.pk, multi_function.pk}
    assert closed.count() == Room.objects.filter(area=xhy).count()


# Exports


def test_the_csv_export_is_masked_scoped_and_logged(staff_client, xhy_staff, scene):
    response = staff_client.get(reverse("reservations:index"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "139****0012" in text and "李*兰" in text
    assert "13900000012" not in text and "李桂兰" not in text
    assert "137****0001" not in text and "宛六" not in text
    logged = ReservationEvent.objects.filter(action=Action.VIEWED, actor=xhy_staff)
    assert scene["xhy_booking"].pk in set(logged.values_list("reservation", flat=True))
    assert "CSV" in logged.first().note


def test_the_xlsx_export_is_masked_in_shanghai_time(staff_client, scene):
    response = staff_client.get(reverse("reservations:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    cells = {str(value) for row in rows for value in row}
    assert "139****0012" in cells and "李*兰" in cells
    booking = scene["xhy_booking"]
    row = next(row for row in rows if "139****0012" in row)
    assert timezone.localtime(booking.start).replace(tzinfo=None) in row
    assert not any("13900000012" in cell or "李桂兰" in cell or "宛六" in cell for cell in cells)


# Supervisors read every area and change nothing


def test_supervisors_read_every_area(supervisor_client, scene):
    rooms = html(supervisor_client.get(reverse("rooms:index")))
    assert "钢琴活动室" in rooms and "20号楼一层" in rooms and "宛六居民区" in rooms
    reservations = html(supervisor_client.get(reverse("reservations:index")))
    assert "139****0012" in reservations and "137****0001" in reservations
    assert "宛六水管维修" in html(supervisor_client.get(reverse("closures:index")))
    assert supervisor_client.get(reverse("reservations:inspect", args=[scene["wl_booking"].pk])).status_code == 200
    assert supervisor_client.get(reverse("rooms:inspect", args=[scene["wl_booking"].room_id])).status_code == 200


def test_supervisors_change_nothing(supervisor_client, scene, piano):
    pending = scene["xhy_pending"]
    for method, url in [
        ("get", reverse("rooms:add")),
        ("get", reverse("rooms:edit", args=[piano.pk])),
        ("get", reverse("approvals:index")),
        ("post", reverse("approvals:approve", args=[pending.pk])),
        ("post", reverse("approvals:reject", args=[pending.pk])),
        ("post", reverse("reservations:cancel", args=[pending.pk])),
        ("get", reverse("book_for_resident:index")),
        ("get", reverse("closures:add")),
        ("get", reverse("holidays:add")),
    ]:
        assert refused(getattr(supervisor_client, method)(url, {"reason": "x"})), url
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    listing = html(supervisor_client.get(reverse("reservations:index")))
    assert reverse("reservations:cancel", args=[pending.pk]) not in listing
    assert reverse("rooms:edit", args=[piano.pk]) not in html(supervisor_client.get(reverse("rooms:index")))


def test_the_menu_offers_staff_actions_only_to_staff(staff_client, supervisor_client):
    assert reverse("approvals:index") in html(staff_client.get(reverse("wagtailadmin_home")))
    home = html(supervisor_client.get(reverse("wagtailadmin_home")))
    assert reverse("reservations:index") in home
    assert reverse("approvals:index") not in home


# Rooms


def room_form(name, slug, **extra):
    return nested_form_data(
        {
            "name": name,
            "slug": slug,
            "capacity": 8,
            "sort_order": 9,
            "slot_minutes": 30,
            "min_minutes": 30,
            "max_minutes": 120,
            "window_days": 14,
            "notice_minutes": 60,
            "buffer_minutes": 0,
            "cancel_cutoff_minutes": 60,
            "check_in_grace_minutes": 15,
            "max_active_bookings": 2,
            "max_hours_per_week": 4,
            "opening_hours": inline_formset(
                [
                    {"weekday": 0, "opens": "09:00", "closes": "12:00"},
                    {"weekday": 0, "opens": "14:00", "closes": "17:00"},
                ]
            ),
            **extra,
        }
    )


def test_staff_add_a_room_to_their_own_area_with_opening_hours(staff_client, xhy, wanliu):
    form = html(staff_client.get(reverse("rooms:add")))
    assert 'name="area"' not in form

    response = staff_client.post(reverse("rooms:add"), room_form("书法室", "calligraphy-room", area=wanliu.pk))

    assert response.status_code == 302
    added = Room.objects.get(slug="calligraphy-room")
    assert added.area == xhy  # the posted area is ignored
    assert [(h.weekday, h.opens, h.closes) for h in OpeningHours.objects.filter(room=added).order_by("opens")] == [
        (0, dt.time(9), dt.time(12)),
        (0, dt.time(14), dt.time(17)),
    ]


def test_a_room_photo_comes_from_the_own_areas_collection(staff_client, xhy, wanliu):
    theirs = photo_of(wanliu)
    response = staff_client.post(reverse("rooms:add"), room_form("书法室", "calligraphy-room", photo=theirs.pk))
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors

    ours = photo_of(xhy)
    response = staff_client.post(reverse("rooms:add"), room_form("书法室", "calligraphy-room", photo=ours.pk))
    assert response.status_code == 302
    assert Room.objects.get(slug="calligraphy-room").photo == ours


def test_a_slug_already_used_in_the_area_is_an_error_not_a_crash(staff_client, xhy, reading):
    response = staff_client.post(reverse("rooms:add"), room_form("另一个阅览室", "reading-room"))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Room.objects.filter(area=xhy, slug="reading-room").count() == 1


def test_staff_edit_their_rooms_but_not_their_area(staff_client, xhy, wanliu, reading):
    url = reverse("rooms:edit", args=[reading.pk])
    data = querydict_from_html(staff_client.get(url).content.decode(), form_id="w-editor-form")
    data["name"] = "阅览室（大字版）"
    data["area"] = wanliu.pk

    response = staff_client.post(url, data)

    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.name, reading.area) == ("阅览室（大字版）", xhy)
    assert reading.opening_hours.count() == 7  # daily 08:30–17:00, kept as they were


def test_superusers_choose_the_area_of_a_new_room(admin_client, wanliu):
    assert 'name="area"' in html(admin_client.get(reverse("rooms:add")))
    response = admin_client.post(reverse("rooms:add"), room_form("书法室", "calligraphy-room", area=wanliu.pk))
    assert response.status_code == 302
    assert Room.objects.get(slug="calligraphy-room").area == wanliu


# Public holidays


def test_a_missing_next_year_of_holidays_is_warned_about(staff_client):
    this_year = timezone.localdate().year
    next_year = this_year + 1
    Holiday.objects.get_or_create(date=dt.date(this_year, 10, 1), defaults={"name": "国庆节"})
    Holiday.objects.filter(date__year=next_year).delete()
    for name in ("rooms:index", "holidays:index"):
        response = staff_client.get(reverse(name))
        assert response.context["missing_holiday_years"] == str(next_year)
        assert "help-warning" in response.content.decode()

    Holiday.objects.create(date=dt.date(next_year, 1, 1), name="元旦")
    response = staff_client.get(reverse("holidays:index"))
    assert response.context["missing_holiday_years"] == ""
    assert "help-warning" not in response.content.decode()


def test_staff_read_holidays_and_superusers_edit_them(staff_client, admin_client):
    assert staff_client.get(reverse("holidays:index")).status_code == 200
    assert refused(staff_client.get(reverse("holidays:add")))
    response = admin_client.post(reverse("holidays:add"), {"date": "2031-10-01", "name": "国庆节", "kind": "day_off"})
    assert response.status_code == 302
    assert Holiday.objects.filter(date=dt.date(2031, 10, 1), name="国庆节").exists()


# Listings cost a fixed number of queries


def book_many(place, status, count, *, first=0, hour=8, minutes=30):
    """`count` bookings 30 days ahead, an hour apart, of residents 1 to 30 in turn."""
    start = localtime.at(timezone.localdate() + dt.timedelta(days=30), dt.time(hour))
    Reservation.objects.bulk_create(
        Reservation(
            room=place,
            start=start + dt.timedelta(hours=i),
            end=start + dt.timedelta(hours=i, minutes=minutes),
            held_start=start + dt.timedelta(hours=i),
            held_end=start + dt.timedelta(hours=i, minutes=minutes),
            resident=resident(i % 30 + 1),
            status=status,
        )
        for i in range(first, first + count)
    )


def inspect_links(response):
    return len(set(re.findall(r"/admin/booking/reservations/(\d+)/", response.content.decode())))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize(
    "listing, status, budget",
    [
        # Fixed costs: session, user, second-factor question, permissions, the area, the page.
        ("reservations:index", Status.CONFIRMED, 19),
        ("approvals:index", Status.PENDING, 16),
    ],
)
def test_a_listing_costs_the_same_for_two_rows_as_for_forty(staff_client, xhy, listing, status, budget):
    quiet = RoomFactory(area=xhy, slug="quiet-room", name="安静室")
    # The reservations listing filtered to the room, as staff look at one room's bookings.
    url = reverse(listing) + (f"?room={quiet.pk}" if listing == "reservations:index" else "")
    book_many(quiet, status, 2)
    staff_client.get(url)  # content types and the like, cached per process
    few, few_page = queries_for(staff_client, url)
    book_many(quiet, status, 38, first=2)
    many, many_page = queries_for(staff_client, url)
    assert inspect_links(many_page) >= inspect_links(few_page) + 10  # a page's worth more rows
    assert many == few
    assert many <= budget
