"""The residents' booking flow in the browser's place: pages, forms, answers (booking/views.py)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from booking import rules
from booking.models import Reservation, Room
from portal import localtime
from portal.models import Holiday
from tests.factories import ImageFactory, RoomFactory, numbered_resident


def resident(number):
    """Confirmed resident `number` of 徐汇苑 (13900000001, 13900000002, …), 柏居民{number}."""
    return numbered_resident(number, last_name="柏", first_name=f"居民{number}")


def with_photo(room):
    """Give the room a JPEG photo in its area's media collection, as staff upload."""
    room.photo = ImageFactory(title=room.name, collection=room.area.collection)
    room.save()
    return room


def free_starts(slug, day):
    room = Room.objects.get(area__slug="xuhuiyuan", slug=slug)
    return [
        localtime.local(start).strftime("%H:%M")
        for start in rules.free_starts(room, day, days_off=Holiday.days_off(day, day))
    ]


@pytest.fixture
def day(piano, counseling):
    """The first day from three days ahead (past every room's notice) on which the piano room
    is free from 14:00 to 17:00 and the counseling room takes bookings (Monday to Friday): found
    from the rooms' own hours and holidays, whatever the date."""
    today = timezone.localdate()
    for ahead in range(3, 30):
        day = today + dt.timedelta(days=ahead)
        free = set(free_starts("piano-room", day))
        if {"14:00", "14:30", "15:00", "15:30", "16:00"} <= free and free_starts("counseling-room", day):
            return day
    pytest.fail("no day in the next four weeks has the piano room free at 14:00")


def week_of(day):
    """The room page's query for the week of its booking window that shows `day`."""
    return {"week": (day - timezone.localdate()).days // 7}


@pytest.fixture
def signed_in(client, xhy):
    client.force_login(resident(20))
    return client


def text_of(response):
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def request_key(response):
    return re.search(r'name="request_key" value="(\w+)"', response.content.decode()).group(1)


def test_a_resident_books_the_piano_room_sees_it_and_cancels_it(signed_in, day, reading, multi_function):
    rooms = signed_in.get("/rooms/")
    assert rooms.status_code == 200
    assert {"钢琴活动室", "阅览室", "谈心室", "多功能室"} <= set(
        re.findall(r"<h2>([^<]+)</h2>", rooms.content.decode())
    )

    room = signed_in.get("/rooms/piano-room/", week_of(day))
    assert f'href="/rooms/piano-room/{day.isoformat()}/"' in room.content.decode()

    times = signed_in.get(f"/rooms/piano-room/{day.isoformat()}/")
    assert f'href="/rooms/piano-room/{day.isoformat()}/14:00/"' in times.content.decode()

    form = signed_in.get(f"/rooms/piano-room/{day.isoformat()}/14:00/")
    assert form.status_code == 200
    data = {"minutes": "90", "headcount": "6", "purpose": "合唱练习", "request_key": request_key(form)}
    review = signed_in.post(f"/rooms/piano-room/{day.isoformat()}/14:00/", data)
    assert review.status_code == 200
    assert "14:00–15:30" in text_of(review) and "6" in text_of(review)
    assert not Reservation.objects.filter(resident=resident(20)).exists()  # nothing booked before confirming

    done = signed_in.post(f"/rooms/piano-room/{day.isoformat()}/14:00/", {**data, "confirm": "1"}, follow=True)
    assert done.status_code == 200
    assert "预约成功" in text_of(done) or "Booked" in text_of(done)
    booking = Reservation.objects.get(resident=resident(20))
    assert booking.status == Reservation.Status.CONFIRMED

    # Pressing confirm again (a double tap, a reload) returns the same booking.
    again = signed_in.post(f"/rooms/piano-room/{day.isoformat()}/14:00/", {**data, "confirm": "1"})
    assert again.status_code == 302 and again["Location"].startswith(f"/bookings/{booking.pk}/")
    assert Reservation.objects.filter(resident=resident(20)).count() == 1

    ics = signed_in.get(f"/bookings/{booking.pk}/booking.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == timezone.localtime(booking.start)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"

    mine = signed_in.get("/bookings/")
    assert "钢琴活动室" in text_of(mine)
    cancelled = signed_in.post(f"/bookings/{booking.pk}/cancel/", follow=True)
    assert "已取消" in text_of(cancelled) or "Cancelled" in text_of(cancelled)
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED
    assert (
        f"/rooms/piano-room/{day.isoformat()}/14:00/"
        in signed_in.get(f"/rooms/piano-room/{day.isoformat()}/").content.decode()
    )


def test_bad_input_comes_back_with_what_was_typed_and_a_message(signed_in, day):
    url = f"/rooms/piano-room/{day.isoformat()}/14:00/"
    key = request_key(signed_in.get(url))
    too_many = signed_in.post(url, {"minutes": "60", "headcount": "99", "purpose": "排练", "request_key": key})
    assert too_many.status_code == 400
    html = too_many.content.decode()
    assert 'value="99"' in html and 'value="排练"' in html
    assert re.search(r'value="60"[^>]*checked', html)
    assert "最多" in text_of(too_many) or "20" in text_of(too_many)

    not_a_date = signed_in.get("/rooms/piano-room/2026-02-30/")
    assert not_a_date.status_code == 400
    assert "2026-02-30" in text_of(not_a_date)

    typed = signed_in.get("/rooms/piano-room/day/", {"date": "2026年2月30日"})
    assert typed.status_code == 400
    assert "2026年2月30日" in text_of(typed) and 'value="2026年2月30日"' in typed.content.decode()
    chinese = signed_in.get("/rooms/piano-room/day/", {"date": f"{day.year}年{day.month}月{day.day}日"})
    assert chinese.status_code == 302 and chinese["Location"] == f"/rooms/piano-room/{day.isoformat()}/"


def test_a_slot_taken_meanwhile_answers_409_with_free_times_nearby(client, day):
    url = f"/rooms/piano-room/{day.isoformat()}/14:00/"
    client.force_login(resident(21))
    first = {"minutes": "60", "headcount": "2", "request_key": request_key(client.get(url)), "confirm": "1"}
    client.force_login(resident(22))
    second = {"minutes": "60", "headcount": "2", "request_key": request_key(client.get(url)), "confirm": "1"}
    client.force_login(resident(21))
    assert client.post(url, first).status_code == 302
    client.force_login(resident(22))
    lost = client.post(url, second)
    assert lost.status_code == 409
    html = lost.content.decode()
    # 14:00–15:00 holds the piano room until 15:15 (its 15-minute buffer): 15:30 is the next start.
    assert (
        f"/rooms/piano-room/{day.isoformat()}/15:30/" in html or f"/rooms/piano-room/{day.isoformat()}/13:30/" in html
    )
    assert 'value="2"' in html


def test_who_booked_is_not_on_the_public_pages(client, day):
    client.force_login(resident(23))
    url = f"/rooms/counseling-room/{day.isoformat()}/"
    starts = re.findall(r'href="/rooms/counseling-room/[0-9-]+/([0-9:]+)/"', client.get(url).content.decode())
    time = starts[0]
    target = f"{url}{time}/"
    client.post(
        target,
        {
            "minutes": "60",
            "headcount": "1",
            "purpose": "家庭矛盾",
            "request_key": request_key(client.get(target)),
            "confirm": "1",
        },
    )
    booking = Reservation.objects.get(resident=resident(23))
    assert booking.status == Reservation.Status.PENDING

    client.force_login(resident(24))
    page = text_of(client.get(url))
    booker = resident(23)
    assert "家庭矛盾" not in page and booker.last_name not in page and booker.first_name not in page
    assert "不可用" in page or "unavailable" in page


def test_booking_needs_an_account_and_the_area_of_the_site(client, day, wanliu):
    url = f"/rooms/piano-room/{day.isoformat()}/14:00/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    outsider = resident(25)
    outsider.area = wanliu
    outsider.save()
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 400
    assert wanliu.name in text_of(response)


def test_the_room_list_shows_each_area_its_own_rooms(client, piano, wanliu):
    RoomFactory(area=wanliu, slug="music-room", name="宛六音乐室")
    xhy_rooms = client.get("/rooms/", HTTP_HOST="localhost").content.decode()
    wanliu_rooms = client.get("/rooms/", HTTP_HOST="wanliu.localhost").content.decode()
    assert "钢琴活动室" in xhy_rooms and "钢琴活动室" not in wanliu_rooms
    assert "宛六音乐室" in wanliu_rooms and "宛六音乐室" not in xhy_rooms
    assert client.get("/rooms/piano-room/", HTTP_HOST="wanliu.localhost").status_code == 404


def test_english_pages_speak_english(client, piano):
    page = client.get("/en/rooms/piano-room/")
    assert page.status_code == 200
    assert "Piano activity room" in text_of(page) and "Choose a day" in text_of(page)


def test_room_pages_keep_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, xhy, piano, reading, counseling, multi_function
):
    for room in (piano, reading, counseling, multi_function):
        with_photo(room)
    photo = piano.photo
    for n in range(12):
        Room.objects.create(area=xhy, slug=f"extra-{n}", name=f"房间{n}", photo=photo)
    client.get("/rooms/")  # the first view makes the photos' renditions
    with django_assert_max_num_queries(14):
        assert client.get("/rooms/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/rooms/piano-room/").status_code == 200
