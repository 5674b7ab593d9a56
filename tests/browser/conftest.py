"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

Without Chromium they skip with a loud reason, except under CI, where they fail.
"""

import io
import os
import shutil
import warnings

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, django_db_blocker):
    """What the migrations put in the database (root page, locale, collection).

    Transactional tests empty every table afterwards. Django's serialized rollback
    would put these rows back, but it keeps them on the thread's connection object,
    and Playwright's sync API (greenlets) hands the tests a different one, so
    `live_demo` restores them itself.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def browser(migrated_state):
    if not os.path.exists(CHROMIUM):
        reason = (
            f"BROWSER TESTS NOT RUN: Chromium not found at {CHROMIUM}. "
            "Install Debian's chromium and fonts-noto-cjk (`apt-get install chromium fonts-noto-cjk`)."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_demo(migrated_state, transactional_db, live_server):
    from django.db import connection
    from wagtail.models import Locale

    if not Locale.objects.exists():
        # Emptied after an earlier test, then refilled in part by post_migrate handlers.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(migrated_state)
        # Rows came back with their ids; move PostgreSQL's sequences past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)
    call_command("seed_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
