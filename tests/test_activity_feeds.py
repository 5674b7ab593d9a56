"""iCal feeds of activity sessions (activities/feeds.py), parsed back with the icalendar library as a
calendar app would: one event per session, UIDs that survive a regeneration and a move, Shanghai
times with their VTIMEZONE, cancelled sessions marked, category filter, English words under /en/,
the single-session "add to calendar" file, and a fixed number of queries."""

import datetime as dt
from functools import partial

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from activities import sessions
from activities.models import ActivityCategory, ActivityPage, Occurrence
from tests import schedules
from tests.helpers import english_version

weekly = partial(schedules.weekly, starts="07:00", ends="08:00", count=4, skip_holidays=False)


def events(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, calendar.walk("VEVENT")


def by_uid(found):
    return {str(event["uid"]): event for event in found}


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def sport(db):
    return ActivityCategory.objects.get_or_create(
        slug="feeds-sport", defaults={"name": "文体", "name_en": "Sport and culture"}
    )[0]


@pytest.fixture
def health(db):
    return ActivityCategory.objects.get_or_create(slug="feeds-health", defaults={"name": "健康", "name_en": "Health"})[
        0
    ]


@pytest.fixture
def hall(multi_function):
    """多功能室 (Multi-function room), on the second floor of 5号楼."""
    multi_function.location = "5号楼二层（有电梯）"
    multi_function.save()
    return multi_function


@pytest.fixture
def taiji(make_activity, tuesday, sport, hall):
    """Tai chi in 多功能室 on Tuesdays and Thursdays at 06:00 (22:00 the day before in UTC) for two
    weeks; the second Tuesday is cancelled."""
    return make_activity(
        "晨练太极",
        "feeds-taiji",
        category=sport,
        room=hall,
        summary="早上六点，多功能室，自带水杯。",
        schedules=[weekly(1, 3, first=tuesday, starts="06:00", ends="07:00")],
        changes=[{"date": tuesday + dt.timedelta(days=7), "action": "cancel", "note": "老师生病"}],
    )


@pytest.fixture
def pets(make_activity, tuesday, health):
    """Wednesdays at 15:00, twice, in the garden (no room)."""
    return make_activity(
        "宠物知识普及",
        "feeds-pets",
        category=health,
        place="小区中心花园",
        schedules=[weekly(2, first=tuesday, starts="15:00", ends="16:00", count=2)],
    )


def area_feed(index, language=""):
    return f"{language}/activities/{index.reverse_subpage('feed')}"


def activity_feed(page, language=""):
    return f"{language}/activities/{page.slug}/{page.reverse_subpage('feed')}"


def session_file(page, session):
    return f"/activities/{page.slug}/{page.reverse_subpage('session_ics', kwargs={'pk': session.pk})}"


def session_on(page, day):
    return Occurrence.objects.get(activity=page, original_start__date=day)


def test_the_area_feed_has_one_event_per_session_in_shanghai_time(client, activity_index, taiji, pets, tuesday):
    calendar, found = events(client.get(area_feed(activity_index)))
    rows = list(Occurrence.objects.filter(activity__in=[taiji, pets]))
    assert len(rows) == 6
    assert by_uid(found).keys() >= {row.uid for row in rows}
    assert len({str(event["uid"]) for event in found}) == len(found)  # no session twice

    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"
    assert "徐汇苑居民区" in str(calendar["x-wr-calname"])

    first = by_uid(found)[session_on(taiji, tuesday).uid]
    assert first["dtstart"].params["TZID"] == "Asia/Shanghai"
    starts = first.decoded("dtstart")
    assert (starts.date(), starts.time(), starts.weekday()) == (tuesday, dt.time(6), 1)
    in_utc = starts.astimezone(dt.UTC)
    assert (in_utc.weekday(), in_utc.time()) == (0, dt.time(22))  # Monday 22:00 UTC
    assert first.decoded("dtend") - starts == dt.timedelta(hours=1)
    assert str(first["summary"]) == "晨练太极"
    assert str(first["location"]) == "多功能室, 5号楼二层（有电梯）"
    assert "自带水杯" in str(first["description"])
    assert str(first["url"]).endswith("/activities/feeds-taiji/")
    assert str(first["status"]) == "CONFIRMED"
    assert first.decoded("sequence") == 0

    talk = by_uid(found)[session_on(pets, tuesday + dt.timedelta(days=1)).uid]
    assert str(talk["location"]) == "小区中心花园"
    assert talk.decoded("dtstart").time() == dt.time(15)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled_with_its_reason(client, taiji, tuesday):
    cancelled = session_on(taiji, tuesday + dt.timedelta(days=7))
    _, found = events(client.get(activity_feed(taiji)))
    event = by_uid(found)[cancelled.uid]
    assert str(event["status"]) == "CANCELLED"
    assert "老师生病" in str(event["description"])
    others = [e for e in found if str(e["uid"]) != cancelled.uid]
    assert len(others) == 3 and {str(e["status"]) for e in others} == {"CONFIRMED"}


def test_uids_survive_a_regeneration_and_a_move_raises_the_sequence(client, taiji, tuesday):
    feed = activity_feed(taiji)
    before = {str(e["uid"]): e.decoded("dtstart") for e in events(client.get(feed))[1]}

    sessions.regenerate(taiji)
    taiji.save_revision().publish()
    after = {str(e["uid"]): e.decoded("dtstart") for e in events(client.get(feed))[1]}
    assert after == before

    thursday = tuesday + dt.timedelta(days=2)
    moved_to = tuesday + dt.timedelta(days=4)  # the Saturday, at 09:30
    page = ActivityPage.objects.get(pk=taiji.pk)
    page.session_changes = [
        *page.session_changes.all(),
        page.session_changes.model(
            date=thursday, action="move", new_date=moved_to, new_start_time=dt.time(9, 30), note="场地调整"
        ),
    ]
    page.save_revision().publish()

    _, found = events(client.get(feed))
    uid = session_on(taiji, thursday).uid
    assert {str(e["uid"]) for e in found} == set(before)  # same sessions, same UIDs
    event = by_uid(found)[uid]
    assert event.decoded("dtstart") == timezone.make_aware(dt.datetime.combine(moved_to, dt.time(9, 30)))
    assert event.decoded("dtend") == timezone.make_aware(dt.datetime.combine(moved_to, dt.time(10, 30)))
    assert event.decoded("sequence") >= 1
    assert str(event["status"]) == "CONFIRMED"
    assert "场地调整" in str(event["description"])


def test_the_category_filter(client, activity_index, taiji, pets, sport, health):
    _, sport_events = events(client.get(area_feed(activity_index), {"category": sport.slug}))
    assert {str(e["summary"]) for e in sport_events} == {"晨练太极"}
    assert len(sport_events) == 4
    calendar, health_events = events(client.get(area_feed(activity_index), {"category": health.slug}))
    assert {str(e["summary"]) for e in health_events} == {"宠物知识普及"}
    assert "健康" in str(calendar["x-wr-calname"])
    assert client.get(area_feed(activity_index), {"category": "no-such-thing"}).status_code == 404


def test_feeds_are_plain_urls_to_subscribe_to(client, activity_index, taiji):
    feed = client.get(activity_feed(taiji))  # no login
    assert feed.status_code == 200
    assert feed["Content-Disposition"] == 'inline; filename="feeds-taiji.ics"'
    assert "max-age=300" in feed["Cache-Control"]
    area = client.get(area_feed(activity_index))
    assert area["Content-Disposition"] == 'inline; filename="xuhuiyuan-activities.ics"'
    assert "max-age=300" in area["Cache-Control"]


def test_the_english_feed_uses_the_english_title(client, activity_index, taiji, tuesday):
    english_version(taiji, "Morning tai chi", summary="06:00 in the multi-function room; bring a water bottle.")
    calendar, found = events(client.get(activity_feed(taiji, "/en")))
    assert len(found) == 4
    assert {str(e["summary"]) for e in found} == {"Morning tai chi"}
    assert str(calendar["x-wr-calname"]) == "Morning tai chi"
    first = by_uid(found)[session_on(taiji, tuesday).uid]  # the same UIDs as the Chinese feed
    assert str(first["location"]).startswith("Multi-function room")
    assert "bring a water bottle" in str(first["description"])
    assert "/en/activities/feeds-taiji/" in str(first["url"])

    _, area_events = events(client.get(area_feed(activity_index, "/en")))
    assert "Morning tai chi" in {str(e["summary"]) for e in area_events}
    assert "晨练太极" not in {str(e["summary"]) for e in area_events}


def test_one_session_as_a_file_to_add(client, taiji, pets, tuesday):
    session = session_on(taiji, tuesday)
    answer = client.get(session_file(taiji, session))
    calendar, found = events(answer)
    assert answer["Content-Disposition"].startswith("attachment;")
    assert f"{tuesday:%Y%m%d}-0600.ics" in answer["Content-Disposition"]
    assert len(found) == 1 and str(found[0]["uid"]) == session.uid
    assert found[0].decoded("dtstart") == session.local_start
    assert calendar.walk("VTIMEZONE")

    cancelled = session_on(taiji, tuesday + dt.timedelta(days=7))
    _, found = events(client.get(session_file(taiji, cancelled)))
    assert str(found[0]["status"]) == "CANCELLED"

    talk = session_on(pets, tuesday + dt.timedelta(days=1))
    assert client.get(session_file(taiji, talk)).status_code == 404
    assert client.get(session_file(taiji, Occurrence(pk=999999))).status_code == 404


def test_another_areas_sessions_are_not_in_the_feed(client, activity_index, taiji, wanliu, tuesday):
    from activities.models import ActivityIndexPage

    home = wanliu.site.root_page
    index = ActivityIndexPage.objects.child_of(home).first() or home.add_child(
        instance=ActivityIndexPage(title="活动", slug="activities")
    )
    club = ActivityPage(title="宛六读书会", slug="feeds-wanliu-reading", place="阅览室")
    club.schedules = [
        ActivityPage.schedules.rel.related_model(**weekly(1, first=tuesday, starts="14:00", ends="15:00", count=2))
    ]
    index.add_child(instance=club)
    club.save_revision().publish()
    assert Occurrence.objects.filter(activity=club).count() == 2

    _, here = events(client.get(area_feed(activity_index)))
    assert "宛六读书会" not in {str(e["summary"]) for e in here}
    _, there = events(Client(HTTP_HOST="wanliu.localhost").get(area_feed(index)))
    assert "宛六读书会" in {str(e["summary"]) for e in there}
    assert "晨练太极" not in {str(e["summary"]) for e in there}


def test_feeds_make_a_fixed_number_of_queries(
    client, activity_index, english_index, make_activity, tuesday, sport, hall, django_assert_max_num_queries
):
    pages = [
        make_activity(
            f"活动{n}",
            f"feeds-many-{n}",
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

    with django_assert_max_num_queries(15):
        _, found = events(client.get(area_feed(activity_index)))
    assert len(found) == 40
    with django_assert_max_num_queries(15):
        _, found = events(client.get(area_feed(activity_index, "/en"), {"category": sport.slug}))
    assert len([e for e in found if str(e["summary"]).startswith("Activity ")]) == 15
    with django_assert_max_num_queries(15):
        _, found = events(client.get(activity_feed(pages[1])))
    assert len(found) == 5
