"""GET /api/v1/occurrences (activities/api.py): public, no token; the area is the one of the host
asked; times with their +08:00 offset; filters; our 400 error shape; a fixed number of queries."""

import datetime as dt
from functools import partial

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    ActivitySchedule,
    Occurrence,
)
from tests import schedules
from tests.helpers import english_version

URL = "/api/v1/occurrences"


weekly = partial(schedules.weekly, starts="07:00", ends="08:00", count=4, skip_holidays=False)


def get(client, start, end, **filters):
    return client.get(URL, {"start": str(start), "end": str(end), **filters})


def ok(answer):
    assert answer.status_code == 200, answer.content
    return answer.json()


def assert_error(answer, status, field=None):
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert set(body) >= {"detail", "errors"} and body["detail"]
    if field:
        assert body["errors"][field] and all(isinstance(message, str) for message in body["errors"][field])
    return body


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")  # no token, no login


@pytest.fixture
def sport(db):
    return ActivityCategory.objects.get_or_create(
        slug="api-sport", defaults={"name": "文体", "name_en": "Sport and culture"}
    )[0]


@pytest.fixture
def health(db):
    return ActivityCategory.objects.get_or_create(slug="api-health", defaults={"name": "健康", "name_en": "Health"})[0]


@pytest.fixture
def taiji(make_activity, tuesday, sport, multi_function):
    """Tuesdays and Thursdays at 07:00 for two weeks in 多功能室 (Multi-function room): the second
    Tuesday cancelled, the first Thursday moved to the Saturday at 09:30."""
    return make_activity(
        "晨练太极",
        "api-taiji",
        category=sport,
        room=multi_function,
        schedules=[weekly(1, 3, first=tuesday)],
        changes=[
            {"date": tuesday + dt.timedelta(days=7), "action": "cancel", "note": "老师生病"},
            {
                "date": tuesday + dt.timedelta(days=2),
                "action": "move",
                "new_date": tuesday + dt.timedelta(days=4),
                "new_start_time": dt.time(9, 30),
                "note": "场地调整",
            },
        ],
    )


@pytest.fixture
def pets(make_activity, tuesday, health):
    """Wednesdays at 15:00, twice, in the garden (no room)."""
    return make_activity(
        "宠物知识普及",
        "api-pets",
        category=health,
        place="小区中心花园",
        schedules=[weekly(2, first=tuesday, starts="15:00", ends="16:00", count=2)],
    )


def iso(day, time):
    return f"{day.isoformat()}T{time}:00+08:00"


def test_sessions_with_activity_times_room_and_status(client, taiji, pets, tuesday):
    found = ok(get(client, tuesday, tuesday + dt.timedelta(days=13)))
    assert [item["start"] for item in found] == sorted(item["start"] for item in found)
    assert len(found) == 6

    first = found[0]
    row = Occurrence.objects.get(pk=first["id"])
    assert first == {
        "id": row.pk,
        "uid": row.uid,
        "activity": {"title": "晨练太极", "slug": "api-taiji", "url": "http://localhost/activities/api-taiji/"},
        "category": {"slug": "api-sport", "name": "文体"},
        "start": iso(tuesday, "07:00"),
        "end": iso(tuesday, "08:00"),
        "original_start": iso(tuesday, "07:00"),
        "status": "scheduled",
        "status_display": row.get_status_display(),
        "note": "",
        "room": {"slug": "multi-function-room", "name": "多功能室"},
        "place": "",
        "holiday_pending": False,
    }

    by_start = {item["original_start"]: item for item in found}
    moved = by_start[iso(tuesday + dt.timedelta(days=2), "07:00")]
    assert (moved["status"], moved["start"], moved["end"]) == (
        "moved",
        iso(tuesday + dt.timedelta(days=4), "09:30"),
        iso(tuesday + dt.timedelta(days=4), "10:30"),
    )
    assert moved["note"] == "场地调整"
    cancelled = by_start[iso(tuesday + dt.timedelta(days=7), "07:00")]
    assert (cancelled["status"], cancelled["note"]) == ("cancelled", "老师生病")
    talk = by_start[iso(tuesday + dt.timedelta(days=1), "15:00")]
    assert (talk["room"], talk["place"], talk["category"]["slug"]) == (None, "小区中心花园", "api-health")


def test_both_dates_are_inclusive(client, taiji, pets, tuesday):
    only_tuesday = ok(get(client, tuesday, tuesday))
    assert [(item["activity"]["slug"], item["start"]) for item in only_tuesday] == [
        ("api-taiji", iso(tuesday, "07:00"))
    ]
    ending_that_day = ok(get(client, tuesday - dt.timedelta(days=6), tuesday))
    assert [item["start"] for item in ending_that_day] == [iso(tuesday, "07:00")]


def test_filters_by_activity_and_category(client, taiji, pets, tuesday):
    end = tuesday + dt.timedelta(days=30)
    assert {item["activity"]["slug"] for item in ok(get(client, tuesday, end, activity="api-taiji"))} == {"api-taiji"}
    assert len(ok(get(client, tuesday, end, activity="api-taiji"))) == 4
    assert {item["activity"]["slug"] for item in ok(get(client, tuesday, end, category="api-health"))} == {"api-pets"}
    assert ok(get(client, tuesday, end, activity="api-taiji", category="api-health")) == []

    assert_error(get(client, tuesday, end, activity="no-such-activity"), 404)
    assert_error(get(client, tuesday, end, category="no-such-category"), 404)


def test_bad_dates_are_a_400_in_our_error_shape(client, taiji, tuesday):
    assert_error(get(client, tuesday, tuesday - dt.timedelta(days=1)), 400, "end")
    assert_error(get(client, tuesday, tuesday + dt.timedelta(days=366)), 400, "end")  # 367 days
    assert ok(get(client, tuesday, tuesday + dt.timedelta(days=365)))  # 366 days
    assert_error(client.get(URL, {"end": str(tuesday)}), 400, "start")
    assert_error(client.get(URL, {"start": str(tuesday)}), 400, "end")
    assert_error(get(client, "2026-02-30", tuesday), 400, "start")
    assert_error(get(client, tuesday, "next week"), 400, "end")


def test_errors_come_in_the_callers_language(client, taiji, tuesday):
    answer = client.get(URL, {"start": str(tuesday), "end": "2020-01-01"}, headers={"Accept-Language": "en"})
    body = assert_error(answer, 400, "end")
    assert answer["Content-Language"] == "en"
    assert "before the start" in body["errors"]["end"][0]


def test_public_without_a_token_and_in_the_openapi_schema(client, taiji, tuesday):
    assert [item["activity"]["slug"] for item in ok(get(client, tuesday, tuesday))] == ["api-taiji"]
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert "security" not in operation
    assert {parameter["name"] for parameter in operation["parameters"]} == {"start", "end", "activity", "category"}
    assert "404" in operation["description"]


def test_activities_behind_a_login_are_left_out(client, taiji, pets, tuesday):
    PageViewRestriction.objects.create(page=pets, restriction_type=PageViewRestriction.LOGIN)
    found = ok(get(client, tuesday, tuesday + dt.timedelta(days=13)))
    assert {item["activity"]["slug"] for item in found} == {"api-taiji"}


def test_only_the_sessions_of_the_area_of_the_host(client, taiji, wanliu, tuesday):
    home = wanliu.site.root_page
    index = ActivityIndexPage.objects.child_of(home).first() or home.add_child(
        instance=ActivityIndexPage(title="活动", slug="activities")
    )
    club = ActivityPage(title="宛六读书会", slug="api-wanliu-reading", place="阅览室")
    club.schedules = [ActivitySchedule(**weekly(1, first=tuesday, starts="14:00", ends="15:00", count=2))]
    index.add_child(instance=club)
    club.save_revision().publish()

    end = tuesday + dt.timedelta(days=13)
    here = ok(get(client, tuesday, end))
    assert {item["activity"]["slug"] for item in here} == {"api-taiji"}
    assert {item["id"] for item in here} <= set(
        Occurrence.objects.filter(area__slug="xuhuiyuan").values_list("pk", flat=True)
    )
    assert_error(get(client, tuesday, end, activity="api-wanliu-reading"), 404)
    there = ok(get(Client(HTTP_HOST="wanliu.localhost"), tuesday, end))
    assert {item["id"] for item in there} <= set(Occurrence.objects.filter(area=wanliu).values_list("pk", flat=True))
    club_sessions = [item for item in there if item["activity"]["slug"] == "api-wanliu-reading"]
    assert [item["activity"]["title"] for item in club_sessions] == ["宛六读书会", "宛六读书会"]
    assert club_sessions[0]["activity"]["url"].startswith("http://wanliu.localhost")


def test_english_titles_and_addresses_for_english_callers(client, taiji, tuesday):
    english_version(taiji, "Morning tai chi")

    answer = client.get(URL, {"start": str(tuesday), "end": str(tuesday)}, headers={"Accept-Language": "en"})
    [item] = ok(answer)
    assert answer["Content-Language"] == "en"
    assert item["activity"]["title"] == "Morning tai chi"
    assert item["activity"]["slug"] == "api-taiji"
    assert item["activity"]["url"] == "http://localhost/en/activities/api-taiji/"
    assert item["category"]["name"] == "Sport and culture"
    assert item["room"]["name"] == "Multi-function room"
    assert item["status_display"] == "scheduled"

    [chinese] = ok(get(client, tuesday, tuesday))
    assert chinese["activity"]["title"] == "晨练太极"


def test_a_fixed_number_of_queries(
    client, english_index, make_activity, tuesday, sport, multi_function, django_assert_max_num_queries
):
    hall = multi_function
    pages = [
        make_activity(
            f"活动{n}",
            f"api-many-{n}",
            category=sport,
            room=hall if n % 2 else None,
            place="" if n % 2 else "花园",
            schedules=[weekly(n % 5, first=tuesday, starts=f"{8 + n:02d}:00", ends=f"{8 + n:02d}:45", count=5)],
        )
        for n in range(8)
    ]
    for page in pages[:3]:
        english_version(page, f"Activity {page.slug}")
    assert Occurrence.objects.filter(activity__in=pages).count() == 40
    end = tuesday + dt.timedelta(days=60)
    with django_assert_max_num_queries(6):
        assert len(ok(get(client, tuesday, end))) == 40
    with django_assert_max_num_queries(7):
        found = ok(client.get(URL, {"start": str(tuesday), "end": str(end)}, headers={"Accept-Language": "en"}))
        assert len(found) == 40
        assert len([item for item in found if item["activity"]["title"].startswith("Activity api-many-")]) == 15
    with django_assert_max_num_queries(8):
        assert len(ok(get(client, tuesday, end, activity="api-many-3", category=sport.slug))) == 5


def test_dates_at_the_ends_of_the_calendar_are_refused_saying_why(client, xhy):
    for start, end in (("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")):
        response = client.get("/api/v1/occurrences", {"start": start, "end": end}, HTTP_HOST="localhost")
        assert response.status_code == 400
        assert start in response.json()["errors"]["start"][0] and "1900" in response.json()["errors"]["start"][0]
