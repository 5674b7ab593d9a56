"""Whole pages kept for anonymous visitors (portal/page_cache.py): found again without a query,
never one person's state, fresh at once after a change, and at most a minute old."""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from booking.models import Reservation
from portal import page_cache as kept_pages
from staff.models import Duty, ScheduleWeek, Shift, StaffMember
from tests.helpers import client_for, main_text
from tests.test_notices import add_notice, notice_board


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def queries(client, url, **extra):
    """The page and how many queries making it took."""
    with CaptureQueriesContext(connection) as done:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(done)


def test_an_anonymous_visitor_gets_a_kept_page_without_a_query(client, xhy, django_assert_num_queries):
    first, made = queries(client, "/")
    assert made > 0
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content
    assert again["Vary"] == first["Vary"] and "Cookie" in again["Vary"]
    assert again.get("Set-Cookie") is None and not again.cookies
    headers = {name: value for name, value in first.items() if name != "X-Request-ID"}
    assert {name: value for name, value in again.items() if name != "X-Request-ID"} == headers
    assert again["Content-Language"] == "zh-hans"


def test_the_csrf_cookie_alone_still_gets_the_kept_page(client, xhy, django_assert_num_queries):
    client.get("/")
    client.cookies["csrftoken"] = "a" * 32
    with django_assert_num_queries(0):
        client.get("/")


@pytest.fixture
def replayed(monkeypatch):
    """The addresses answered with a visitors' kept whole page during the test (a page made
    afresh may cost no query either, once every part of it is kept). The visitors' cache answers
    before the account is looked at; the residents' (tests/test_shared_pages.py) after."""
    served = []
    replay = kept_pages.replay

    def noting(request, kept):
        if not hasattr(request, "user"):
            served.append(request.get_full_path())
        return replay(request, kept)

    monkeypatch.setattr(kept_pages, "replay", noting)
    return served


def test_a_signed_in_resident_never_gets_nor_leaves_a_visitors_kept_page(client, xhy, resident, replayed):
    """Residents share pages among themselves (tests/test_shared_pages.py), never with visitors."""
    client.force_login(resident)
    theirs, made = queries(client, "/")
    assert made > 0
    theirs_again, made_again = queries(client, "/")
    assert made_again > 0
    assert "no-store" in theirs_again["Cache-Control"] or "private" in theirs_again["Cache-Control"]

    client.logout()
    anonymous, _made = queries(client, "/")
    assert replayed == []  # the resident's page was not kept for others
    assert resident.last_name + resident.first_name not in anonymous.content.decode()


def test_a_visitor_with_a_session_is_not_served_kept_pages(client, xhy):
    """Signing in, or a message waiting: the session is theirs, and reading it would cost a query."""
    queries(client, "/")
    client.cookies["sessionid"] = "x" * 32
    _page, made = queries(client, "/")
    assert made > 0


def test_large_mode_and_english_are_kept_apart(client, xhy, en_locale, replayed):
    from tests.helpers import english_home

    english_home(xhy, "Xuhuiyuan residents' area")
    chinese, _made = queries(client, "/")
    english, made = queries(client, "/en/")
    assert made > 0 and 'lang="en"' in english.content.decode()
    client.cookies["large_mode"] = "1"
    large, _made = queries(client, "/")
    assert replayed == [] and large.content != chinese.content
    _large_again, made = queries(client, "/")
    assert made == 0
    del client.cookies["large_mode"]
    assert queries(client, "/")[0].content == chinese.content


def test_a_page_with_a_form_is_not_kept(client, xhy):
    """A password-protected page asks for its password in a form carrying the CSRF token."""
    PageViewRestriction.objects.create(
        page=xhy.site.root_page, restriction_type=PageViewRestriction.PASSWORD, password="correct horse"
    )
    form, _made = queries(client, "/")
    assert "csrfmiddlewaretoken" in form.content.decode()
    _again, made = queries(client, "/")
    assert made > 0
    other = client.__class__()
    assert queries(other, "/")[1] > 0


def test_a_published_notice_shows_at_once(client, xhy):
    board = notice_board(xhy.site.root_page)
    queries(client, "/notices/")
    add_notice(board, "停水通知", "water")
    assert "停水通知" in main_text(client.get("/notices/"))


def test_a_booking_shows_on_the_rooms_day_at_once(client, piano):
    day = timezone.localdate() + dt.timedelta(days=3)
    url = f"/rooms/piano-room/{day.isoformat()}/"
    before, _made = queries(client, url)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))
    Reservation.objects.create(
        room=piano, kind=Reservation.Kind.CLASS, start=start, end=start + dt.timedelta(hours=1), label="旗袍班"
    )
    after = main_text(client.get(url))
    assert "旗袍班" in after and "旗袍班" not in main_text(before)


def test_shifts_planned_in_bulk_show_at_once(client, xhy):
    """The staff planner writes shifts with bulk_create, which sends no signal."""
    from staff.models import StaffSchedulePage

    schedule = xhy.site.root_page.add_child(instance=StaffSchedulePage(title="工作人员在哪里", slug="staff-schedule"))
    schedule.save_revision().publish()
    member = StaffMember.objects.create(area=xhy, name="钱芳", role="社工")
    queries(client, "/staff-schedule/")
    now = timezone.now()
    week = ScheduleWeek.objects.create(
        area=xhy, monday=timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday()), published_at=now
    )
    Shift.objects.bulk_create(
        [Shift(week=week, staff=member, duty=Duty.RECEPTION, desk=1, start=now, end=now + dt.timedelta(hours=1))]
    )
    assert "钱芳" in main_text(client.get("/staff-schedule/"))


def test_a_kept_page_is_at_most_a_minute_old(client, xhy, clock):
    """Whole pages and the parts they are made of are each kept for half a minute, so a page
    made from a part kept until its last moment is still at most a minute old."""
    queries(client, "/")
    clock.shift(dt.timedelta(seconds=25))
    assert queries(client, "/")[1] == 0
    clock.shift(dt.timedelta(seconds=6))
    assert queries(client, "/")[1] > 0


def test_the_api_is_never_kept(client, piano, resident_token):
    """An API client signs in with a header, not a cookie: its answers are its own."""
    url = "/api/v1/rooms"
    assert client.get(url, headers={"Authorization": f"Bearer {resident_token}"}).status_code == 200
    assert client.get(url).status_code == 401


def test_a_residents_permissions_are_kept_until_they_change(client, xhy, resident):
    """Every signed-in page asks whether the reader may use the admin (Wagtail's user bar)."""
    client.force_login(resident)
    client.get("/")
    with CaptureQueriesContext(connection) as done:
        page = client.get("/")
    assert not any("auth_permission" in query["sql"] for query in done.captured_queries)
    assert "userbar" not in page.content.decode()
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    resident.groups.add(editors)
    assert "userbar" in client.get("/").content.decode()


def test_an_editors_preview_never_reaches_readers(client, xhy, xhy_staff):
    """Parts of pages are kept by {% wagtailcache %}, which leaves previews out: a draft seen in
    the admin's preview is not what the next reader gets."""
    from tests.forms import editor_form_data

    draft = "草稿：还没有发布的欢迎词"
    home = xhy.site.root_page.specific
    editor = client_for(xhy_staff)
    edit_url = f"/admin/pages/{home.pk}/edit/"
    form = editor_form_data(editor.get(edit_url).content.decode(), home)
    assert editor.post(f"{edit_url}preview/", {**form, "intro": draft}).json()["is_valid"]
    assert draft in editor.get(f"{edit_url}preview/?mode=").content.decode()
    # The preview is made for the site's own host; so are the pages readers get.
    site = xhy.site
    host = site.hostname if site.port == 80 else f"{site.hostname}:{site.port}"
    assert draft not in client.get("/", HTTP_HOST=host).content.decode()
    assert draft not in editor.get("/", HTTP_HOST=host).content.decode()


@pytest.mark.parametrize("path", ["/", "/robots.txt", "/no-such-page/"])
def test_a_host_not_served_gets_the_400_page_with_parts_kept(client, xhy, settings, path):
    """The parts of pages are kept per host; a host ALLOWED_HOSTS refuses still gets its plain 400
    page, not a 500 from asking for the host again while making it."""
    settings.ALLOWED_HOSTS = ["xuhuiyuan.example.cn"]
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1" in response.content.decode()


def test_the_timers_and_the_outbox_leave_kept_pages_alone(client, xhy, django_assert_num_queries):
    """The timer's bookkeeping and outgoing messages change no page: a minute's heartbeat must not
    make every page again."""
    from portal import outbox
    from portal.models import TimerRun

    queries(client, "/")
    TimerRun.objects.create(name="heartbeat", started_at=timezone.now())
    outbox.text("+8613900000001", "booking_confirmed", {"room": "钢琴活动室", "when": "12月9日 10:00"})
    with django_assert_num_queries(0):
        client.get("/")


def test_a_write_through_another_server_renews_the_pages_this_one_keeps_nearby(client, xhy, django_assert_num_queries):
    """Each process keeps the pages it served last in its own memory too (page_cache.nearby), but
    checks them against the generation in the shared cache on every request."""
    first, _made = queries(client, "/")
    with django_assert_num_queries(0):
        client.get("/")
    cache.set(kept_pages.GENERATION_KEY, time.time_ns(), None)  # as another server's write does
    _again, made = queries(client, "/")
    assert made > 0


def test_a_page_another_server_kept_is_served_here_without_a_query(client, xhy, django_assert_num_queries):
    first, _made = queries(client, "/")
    kept_pages.nearby.clear()  # this process never saw it
    with django_assert_num_queries(0):
        assert client.get("/").content == first.content
