"""The home page in a real browser: WCAG 2.1 AA (axe-core) and the elder-friendly sizes
axe does not check (font size, line height, tap target height), in both languages and
in large mode, at phone size."""

import os
from pathlib import Path

import pytest

from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chinese_home_page_is_accessible_and_elder_friendly(live_demo, phone):
    phone.goto(live_demo.url + "/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    assert phone.locator("h1").inner_text() == "徐汇苑居民区"
    assert phone.get_by_role("link", name="English").is_visible()
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)


def test_english_home_page_is_accessible_and_elder_friendly(live_demo, phone):
    phone.goto(live_demo.url + "/")
    phone.get_by_role("link", name="English").click()
    phone.wait_for_url(live_demo.url + "/en/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text() == "Xuhuiyuan Residents' Committee"
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)


def test_large_mode_switch_enlarges_everything_without_javascript(live_demo, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_demo.url + "/about/")
    page.get_by_role("link", name="长辈模式").click()
    page.wait_for_url(live_demo.url + "/about/")
    assert page.locator("html").get_attribute("class") == "large"
    check_sizes(page, min_text=22, min_target=60)
    context.close()


def test_large_mode_is_accessible_and_larger(live_demo, phone):
    phone.goto(live_demo.url + "/")
    phone.get_by_role("link", name="长辈模式").click()
    phone.wait_for_url(live_demo.url + "/")
    assert phone.locator("html").get_attribute("class") == "large"
    check_accessibility(phone)
    check_sizes(phone, min_text=22, min_target=60)


def test_skip_link_appears_on_focus_and_focus_is_visible(live_demo, desktop):
    desktop.goto(live_demo.url + "/")
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="跳到正文")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_printed_page_drops_navigation_and_switches(live_demo, desktop):
    desktop.goto(live_demo.url + "/about/")
    desktop.emulate_media(media="print")
    assert not desktop.locator(".site-nav").is_visible()
    assert not desktop.get_by_role("link", name="长辈模式").is_visible()
    assert desktop.locator("h1").is_visible()
    assert desktop.locator("footer").get_by_text("021-64000001").is_visible()


SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.mark.skipif(not SCREENSHOTS, reason="run by `make screenshots` to refresh the README's pictures")
def test_screenshot_home_pages(live_demo, phone, desktop):
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    phone.goto(live_demo.url + "/")
    phone.screenshot(path=folder / "home-phone.png")
    desktop.goto(live_demo.url + "/")
    desktop.screenshot(path=folder / "home-desktop.png")
    phone.get_by_role("link", name="长辈模式").click()
    phone.wait_for_url(live_demo.url + "/")
    phone.screenshot(path=folder / "home-large-mode-phone.png")
    phone.goto(live_demo.url + "/en/")
    phone.screenshot(path=folder / "home-english-phone.png")
