"""The residents' JSON API for rooms and bookings, through HTTP with a
bearer token from the real POST /api/v1/auth/token, as the mini-program client uses it."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from booking import rules
from booking.models import Reservation, Room
from portal.models import Holiday
from tests.factories import PASSWORD, ImageFactory, RoomFactory, daily, numbered_resident


def token_for(phone):
    answer = Client().post(
        "/api/v1/auth/token", {"phone": phone, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def client_for(phone, language=None):
    headers = {"Authorization": f"Bearer {token_for(phone)}"}
    if language:
        headers["Accept-Language"] = language
    return Client(headers=headers)


@pytest.fixture
def me(resident):
    """The resident 13900000001 of 徐汇苑 signed in to the API (the sign-in rate limit starts afresh)."""
    return client_for("13900000001")


@pytest.fixture
def me_en(resident):
    return client_for("13900000001", language="en")


def neighbour(number):
    """Another confirmed resident of 徐汇苑: 139000000{number:02d} (password "portal-demo"),
    李桂兰{number}, living in {number}号楼603室: what is personal about them is easy to look for."""
    return numbered_resident(
        number,
        last_name="李",
        first_name=f"桂兰{number}",
        building=f"{number}号楼",
        room_number="603室",
    )


def with_photos(*rooms):
    """Give each room a JPEG photo of its own in its area's media collection, as staff upload."""
    for room in rooms:
        room.photo = ImageFactory(title=room.name, collection=room.area.collection)
        room.save()


def first_weekday(days_ahead):
    """The first day, Monday to Friday, at least `days_ahead` days from today."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


def post(client, path, body, **headers):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)


def shanghai(day, time):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(time)))


def free_day(client, room, first="15:00", last="16:30"):
    """The first day from the day after tomorrow on which the API shows the room free from first to last."""
    today = timezone.localdate()
    for days in range(2, room.window_days):
        day = today + dt.timedelta(days=days)
        slots = client.get(f"/api/v1/rooms/{room.pk}/availability", {"date": day.isoformat()}).json()["slots"]
        wanted = {slot["state"] for slot in slots if first <= slot["start"][11:16] <= last}
        if wanted == {"free"}:
            return day
    raise AssertionError("no free day in the window")


def booking_body(room, day, start="15:00", end="16:00", **extra):
    return {
        "room": room.pk,
        "start": f"{day.isoformat()}T{start}:00+08:00",
        "end": f"{day.isoformat()}T{end}:00+08:00",
        **extra,
    }


def assert_error_shape(answer, status):
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], dict)
    return body


# --- Signing in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/rooms"),
        ("get", "/api/v1/rooms/1/availability?date=2026-03-05"),
        ("post", "/api/v1/reservations"),
        ("get", "/api/v1/reservations"),
        ("post", "/api/v1/reservations/1/cancel"),
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Token abc"])
def test_every_route_needs_a_residents_token(db, client, method, path, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    answer = getattr(client, method)(path, content_type="application/json", headers=headers)
    assert_error_shape(answer, 401)


# --- Rooms ------------------------------------------------------------------------------------


def test_rooms_are_those_of_the_callers_own_area_with_their_rules_and_photos(
    me, wanliu, piano, reading, counseling, multi_function
):
    piano.equipment = "钢琴、镜子、音响"
    with_photos(piano)
    RoomFactory(area=wanliu, slug="piano-room", name="钢琴活动室")  # the same room in another area

    answer = me.get("/api/v1/rooms")

    assert answer.status_code == 200
    listed = {room["id"]: room for room in answer.json()}
    assert set(listed) == {piano.pk, reading.pk, counseling.pk, multi_function.pk}
    assert len(answer.json()) == 4

    piano_out, counseling_out = listed[piano.pk], listed[counseling.pk]
    assert (piano_out["name"], piano_out["name_en"]) == ("钢琴活动室", "Piano activity room")
    assert piano_out["equipment"] == ["钢琴", "镜子", "音响"]
    rules_of_piano = {
        key: piano_out[key] for key in ("capacity", "slot_minutes", "min_minutes", "max_minutes", "window_days")
    }
    assert rules_of_piano == {
        "capacity": 20,
        "slot_minutes": 30,
        "min_minutes": 30,
        "max_minutes": 120,
        "window_days": 14,
    }
    assert piano_out["needs_approval"] is False
    assert piano_out["photo"].startswith("http://testserver/") and piano_out["photo"].endswith(".jpg")
    assert {"weekday": 0, "opens": "13:30:00", "closes": "20:30:00"} in piano_out["opening_hours"]
    assert (counseling_out["name"], counseling_out["needs_approval"]) == ("谈心室", True)


def test_the_room_list_keeps_its_query_count_however_many_rooms(
    me, xhy, piano, reading, counseling, multi_function, django_assert_num_queries
):
    with_photos(piano, reading, counseling, multi_function)
    me.get("/api/v1/rooms")  # the first listing makes the renditions
    with django_assert_num_queries(5):  # token, rooms, opening hours, photos, renditions
        assert len(me.get("/api/v1/rooms").json()) == 4
    for number in range(8):
        Room.objects.create(area=xhy, slug=f"room-{number}", name=f"活动室{number}", photo=piano.photo)
    me.get("/api/v1/rooms")
    with django_assert_num_queries(5):
        assert len(me.get("/api/v1/rooms").json()) == 12


# --- Availability -----------------------------------------------------------------------------


def test_a_days_slots_follow_the_rules_and_say_only_booked(me, piano):
    day = free_day(me, piano)
    rules.book(
        room=piano,
        start=shanghai(day, "15:00"),
        end=shanghai(day, "16:00"),
        resident=neighbour(3),
        purpose="李家生日会",
    )

    answer = me.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": day.isoformat()})

    assert answer.status_code == 200
    body = answer.json()
    assert body["date"] == day.isoformat()
    slots = {slot["start"][11:16]: slot for slot in body["slots"]}
    assert slots["08:30"]["start"] == f"{day.isoformat()}T08:30:00+08:00"
    assert slots["08:30"]["end"] == f"{day.isoformat()}T09:00:00+08:00"
    assert "12:00" not in slots  # closed from 11:30 to 13:30
    assert slots["15:00"]["state"] == slots["15:30"]["state"] == "booked"
    assert slots["15:00"]["label"] == ""
    # The piano room's 15-minute buffer holds it until 16:15 for cleaning, so nothing can start at 16:00.
    assert slots["16:00"]["state"] == "unavailable"
    assert slots["16:30"]["state"] == "free"
    for personal in ("李家", "李桂兰", "13900000003", "3号楼603室"):
        assert personal not in answer.content.decode()


def test_classes_and_closures_are_labelled_in_ordinary_rooms(me, piano):
    day = free_day(me, piano, last="20:00")  # the whole afternoon and evening: PostgreSQL guards what we write
    Reservation.objects.create(
        room=piano,
        kind=Reservation.Kind.CLASS,
        start=shanghai(day, "15:00"),
        end=shanghai(day, "16:00"),
        label="旗袍班",
    )
    Reservation.objects.create(
        room=piano,
        kind=Reservation.Kind.CLOSURE,
        start=shanghai(day, "18:00"),
        end=shanghai(day, "20:30"),
        label="设备维修",
    )

    slots = {
        slot["start"][11:16]: slot
        for slot in me.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": day.isoformat()}).json()["slots"]
    }

    assert (slots["15:00"]["state"], slots["15:00"]["label"]) == ("class", "旗袍班")
    assert (slots["18:00"]["state"], slots["18:00"]["label"]) == ("closed", "设备维修")


def test_the_counseling_room_never_shows_who_booked_it_or_why(me, counseling):
    room = counseling
    assert room.hide_bookings
    day = first_weekday(2)
    rules.book(
        room=room,
        start=shanghai(day, "09:00"),
        end=shanghai(day, "10:00"),
        resident=neighbour(5),
        purpose="家庭矛盾调解",
    )
    private = Reservation.objects.bookings().filter(room=room).select_related("resident")
    assert [row.status for row in private] == [Reservation.Status.PENDING]  # it waits for staff, holding the time
    Reservation.objects.create(
        room=room,
        kind=Reservation.Kind.CLASS,
        start=shanghai(day, "14:00"),
        end=shanghai(day, "15:00"),
        label="心理讲座",
    )

    text, states = "", set()
    today = timezone.localdate()
    for days in range(room.window_days + 1):
        answer = me.get(
            f"/api/v1/rooms/{room.pk}/availability", {"date": (today + dt.timedelta(days=days)).isoformat()}
        )
        assert answer.status_code == 200
        for slot in answer.json()["slots"]:
            states.add(slot["state"])
            assert slot["label"] == "" or slot["state"] == "closed"  # a holiday's or closure's name
        text += answer.content.decode()

    assert "unavailable" in states
    assert not states & {"booked", "class"}
    assert "心理讲座" not in text
    for row in private:
        for personal in (row.resident.last_name + row.resident.first_name, row.resident.phone, row.resident.phone[3:]):
            assert personal not in text
        assert not row.purpose or row.purpose not in text


def test_nothing_personal_is_in_rooms_or_availability(me, piano, reading, counseling, multi_function):
    today = timezone.localdate()
    # Neighbours' bookings of every room within the next four days, each with a purpose but one.
    for number, room, day, start, end, purpose in [
        (2, piano, today + dt.timedelta(days=1), "09:00", "10:30", "合唱练习"),
        (3, piano, today + dt.timedelta(days=2), "14:00", "16:00", "广场舞排练"),
        (4, reading, today + dt.timedelta(days=1), "13:30", "15:30", "老年英语角"),
        (5, multi_function, today + dt.timedelta(days=3), "14:00", "16:00", "楼组议事会"),
        (6, counseling, first_weekday(1), "09:00", "10:00", ""),
    ]:
        rules.book(
            room=room, start=shanghai(day, start), end=shanghai(day, end), resident=neighbour(number), purpose=purpose
        )

    text = me.get("/api/v1/rooms").content.decode()
    for room in (piano, reading, counseling, multi_function):
        for days in range(5):
            text += me.get(
                f"/api/v1/rooms/{room.pk}/availability", {"date": (today + dt.timedelta(days=days)).isoformat()}
            ).content.decode()
    bookings = Reservation.objects.bookings().select_related("resident")
    assert bookings.count() == 5
    for row in bookings:
        person = row.resident
        for personal in (person.last_name + person.first_name, person.phone[3:], person.building + person.room_number):
            assert personal not in text
        if row.purpose:
            assert row.purpose not in text


def test_availability_of_another_areas_room_is_not_found(me, wanliu):
    other = RoomFactory(area=wanliu, slug="reading-room", name="阅览室")
    for room_id in (other.pk, 999999):
        answer = me.get(f"/api/v1/rooms/{room_id}/availability", {"date": timezone.localdate().isoformat()})
        assert_error_shape(answer, 404)


def test_kept_availability_is_fresh_after_a_booking_and_stays_in_its_area(
    me, piano, wanliu, settings, django_assert_max_num_queries
):
    """A room's day is kept for the area's residents as pages are (portal/page_cache.py): asked
    again it costs only the token, a booking shows at once, and another area's resident asking
    for the same room and day still finds no such room."""
    settings.PAGE_CACHE_SECONDS = 60
    day = free_day(me, piano)
    url, query = f"/api/v1/rooms/{piano.pk}/availability", {"date": day.isoformat()}
    first = me.get(url, query).json()
    with django_assert_max_num_queries(1):
        assert me.get(url, query).json() == first
    rules.book(room=piano, start=shanghai(day, "15:00"), end=shanghai(day, "16:00"), resident=neighbour(3))
    slots = {slot["start"][11:16]: slot["state"] for slot in me.get(url, query).json()["slots"]}
    assert slots["15:00"] == "booked"
    numbered_resident(41, area=wanliu)
    assert_error_shape(client_for("13900000041").get(url, query), 404)


@pytest.mark.parametrize("typed", ["2026-02-30", "2026年2月30日", "tomorrow"])
def test_an_impossible_date_is_a_400_naming_the_field_in_chinese(me, piano, typed):
    answer = me.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": typed})
    body = assert_error_shape(answer, 400)
    assert body["errors"] == {"date": ["输入一个有效的日期。"]}


def test_an_impossible_date_is_explained_in_english_when_asked(me_en, piano):
    answer = me_en.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": "2026-02-30"})
    assert assert_error_shape(answer, 400)["errors"] == {"date": ["Enter a valid date."]}
    assert answer.headers["Content-Language"] == "en"


def test_availability_without_a_date_is_today(me, reading):
    answer = me.get(f"/api/v1/rooms/{reading.pk}/availability")
    assert answer.status_code == 200
    assert answer.json()["date"] == timezone.localdate().isoformat()


def test_availability_keeps_a_small_query_count(me, piano, django_assert_num_queries):
    me.get("/api/v1/rooms")  # the token's first use records itself
    with django_assert_num_queries(5):  # token, room, opening hours, held time, holidays
        answer = me.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": timezone.localdate().isoformat()})
    assert len(answer.json()["slots"]) == 20  # 08:30–11:30 and 13:30–20:30 in half hours: 6 + 14


# --- Booking ----------------------------------------------------------------------------------


def test_a_resident_books_a_room_and_sees_it_under_my_bookings(me, piano, resident):
    day = free_day(me, piano)

    answer = post(me, "/reservations", booking_body(piano, day, purpose="合唱练习", headcount=8))

    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["status"] == "confirmed"
    assert made["room"] == {"id": piano.pk, "name": "钢琴活动室", "name_en": "Piano activity room"}
    assert made["start"] == f"{day.isoformat()}T15:00:00+08:00"
    assert made["end"] == f"{day.isoformat()}T16:00:00+08:00"
    assert (made["purpose"], made["headcount"], made["can_cancel"]) == ("合唱练习", 8, True)
    assert made["cancel_until"] == f"{day.isoformat()}T14:00:00+08:00"
    reservation = Reservation.objects.get(pk=made["id"])
    assert (reservation.resident, reservation.room) == (resident, piano)

    slots = me.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": day.isoformat()}).json()["slots"]
    assert {slot["state"] for slot in slots if slot["start"][11:16] in ("15:00", "15:30")} == {"booked"}

    mine = me.get("/api/v1/reservations").json()
    assert made["id"] in [item["id"] for item in mine["items"]]


@pytest.mark.parametrize(
    "start, end",
    [
        ("{day}T15:00:00", "{day}T16:00:00"),  # no offset: Shanghai time
        ("{day}T07:00:00Z", "{day}T08:00:00+00:00"),
        ("{day} 15:00", "{day} 16:00"),
    ],
)
def test_times_without_an_offset_are_shanghai_time(me, piano, start, end):
    day = free_day(me, piano).isoformat()

    answer = post(me, "/reservations", {"room": piano.pk, "start": start.format(day=day), "end": end.format(day=day)})

    assert answer.status_code == 201, answer.content
    assert answer.json()["start"] == f"{day}T15:00:00+08:00"
    assert answer.json()["end"] == f"{day}T16:00:00+08:00"


def test_a_counseling_room_request_waits_for_approval(me, counseling):
    room = counseling
    day = free_day(me, room, first="14:00", last="14:30")
    answer = post(me, "/reservations", booking_body(room, day, start="14:00", end="15:00"))
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "pending"


def next_grid_point():
    """The next half hour, less than the 60 minutes' notice the piano room needs."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return now + dt.timedelta(minutes=30 - now.minute % 30)


def span_body(room, start, minutes=60, **extra):
    end = start + dt.timedelta(minutes=minutes)
    return {"room": room.pk, "start": start.isoformat(), "end": end.isoformat(), **extra}


# (what is wrong, the request given the room and a free day, the field named, what the English message says)
BROKEN_RULES = [
    (
        "end before start",
        lambda room, day: booking_body(room, day, start="16:00", end="15:00"),
        "end",
        "The end must be after the start.",
    ),
    ("off the grid", lambda room, day: booking_body(room, day, start="15:10", end="16:10"), "start", "30-minute grid"),
    ("too long", lambda room, day: booking_body(room, day, end="18:00"), "end", "from 30 to 120 minutes"),
    (
        "over capacity",
        lambda room, day: booking_body(room, day, headcount=21),
        "headcount",
        "This room holds 1 to 20 people.",
    ),
    (
        "outside opening hours",
        lambda room, day: booking_body(room, day, start="12:00", end="13:00"),
        "start",
        "The room is open 08:30–11:30、13:30–20:30 on that day.",
    ),
    (
        "in the past",
        lambda room, day: booking_body(room, timezone.localdate() - dt.timedelta(days=1)),
        "start",
        "This time has already passed.",
    ),
    (
        "too soon",
        lambda room, day: span_body(room, next_grid_point(), 30),
        "start",
        "Bookings must be made at least 60 minutes before the start.",
    ),
    (
        "beyond the window",
        lambda room, day: booking_body(room, timezone.localdate() + dt.timedelta(days=15)),
        "start",
        "You can book up to 14 days ahead",
    ),
]


@pytest.mark.parametrize("what, request_for, field, message", BROKEN_RULES, ids=[rule[0] for rule in BROKEN_RULES])
def test_each_rule_refuses_with_400_and_names_the_field(me_en, piano, resident, what, request_for, field, message):
    before = resident.reservations.count()

    answer = post(me_en, "/reservations", request_for(piano, free_day(me_en, piano)))

    errors = assert_error_shape(answer, 400)["errors"]
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors
    assert resident.reservations.count() == before


def test_a_public_holiday_closes_the_room(me_en, piano):
    day = free_day(me_en, piano)
    Holiday.objects.create(date=day, name="测试节")
    errors = assert_error_shape(post(me_en, "/reservations", booking_body(piano, day)), 400)["errors"]
    assert errors["start"] == ["The room is closed on 测试节."]


@pytest.mark.parametrize("field", ["start", "end"])
@pytest.mark.parametrize("typed", ["2026-02-30T15:00:00+08:00", "2026-02-30T15:00", "2026年2月30日 15:00", "soon"])
def test_an_impossible_time_is_a_400_naming_the_field_in_chinese(me, piano, field, typed):
    body = booking_body(piano, free_day(me, piano))
    body[field] = typed

    answer = post(me, "/reservations", body)

    errors = assert_error_shape(answer, 400)["errors"]
    assert errors == {field: ["输入一个有效的日期/时间。"]}


@pytest.mark.parametrize("body", [{}, {"room": "piano"}, {"room": 1, "start": "2026-03-05T15:00"}, []])
def test_a_malformed_body_is_a_400_not_a_422(me, body):
    answer = post(me, "/reservations", body)
    assert_error_shape(answer, 400)


def test_a_purpose_longer_than_100_characters_is_named(me, piano):
    answer = post(me, "/reservations", booking_body(piano, free_day(me, piano), purpose="练" * 101))
    errors = assert_error_shape(answer, 400)["errors"]
    assert list(errors) == ["purpose"]
    assert "100" in errors["purpose"][0]


def test_a_room_of_another_area_cannot_be_booked(me_en, wanliu, multi_function):
    other = RoomFactory(area=wanliu, slug="multi-function-room", name="多功能室", opening=daily("08:00", "20:00"))
    answer = post(me_en, "/reservations", booking_body(other, free_day(me_en, multi_function)))
    errors = assert_error_shape(answer, 400)["errors"]
    assert errors["room"] == ["This room belongs to another residents' area. You can book the rooms of your own area."]
    assert not Reservation.objects.filter(room=other, resident__phone="+8613900000001").exists()


def test_a_room_that_does_not_exist_is_named(me_en):
    errors = assert_error_shape(
        post(me_en, "/reservations", {"room": 999999, "start": "2030-01-01T15:00", "end": "2030-01-01T16:00"}), 400
    )["errors"]
    assert list(errors) == ["room"]


def test_a_clash_is_a_409_with_the_nearest_free_times(me_en, piano):
    day = free_day(me_en, piano)
    rules.book(room=piano, start=shanghai(day, "15:00"), end=shanghai(day, "16:00"), resident=neighbour(3))

    answer = post(me_en, "/reservations", booking_body(piano, day, start="15:30", end="16:30"))

    body = assert_error_shape(answer, 409)
    assert "has just been taken" in body["detail"]
    assert body["errors"] == {"start": ["This time is no longer free."]}
    assert 1 <= len(body["alternatives"]) <= 3
    for span in body["alternatives"]:
        assert span["start"].endswith("+08:00") and span["end"].endswith("+08:00")
        assert dt.datetime.fromisoformat(span["end"]) - dt.datetime.fromisoformat(span["start"]) == dt.timedelta(
            hours=1
        )
    nearest = body["alternatives"][0]
    assert post(me_en, "/reservations", {"room": piano.pk, **nearest}).status_code == 201
    assert "13900000003" not in answer.content.decode()


def test_a_paused_account_is_refused_with_403(me_en, piano, resident):
    resident.booking_paused_until = timezone.now() + dt.timedelta(days=10)
    resident.save()

    answer = post(me_en, "/reservations", booking_body(piano, free_day(me_en, piano)))

    body = assert_error_shape(answer, 403)
    assert "paused" in body["detail"]


def test_the_same_idempotency_key_returns_the_booking_already_made(me, reading, resident):
    assert not resident.reservations.exists()
    body = booking_body(reading, free_day(me, reading))

    first = post(me, "/reservations", body, **{"Idempotency-Key": "a2f9c1"})
    again = post(me, "/reservations", body, **{"Idempotency-Key": "a2f9c1"})

    assert first.status_code == 201, first.content
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Reservation.objects.filter(resident=resident, start=body["start"]).count() == 1
    # Without the key, the same request is a new one: the time is no longer free.
    assert post(me, "/reservations", body).status_code == 409


def test_an_idempotency_key_longer_than_64_characters_is_refused(me, piano):
    answer = post(me, "/reservations", booking_body(piano, free_day(me, piano)), **{"Idempotency-Key": "k" * 65})
    assert list(assert_error_shape(answer, 400)["errors"]) == ["Idempotency-Key"]


def test_one_residents_idempotency_key_is_not_anothers(me, piano):
    day = free_day(me, piano)
    neighbour(3)
    theirs = client_for("13900000003")
    assert post(theirs, "/reservations", booking_body(piano, day), **{"Idempotency-Key": "same"}).status_code == 201
    mine = post(
        me, "/reservations", booking_body(piano, day, start="18:00", end="19:00"), **{"Idempotency-Key": "same"}
    )
    assert mine.status_code == 201
    assert mine.json()["start"].endswith("T18:00:00+08:00")


# --- My bookings and cancelling ---------------------------------------------------------------


def test_my_bookings_are_mine_only_upcoming_first(me, piano, reading, resident, django_assert_num_queries):
    now = timezone.now()
    today = timezone.localdate()
    # Two upcoming piano bookings, the later one made first, and ten past ones in the reading room.
    for days in (3, 2):
        day = today + dt.timedelta(days=days)
        rules.book(room=piano, start=shanghai(day, "10:00"), end=shanghai(day, "11:00"), resident=resident)
    for days in range(1, 11):
        start = now - dt.timedelta(days=days)
        Reservation.objects.create(room=reading, resident=resident, start=start, end=start + dt.timedelta(hours=1))
    day = today + dt.timedelta(days=2)
    rules.book(room=piano, start=shanghai(day, "15:00"), end=shanghai(day, "16:00"), resident=neighbour(3))
    neighbours = list(Reservation.objects.bookings().exclude(resident=resident).values_list("pk", flat=True))
    assert len(neighbours) == 1

    me.get("/api/v1/rooms")  # the token's first use records itself
    with django_assert_num_queries(3):  # token, count, the page with its rooms
        answer = me.get("/api/v1/reservations")

    body = answer.json()
    assert answer.status_code == 200
    mine = Reservation.objects.bookings().filter(resident=resident)
    assert body["count"] == mine.count() == 12
    ids = [item["id"] for item in body["items"]]
    assert not set(ids) & set(neighbours)
    starts = [dt.datetime.fromisoformat(item["start"]) for item in body["items"]]
    upcoming = [start for start in starts if start > now]
    assert len(upcoming) == 2 and starts[: len(upcoming)] == sorted(upcoming)
    assert starts[len(upcoming) :] == sorted(starts[len(upcoming) :], reverse=True)
    assert [item["can_cancel"] for item in body["items"] if item["room"]["id"] == piano.pk] == [True, True]
    assert all(item["can_cancel"] is False for item in body["items"] if item["room"]["id"] == reading.pk)


def test_a_resident_cancels_their_booking_and_the_time_is_free_again(me_en, piano):
    day = free_day(me_en, piano)
    made = post(me_en, "/reservations", booking_body(piano, day)).json()

    answer = me_en.post(f"/api/v1/reservations/{made['id']}/cancel")

    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["can_cancel"]) == ("cancelled", False)
    assert Reservation.objects.get(pk=made["id"]).events.filter(action="cancelled").exists()
    slots = me_en.get(f"/api/v1/rooms/{piano.pk}/availability", {"date": day.isoformat()}).json()["slots"]
    assert {slot["state"] for slot in slots if slot["start"][11:16] in ("15:00", "15:30")} == {"free"}

    again = me_en.post(f"/api/v1/reservations/{made['id']}/cancel")
    assert assert_error_shape(again, 400)["detail"] == "This booking can no longer be cancelled."


def test_someone_elses_booking_cannot_be_cancelled_or_even_seen(me, piano):
    day = free_day(me, piano)
    others, _created = rules.book(
        room=piano, start=shanghai(day, "15:00"), end=shanghai(day, "16:00"), resident=neighbour(3)
    )
    answer = me.post(f"/api/v1/reservations/{others.pk}/cancel")
    assert_error_shape(answer, 404)
    others.refresh_from_db()
    assert others.is_holding


def test_after_the_cut_off_a_resident_must_call_the_desk(me_en, piano):
    piano.cancel_cutoff_minutes = 30000  # about three weeks: every booking in the window is past it
    piano.save()
    made = post(me_en, "/reservations", booking_body(piano, free_day(me_en, piano))).json()
    assert made["can_cancel"] is False

    answer = me_en.post(f"/api/v1/reservations/{made['id']}/cancel")

    body = assert_error_shape(answer, 400)
    assert "Please call the reception desk." in body["detail"]
    assert Reservation.objects.get(pk=made["id"]).status == "confirmed"


# --- The API's description --------------------------------------------------------------------


def test_the_openapi_document_describes_every_route_with_schemas(client, db):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    paths = document["paths"]
    assert set(paths["/api/v1/rooms"]) == {"get"}
    assert set(paths["/api/v1/rooms/{room_id}/availability"]) == {"get"}
    assert set(paths["/api/v1/reservations"]) == {"get", "post"}
    assert set(paths["/api/v1/reservations/{reservation_id}/cancel"]) == {"post"}

    book = paths["/api/v1/reservations"]["post"]
    assert {"201", "200", "400", "403", "409"} <= set(book["responses"])
    assert book["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ReservationIn")
    assert "Idempotency-Key" in [parameter["name"] for parameter in book["parameters"]]
    assert book["security"]
    schemas = document["components"]["schemas"]
    assert {"room", "start", "end", "purpose", "headcount"} <= set(schemas["ReservationIn"]["properties"])
    assert {"id", "status", "start", "end", "can_cancel"} <= set(schemas["ReservationOut"]["properties"])
    assert "alternatives" in schemas["ClashOut"]["properties"]
    assert set(schemas["SlotOut"]["properties"]) == {"start", "end", "state", "label"}
    for name in ("RoomOut", "AvailabilityOut", "SlotOut", "ReservationOut", "ClashOut"):
        assert not {"phone", "resident", "booked_by", "building", "room_number"} & set(schemas[name]["properties"])
