import io
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test.client import ClientMixin
from django.utils import translation
from wagtail.models import Locale, Page

from portal import locales, page_cache
from portal.models import Area, User

from . import clock as suite_clock
from . import demo_snapshot, factories


@pytest.fixture(scope="session", autouse=True)
def suite_moment():
    """The moment every test starts at (tests/clock.py): the clock travels there before the
    database is set up and the demo snapshot taken."""
    moment = suite_clock.suite_moment()
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture(autouse=True)
def clock(suite_moment):
    """Each test starts at the suite's moment (or just after the shared rows were stored:
    tests/clock.py), whatever the tests before it took, so a run that crosses midnight still
    sees one day. `clock.move_to(...)` and `clock.shift(...)` move it within a test."""
    with time_machine.travel(suite_clock.test_start(suite_moment), tick=True) as traveller:
        # Rate limits and cached pages of earlier tests would be dated in this test's future.
        cache.clear()
        yield traveller
        cache.clear()


@pytest.fixture(autouse=True)
def cold_process_caches():
    """Query budgets count the same whichever tests ran before: content types are looked up
    afresh in each test, as in a newly started worker."""
    ContentType.objects.clear_cache()
    locales.forget()
    page_cache.nearby.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language (Chinese), as a command or a new worker does: a page
    served under /en/ leaves English active in the thread (LocaleMiddleware does not undo it), and
    a test after it must not read what it says in English by chance."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path, monkeypatch):
    from django.core.files.storage import storages

    from outreach.models import Suggestion

    settings.MEDIA_ROOT = tmp_path / "media"
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": tmp_path / "private"}},
    }
    # A field's callable storage is looked up once, when the model is loaded: point it at the new one.
    monkeypatch.setattr(Suggestion._meta.get_field("photo"), "storage", storages["private"])


@pytest.fixture(scope="session", autouse=True)
def migrated(suite_moment, django_db_setup, django_db_blocker):
    """The database as the migrations left it (root page, locales, groups, permissions), taken
    before any test runs."""
    with django_db_blocker.unblock():
        snapshot = demo_snapshot.take()
    suite_clock.settle()
    return snapshot


@pytest.fixture
def migrated_db(migrated, transactional_db):
    """A transactional database holding exactly what the migrations created.

    Transactional tests empty every table afterwards, and post_migrate handlers then refill
    some of them with new ids. Django's serialized rollback would put the rows back, but it
    keeps them on the thread's connection object, which threads and Playwright's greenlets do
    not share, so this fixture puts them back itself.
    """
    if demo_snapshot.fingerprint() != migrated.digest:
        migrated.restore()


@pytest.fixture
def demo(db, migrated):
    """The demo residents' areas, as `make run` loads them."""
    demo_snapshot.seed_demo(migrated)
    return {area.slug: area for area in Area.objects.select_related("site__root_page")}


def from_demo(request):
    """Whether the test loads the demo (asks for `demo`, or its module is marked
    `pytestmark = pytest.mark.usefixtures("demo")`): then the people and areas below are the
    demo's, otherwise each is built bare with the demo's names."""
    return "demo" in request.fixturenames


@pytest.fixture
def xhy(request, db):
    """徐汇苑居民区 on localhost (the default site), twelve buildings."""
    if from_demo(request):
        return request.getfixturevalue("demo")["xuhuiyuan"]
    return factories.AreaFactory(name="徐汇苑居民区", slug="xuhuiyuan", hostname="localhost", default=True)


@pytest.fixture
def wanliu(request, db):
    """宛六居民区 on wanliu.localhost, thirty buildings."""
    if from_demo(request):
        return request.getfixturevalue("demo")["wanliu"]
    return factories.AreaFactory(
        name="宛六居民区", slug="wanliu", hostname="wanliu.localhost", buildings=30, office_phone="021-64000002"
    )


@pytest.fixture
def xhy_staff(request, xhy):
    if from_demo(request):
        return User.objects.get(username="xhy-staff")
    return factories.StaffUserFactory(area=xhy, username="xhy-staff")


@pytest.fixture
def wanliu_staff(request, wanliu):
    if from_demo(request):
        return User.objects.get(username="wl-staff")
    return factories.StaffUserFactory(area=wanliu, username="wl-staff", last_name="沈", first_name="立新")


@pytest.fixture
def supervisor(request, db):
    if from_demo(request):
        return User.objects.get(username="supervisor")
    return factories.SupervisorFactory()


@pytest.fixture
def resident(request, xhy):
    """A confirmed resident of 徐汇苑居民区: 13900000001, password "portal-demo" (the demo's first)."""
    if from_demo(request):
        return User.objects.get(phone="+8613900000001")
    return factories.ResidentFactory(area=xhy, phone="+8613900000001", username="resident-01")


# 徐汇苑's rooms, each with every rule its tests rely on spelled out (tests/factories.py).


def room_of(request, area, **fields):
    """The demo's room of this slug when the test loads the demo, otherwise one built with these fields."""
    if from_demo(request):
        from booking.models import Room

        return Room.objects.get(area=area, slug=fields["slug"])
    return factories.RoomFactory(area=area, **fields)


@pytest.fixture
def piano(request, xhy):
    """钢琴活动室: daily 08:30–11:30 and 13:30–20:30, 30-minute slots, 30 to 120 minutes, a
    15-minute buffer, for 20 people; 14 days ahead, 60 minutes' notice and cut-off, 15 minutes'
    check-in grace, 2 upcoming bookings and 4 hours a week per resident."""
    return room_of(
        request,
        xhy,
        name="钢琴活动室",
        name_en="Piano activity room",
        slug="piano-room",
        capacity=20,
        opening=factories.daily("08:30", "11:30", "13:30", "20:30"),
        slot_minutes=30,
        min_minutes=30,
        max_minutes=120,
        buffer_minutes=15,
        window_days=14,
        notice_minutes=60,
        cancel_cutoff_minutes=60,
        check_in_grace_minutes=15,
        max_active_bookings=2,
        max_hours_per_week=4,
        sort_order=0,
    )


@pytest.fixture
def reading(request, xhy):
    """阅览室: daily 08:30–17:00, no buffer, up to 180 minutes and 8 hours a week."""
    return room_of(
        request,
        xhy,
        name="阅览室",
        name_en="Reading room",
        slug="reading-room",
        capacity=12,
        opening=factories.daily("08:30", "17:00"),
        buffer_minutes=0,
        max_minutes=180,
        max_hours_per_week=8,
        sort_order=1,
    )


@pytest.fixture
def counseling(request, xhy):
    """谈心室: Monday to Friday 09:00–11:30 and 14:00–17:00, exactly 60 minutes, bookings need
    staff approval, who booked is hidden, one upcoming booking per resident."""
    return room_of(
        request,
        xhy,
        name="谈心室",
        name_en="Counseling room",
        slug="counseling-room",
        capacity=4,
        opening=factories.daily("09:00", "11:30", "14:00", "17:00", days=range(5)),
        min_minutes=60,
        max_minutes=60,
        needs_approval=True,
        hide_bookings=True,
        max_active_bookings=1,
        sort_order=2,
    )


@pytest.fixture
def multi_function(request, xhy):
    """多功能室: daily 07:00–21:00, 60 to 180 minutes, a 30-minute buffer, for 40 people."""
    return room_of(
        request,
        xhy,
        name="多功能室",
        name_en="Multi-function room",
        slug="multi-function-room",
        capacity=40,
        opening=factories.daily("07:00", "21:00"),
        min_minutes=60,
        max_minutes=180,
        buffer_minutes=30,
        sort_order=3,
    )


@pytest.fixture
def holidays(db):
    """The statutory days off and make-up working days chinesecalendar knows (portal.Holiday)."""
    from django.core.management import call_command

    call_command("load_holidays", stdout=io.StringIO())


@pytest.fixture
def recording(settings):
    """Views note the query keys they read (tests/walker.py), and rate limits step aside:
    they would answer most of a walk's requests with 429 before the view reads anything."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.walker.RecordQueryKeys"]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = settings.SMS_CODES_PER_HOUR = 10**9


@pytest.fixture
def en_locale(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def page_of(area, slug=None, language="zh-hans"):
    """A live page of an area's tree in one language (its home page when slug is None)."""
    home = area.site.root_page
    if language != home.locale.language_code:
        home = home.get_translation(Locale.objects.get(language_code=language))
    if slug is None:
        return home.specific
    return Page.objects.child_of(home).get(slug=slug).specific


def run_project(*args, settings_module="portal.settings.dev", **env):
    """Run Python in the project folder as a fresh process, with only PATH and the
    given variables in its environment (so settings read exactly what a test sets)."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": settings_module, **env},
    )


def django_says(expression, **kwargs):
    """What a Python expression evaluates to in a freshly set-up Django process."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"from django.core.cache import cache; print({expression})"
    )
    result = run_project("-c", code, **kwargs)
    return result.stdout.strip() or result.stderr


@pytest.fixture
def resident_token(resident):
    """A bearer token of the resident for the JSON API: headers={"Authorization": f"Bearer {resident_token}"}."""
    from portal.models import ApiToken

    return ApiToken.objects.issue(resident)[1]


@pytest.fixture
def sms_outbox():
    """The text messages sent during the test (tests use portal.sms.MemorySender), oldest first."""
    from portal import sms

    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def activity_index(xhy):
    """徐汇苑's activity index page (the demo's, or a new one)."""
    from activities.models import ActivityIndexPage

    home = xhy.site.root_page
    index = ActivityIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=ActivityIndexPage(title="活动", slug="activities"))
    return index


@pytest.fixture
def english_index(activity_index, en_locale):
    """徐汇苑's English home page and activity index ("Activities"), translations of their own
    (not aliases) as the site has them."""
    activity_index.get_parent().specific.copy_for_translation(en_locale).save_revision().publish()
    index_en = activity_index.copy_for_translation(en_locale)
    index_en.title = "Activities"
    index_en.save_revision().publish()
    return index_en


@pytest.fixture
def make_activity(activity_index):
    """Create and publish an activity page: make_activity("太极", "taiji", room=room,
    schedules=[{"weekdays": [1, 3], "first_date": ..., "start_time": ..., "end_time": ...}],
    changes=[{"date": ..., "action": "cancel", "note": "..."}], capacity=..., ...)."""
    from activities.models import ActivityPage, ActivitySchedule, SessionChange

    def make(title, slug, *, schedules=(), changes=(), publish=True, **fields):
        page = ActivityPage(title=title, slug=slug, **fields)
        page.schedules = [ActivitySchedule(**schedule) for schedule in schedules]
        page.session_changes = [SessionChange(**change) for change in changes]
        activity_index.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.unpublish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def tuesday(db):
    """A Tuesday three weeks ahead or more, with no public holiday from the day before to three
    weeks after (so weekly sessions from it are not skipped)."""
    import datetime as dt

    from django.utils import timezone

    from portal.models import Holiday

    day = timezone.localdate() + dt.timedelta(days=21)
    day += dt.timedelta(days=(1 - day.weekday()) % 7)
    while Holiday.days_off(day - dt.timedelta(days=1), day + dt.timedelta(days=20)):
        day += dt.timedelta(days=7)
    return day


# Two-step verification (portal/two_factor.py): a test signing someone in with force_login gets
# the session a real sign-in with the code would, verified by a device where the role needs one.
# Tests of the second step itself sign in with `unverified_force_login`.
unverified_force_login = ClientMixin.force_login


@pytest.fixture(autouse=True)
def force_login_is_verified(monkeypatch):
    def force_login(client, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from portal.two_factor import requires_two_factor

        unverified_force_login(client, user, backend)
        if not requires_two_factor(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


# Suggestions (outreach): the categories the migration made, and the people around them.


@pytest.fixture
def parking(db):
    """停车: accepted within 1 working day, answered within 5, not extendable (the migration's defaults)."""
    from outreach.models import SuggestionCategory

    return SuggestionCategory.objects.get(slug="parking")


@pytest.fixture
def repairs(db):
    """设施维修: answered within 15 working days, which the lead may extend once."""
    from outreach.models import SuggestionCategory

    return SuggestionCategory.objects.get(slug="repairs")


@pytest.fixture
def neighbour(request, xhy):
    """Another confirmed resident of 徐汇苑居民区, next door to `resident`: 13900000002 (the demo's second)."""
    if from_demo(request):
        return User.objects.get(phone="+8613900000002")
    return factories.ResidentFactory(area=xhy, phone="+8613900000002")


@pytest.fixture
def xhy_lead(request, xhy):
    """徐汇苑居民区's lead, 陈立平 ("xhy-lead"): staff who also approve notices and extend deadlines."""
    if from_demo(request):
        return User.objects.get(username="xhy-lead")
    return factories.LeadUserFactory(area=xhy, username="xhy-lead")


@pytest.fixture
def xhy_colleague(xhy):
    """Another member of 徐汇苑's staff, 李红 ("xhy-colleague"), not its lead."""
    return factories.StaffUserFactory(area=xhy, username="xhy-colleague", last_name="李", first_name="红")
