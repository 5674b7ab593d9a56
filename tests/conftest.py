import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test.client import ClientMixin
from wagtail.models import Locale, Page

from portal.models import Area, User

from . import clock as suite_clock
from . import demo_snapshot


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


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


@pytest.fixture
def xhy(demo):
    return demo["xuhuiyuan"]


@pytest.fixture
def wanliu(demo):
    return demo["wanliu"]


@pytest.fixture
def xhy_staff(demo):
    return User.objects.get(username="xhy-staff")


@pytest.fixture
def supervisor(demo):
    return User.objects.get(username="supervisor")


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
def wanliu_staff(demo):
    return User.objects.get(username="wl-staff")


@pytest.fixture
def resident(demo):
    """A confirmed resident of 徐汇苑居民区, one of the demo's thirty: 13900000001, password "portal-demo"."""
    return User.objects.get(phone="+8613900000001")


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
def tuesday(demo):
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
