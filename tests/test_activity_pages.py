"""What residents see of activities (activities/views.py): the week by day, the month, the plain list,
filters, the marks on cancelled and moved sessions, English pages, the activity page and the home
page's block, each listing with a fixed number of queries."""

import datetime as dt
import re
from functools import partial

import pytest
from django.utils import timezone

from activities.models import ActivityCategory, Occurrence
from tests import schedules
from tests.clock import SHANGHAI
from tests.helpers import main_text, path_of, quiet_monday, says, text

weekly = partial(schedules.weekly, starts="19:00", ends="20:30", skip_holidays=False)


def day_section(response, day):
    """The text under one day's heading of the week, month or list view."""
    html = response.content.decode()
    found = re.search(rf'<section class="session-day" id="day-{day.isoformat()}".*?</section>', html, re.DOTALL)
    return text(found.group(0)) if found else ""


@pytest.fixture
def monday(db):
    """Next week's Monday, or a later one in a week without public holidays."""
    return quiet_monday(1)


@pytest.fixture
def category():
    return ActivityCategory.objects.get_or_create(slug="test-sport", defaults={"name": "测试运动", "name_en": "Sport"})[
        0
    ]


@pytest.fixture
def other_category():
    return ActivityCategory.objects.get_or_create(slug="test-talks", defaults={"name": "测试讲座", "name_en": "Talks"})[
        0
    ]


@pytest.fixture
def taiji(make_activity, monday, category):
    """A Tuesday and Thursday 07:00 class in the garden."""
    return make_activity(
        "测试太极",
        "test-taiji",
        category=category,
        place="小区中心花园",
        schedules=[weekly(1, 3, first=monday, starts="07:00", ends="08:00")],
    )


@pytest.fixture
def url(activity_index):
    return path_of(activity_index)


def test_the_week_shows_each_session_under_its_weekday_and_time(client, url, taiji, monday):
    tuesday, wednesday, thursday = (monday + dt.timedelta(days=n) for n in (1, 2, 3))
    response = client.get(f"{url}week/{wednesday.isoformat()}/")
    assert response.status_code == 200

    assert "07:00–08:00" in day_section(response, tuesday) and "测试太极" in day_section(response, tuesday)
    assert "测试太极" in day_section(response, thursday)
    assert "测试太极" not in day_section(response, wednesday)
    assert "测试太极" not in day_section(response, monday)
    assert "小区中心花园" in day_section(response, tuesday)
    html = response.content.decode()
    assert f'href="{path_of(taiji)}"' in html
    # Seven days, Monday to Sunday, with the neighbouring weeks a tap away.
    assert len(re.findall(r'<section class="session-day"', html)) == 7
    assert f'id="day-{(monday + dt.timedelta(days=6)).isoformat()}"' in html
    assert f'href="{url}week/{(monday - dt.timedelta(days=7)).isoformat()}/"' in html
    assert f'href="{url}week/{(monday + dt.timedelta(days=7)).isoformat()}/"' in html


def test_the_index_opens_on_this_week(client, url, taiji):
    today = timezone.localdate()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="day-{today.isoformat()}"' in html
    assert f'id="day-{(today - dt.timedelta(days=today.weekday())).isoformat()}"' in html


def test_filters_by_kind_and_room_keep_the_choice_across_weeks(
    client, url, make_activity, taiji, monday, other_category, reading
):
    make_activity(
        "测试宠物讲座",
        "test-pets",
        category=other_category,
        room=reading,
        schedules=[weekly(1, first=monday, starts="06:00", ends="06:45")],
    )
    tuesday = monday + dt.timedelta(days=1)
    week = f"{url}week/{monday.isoformat()}/"

    everything = day_section(client.get(week), tuesday)
    assert "测试太极" in everything and "测试宠物讲座" in everything

    sport = client.get(week, {"category": "test-sport"})
    assert "测试太极" in day_section(sport, tuesday) and "测试宠物讲座" not in day_section(sport, tuesday)
    assert f'href="{url}week/{(monday + dt.timedelta(days=7)).isoformat()}/?category=test-sport"' in (
        sport.content.decode()
    )
    assert re.search(r'<option value="test-sport" selected>', sport.content.decode())

    in_reading_room = client.get(week, {"room": "reading-room"})
    assert "测试宠物讲座" in day_section(in_reading_room, tuesday)
    assert "测试太极" not in day_section(in_reading_room, tuesday)
    assert "阅览室" in day_section(in_reading_room, tuesday)

    # The same filters on the month and the list.
    month = client.get(f"{url}month/{tuesday.year}/{tuesday.month}/", {"category": "test-talks"})
    assert "测试宠物讲座" in day_section(month, tuesday) and "测试太极" not in day_section(month, tuesday)
    listed = client.get(f"{url}list/", {"room": "reading-room"})
    assert "测试宠物讲座" in main_text(listed) and "测试太极" not in main_text(listed)

    # An old or mistyped link still shows the week, unfiltered.
    unknown = client.get(week, {"category": "no-such-kind"})
    assert unknown.status_code == 200 and "测试太极" in day_section(unknown, tuesday)


def test_the_month_view_ends_where_the_portal_calendar_ends(client, url, taiji):
    """1900–2999 (portal/dates.py): the first and last months answer, with no link beyond them."""
    first = client.get(f"{url}month/1900/1/")
    assert first.status_code == 200
    assert f'href="{url}month/1899/12/"' not in first.content.decode()
    assert f'href="{url}month/1900/2/"' in first.content.decode()
    last = client.get(f"{url}month/2999/12/")
    assert last.status_code == 200
    assert f'href="{url}month/3000/1/"' not in last.content.decode()
    for beyond in ("1899/12", "3000/1", "0999/1"):
        assert client.get(f"{url}month/{beyond}/").status_code == 404


def test_month_navigation_goes_to_the_neighbouring_months_across_the_new_year(client, url, taiji, monday, clock):
    december = client.get(f"{url}month/2026/12/")
    assert december.status_code == 200
    html = december.content.decode()
    assert f'href="{url}month/2026/11/"' in html and f'href="{url}month/2027/1/"' in html
    assert says(main_text(december), "2026年12月", "December 2026")

    january = client.get(f"{url}month/2027/1/").content.decode()
    assert f'href="{url}month/2026/12/"' in january and f'href="{url}month/2027/2/"' in january

    tuesday = monday + dt.timedelta(days=1)
    month = client.get(f"{url}month/{tuesday.year}/{tuesday.month}/", {"category": "test-sport"})
    assert "07:00–08:00" in day_section(month, tuesday) and "测试太极" in day_section(month, tuesday)
    # Days without sessions are left out of the month's list.
    assert day_section(month, tuesday + dt.timedelta(days=1)) == ""

    # In December, this month's page leads on to January of the next year.
    year = timezone.localdate().year
    clock.move_to(dt.datetime(year, 12, 20, 10, tzinfo=SHANGHAI))
    this_month = client.get(f"{url}month/")
    assert this_month.status_code == 200
    assert f'href="{url}month/{year + 1}/1/"' in this_month.content.decode()


def test_dates_that_do_not_exist_are_not_found(client, url, taiji):
    for path in ("week/2026-02-30/", "week/2026-13-01/", "month/2026/13/", "month/2026/0/", "month/0000/1/"):
        assert client.get(f"{url}{path}").status_code == 404, path
    assert client.get(f"{url}week/2028-02-29/").status_code == 200


def test_the_list_shows_twelve_sessions_a_page(client, url, make_activity, other_category):
    first = timezone.localdate() + dt.timedelta(days=1)
    make_activity(
        "测试阅读会",
        "test-reading",
        category=other_category,
        place="阅览室门口",
        schedules=[weekly(0, 1, 2, 3, 4, 5, 6, first=first, last_date=first + dt.timedelta(days=29))],
    )
    listing = f"{url}list/"
    pages = [client.get(listing, {"category": "test-talks", "page": n}) for n in (1, 2, 3)]
    counts = [len(re.findall(r'<li class="session', page.content.decode())) for page in pages]
    assert counts == [12, 12, 6]
    assert f'href="{listing}?category=test-talks&amp;page=2"' in pages[0].content.decode()
    assert f'href="{listing}?category=test-talks&amp;page=1"' in pages[1].content.decode()
    assert f'href="{listing}?category=test-talks&amp;page=3"' in pages[1].content.decode()
    assert "page=4" not in pages[2].content.decode()
    # In date order: page 2 begins with the 13th day.
    assert f'id="day-{(first + dt.timedelta(days=12)).isoformat()}"' in pages[1].content.decode()
    assert f'id="day-{(first + dt.timedelta(days=11)).isoformat()}"' not in pages[1].content.decode()


def test_cancelled_moved_and_pending_sessions_say_so_in_words(client, url, make_activity, monday, taiji):
    tuesday, thursday, friday = (monday + dt.timedelta(days=n) for n in (1, 3, 4))
    make_activity(
        "测试旗袍班",
        "test-qipao",
        place="活动室",
        schedules=[weekly(1, 3, first=monday, starts="14:00", ends="16:00")],
        changes=[
            {"date": tuesday, "action": "cancel", "note": "老师生病"},
            {"date": thursday, "action": "move", "new_date": friday, "new_start_time": dt.time(9)},
        ],
    )
    Occurrence.objects.filter(activity=taiji, start__date=thursday).update(holiday_pending=True)
    response = client.get(f"{url}week/{monday.isoformat()}/")

    cancelled = day_section(response, tuesday)
    assert says(cancelled, "已取消", "Session cancelled") and "老师生病" in cancelled
    assert re.search(r"<del>\s*14:00–16:00\s*</del>", response.content.decode())

    moved = day_section(response, friday)
    assert "09:00–11:00" in moved and says(moved, "改期", "Rescheduled")
    assert thursday.strftime("%-m") in moved and "14:00" in moved  # the original time
    assert "测试旗袍班" not in day_section(response, thursday)

    assert says(day_section(response, thursday), "节假日安排待定", "Holiday arrangements pending")


def test_a_session_whose_room_is_taken_shows_the_place_as_not_yet_known(client, url, make_activity, monday, reading):
    schedule = [weekly(2, first=monday, starts="06:00", ends="06:45", count=1)]
    make_activity("测试早读", "test-early-reading", room=reading, schedules=schedule)
    make_activity("测试晨练", "test-clash", room=reading, schedules=schedule)
    wednesday = section = day_section(client.get(f"{url}week/{monday.isoformat()}/"), monday + dt.timedelta(days=2))
    clashing = section[section.index("测试晨练") :]
    assert says(clashing, "地点待定", "Place to be confirmed") and "阅览室" not in clashing
    assert "阅览室" in wednesday[: wednesday.index("测试晨练")]


@pytest.fixture
def english(english_index, taiji, en_locale):
    """The English activity index and an English version of the tai chi page."""
    index_en = english_index
    taiji_en = taiji.copy_for_translation(en_locale, alias=False)
    taiji_en.title = "Tai chi"
    taiji_en.save_revision().publish()
    taiji_en.refresh_from_db()
    return index_en, taiji_en


def test_the_english_index_shows_the_same_sessions_with_english_titles(client, url, english, make_activity, monday):
    index_en, taiji_en = english
    qipao = make_activity("测试旗袍班", "test-qipao", schedules=[weekly(1, first=monday, starts="14:00", ends="16:00")])
    tuesday = monday + dt.timedelta(days=1)

    chinese = client.get(f"{url}week/{monday.isoformat()}/")
    response = client.get(f"{path_of(index_en)}week/{monday.isoformat()}/")
    assert response.status_code == 200 and path_of(index_en).startswith("/en/")
    day = day_section(response, tuesday)
    assert "Tai chi" in day and "测试太极" not in day
    assert "测试旗袍班" in day  # no English page: the Chinese title
    html = response.content.decode()
    assert f'href="{path_of(taiji_en)}"' in html and path_of(taiji_en).startswith("/en/")
    assert f'href="{path_of(qipao)}"' in html
    assert "Tuesday" in day and "Week by week" in main_text(response)
    count = len(re.findall(r'<li class="session', chinese.content.decode()))
    assert len(re.findall(r'<li class="session', html)) == count > 0


def test_the_activity_page_shows_where_when_how_and_the_next_sessions(client, make_activity, monday, category, piano):
    page = make_activity(
        "测试合唱团",
        "test-choir",
        category=category,
        room=piano,
        organiser="合唱队 李老师",
        contact_phone="021-6400 1234",
        how_to_join="直接到场，自带水杯。",
        capacity=20,
        schedules=[weekly(0, 3, first=monday, starts="05:30", ends="06:30")],
        changes=[{"date": monday, "action": "cancel", "note": "场地维修"}],
    )
    response = client.get(path_of(page))
    assert response.status_code == 200
    html, page_text = response.content.decode(), main_text(response)
    assert 'href="/rooms/piano-room/"' in html and "钢琴活动室" in page_text
    assert 'href="tel:02164001234"' in html
    assert "合唱队 李老师" in page_text and "直接到场，自带水杯。" in page_text and "测试运动" in page_text
    assert says(page_text, "每周", "every") and "05:30–06:30" in page_text
    assert says(page_text, "20", "20")

    sessions = re.findall(r'<li class="session[^"]*" id="session-(\d+)"', html)
    assert len(sessions) == 8
    upcoming = list(page.sessions().filter(end__gt=timezone.now()).order_by("start")[:8])
    assert [int(pk) for pk in sessions] == [session.pk for session in upcoming]
    first = upcoming[0]
    assert f'href="{path_of(page)}sessions/{upcoming[1].pk}/calendar/"' in html
    assert f'href="{path_of(page)}calendar/"' in html
    assert first.is_cancelled and "场地维修" in page_text and says(page_text, "已取消", "Session cancelled")
    assert f'href="{path_of(page)}sessions/{first.pk}/calendar/"' not in html  # nothing to add for a cancelled session


def test_an_english_activity_page_shows_the_chinese_pages_sessions(client, english, taiji):
    _index_en, taiji_en = english
    response = client.get(path_of(taiji_en))
    assert response.status_code == 200
    shown = re.findall(r'id="session-(\d+)"', response.content.decode())
    expected = taiji.sessions().filter(end__gt=timezone.now()).order_by("start")[:8]
    assert [int(pk) for pk in shown] == [session.pk for session in expected]
    assert "Next sessions" in main_text(response)


def test_the_home_page_lists_the_next_sessions_and_links_to_all_activities(client, make_activity, url, xhy):
    soon = timezone.localdate() + dt.timedelta(days=1)
    page = make_activity(
        "测试晨读",
        "test-morning",
        place="小区花园",
        schedules=[weekly(soon.weekday(), first=soon, starts="00:30", ends="01:00")],
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    block = text(re.search(r'<section class="card" id="activities".*?</section>', html, re.DOTALL).group(0))
    assert "测试晨读" in block and "00:30–01:00" in block and "小区花园" in block
    assert f'href="{path_of(page)}"' in html and f'href="{url}"' in html
    assert (
        len(re.findall(r'<li class="session', re.search(r'id="activities".*?</section>', html, re.DOTALL).group(0)))
        <= 5
    )


@pytest.fixture
def many_activities(make_activity, category, monday):
    """40 activities, every day of the week in view: 280 sessions."""
    for n in range(40):
        make_activity(
            f"测试活动{n}",
            f"test-many-{n}",
            category=category,
            place=f"{n}号楼前",
            schedules=[weekly(0, 1, 2, 3, 4, 5, 6, first=monday, last_date=monday + dt.timedelta(days=6))],
        )
    return monday


def test_the_listings_keep_a_fixed_number_of_queries(
    client, url, many_activities, other_category, django_assert_max_num_queries
):
    monday = many_activities
    views = {
        "week": f"{url}week/{monday.isoformat()}/",
        "month": f"{url}month/{monday.year}/{monday.month}/",
        "list": f"{url}list/",
    }
    client.get(views["week"])  # caches the sites' root paths, as on a running site
    for view, budget in (("week", 20), ("month", 20), ("list", 21)):
        with django_assert_max_num_queries(budget) as crowded:
            response = client.get(views[view])
        shown = len(re.findall(r'<li class="session', response.content.decode()))
        assert shown >= (280 if view == "week" else 12), view
        with django_assert_max_num_queries(budget) as empty:
            response = client.get(views[view], {"category": "test-talks"})  # a kind with no sessions
        assert '<li class="session' not in response.content.decode()
        # The same queries with hundreds of sessions as with none (a page of nothing skips its one read).
        assert len(crowded) == len(empty) + (view == "list"), view


def test_the_english_listing_keeps_a_fixed_number_of_queries(
    client, english, many_activities, other_category, django_assert_max_num_queries
):
    index_en, _taiji_en = english
    week = f"{path_of(index_en)}week/{many_activities.isoformat()}/"
    client.get(week)
    with django_assert_max_num_queries(23) as crowded:
        response = client.get(week)
    assert len(re.findall(r'<li class="session', response.content.decode())) >= 280
    assert "Tai chi" in main_text(response)
    with django_assert_max_num_queries(23) as empty:
        client.get(week, {"category": "test-talks"})
    # Titles in English cost one query for all the translations (none without sessions).
    assert len(crowded) <= len(empty) + 1


def test_the_home_page_keeps_a_fixed_number_of_queries(client, many_activities, django_assert_max_num_queries):
    client.get("/")
    # The budget leaves room for the home page's other blocks (who is on duty, ...), empty here.
    with django_assert_max_num_queries(34) as crowded:
        response = client.get("/")
    block = re.search(r'id="activities".*?</section>', response.content.decode(), re.DOTALL).group(0)
    assert len(re.findall(r'<li class="session', block)) == 5
    Occurrence.objects.filter(activity__slug__startswith="test-many-").delete()
    with django_assert_max_num_queries(34) as empty:
        client.get("/")
    assert len(crowded) == len(empty)


def test_an_area_sees_only_its_own_sessions(client, taiji, monday, wanliu):
    from activities.models import ActivityIndexPage

    home = wanliu.site.root_page
    index = ActivityIndexPage.objects.child_of(home).first() or home.add_child(
        instance=ActivityIndexPage(title="活动", slug="activities")
    )
    response = client.get(f"/activities/week/{monday.isoformat()}/", HTTP_HOST="wanliu.localhost")
    assert response.status_code == 200 and path_of(index) == "/activities/"
    assert "测试太极" not in response.content.decode()
    assert says(day_section(response, monday + dt.timedelta(days=1)), "这一天没有活动", "No activities on this day.")
