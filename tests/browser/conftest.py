"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

Without Chromium they skip with a loud reason, except under CI, where they fail.
"""

import os
import shutil
import warnings

import pytest

from tests import demo_snapshot

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
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
def live_demo(migrated_db, live_server, migrated):
    demo_snapshot.seed_demo(migrated)
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
