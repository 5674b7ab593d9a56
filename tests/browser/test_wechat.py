"""Residents who open a link from a WeChat group read in WeChat's own browser, which cannot
download a calendar file: there, and only there, the activity page says beside its "Add to
calendar" links how to open the page in the phone's browser. The page's HTML is the same for
every browser (public pages are cached whatever the browser), so the script decides."""

import pytest

from tests.browser.checks import check_accessibility, check_sizes
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QIPAO = "/activities/qipao-group/"
# WeChat 8 on an Android phone, as its built-in browser sends it.
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)


def open_activity(browser, live_demo, user_agent=None):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN", user_agent=user_agent
    )
    page = context.new_page()
    page.goto(live_demo.url + QIPAO)
    return context, page


def test_in_wechat_the_calendar_links_say_how_to_open_the_page_in_the_phones_browser(browser, live_demo):
    context, page = open_activity(browser, live_demo, user_agent=WECHAT)
    hint = page.locator("#sessions ~ [data-wechat-hint]").first
    assert hint.is_visible()
    assert "···" in hint.inner_text()
    # The hint comes before the first "Add to calendar" link, where the eye goes next.
    calendar_link = page.get_by_role("link", name="加入日历").first
    assert hint.bounding_box()["y"] < calendar_link.bounding_box()["y"]
    check_accessibility(page)
    check_sizes(page, min_text=18, min_target=48)
    context.close()

    context, page = open_activity(browser, live_demo)
    assert page.get_by_role("link", name="加入日历").first.is_visible()
    assert page.locator("[data-wechat-hint]").count() > 0
    assert page.locator("[data-wechat-hint]:visible").count() == 0
    context.close()


def test_in_wechat_the_admins_downloads_say_so_too(browser, live_demo):
    """Staff open the admin from a WeChat message as well: the reservations list's exports (CSV,
    XLSX) get the same note, once, at the top of the page."""
    for user_agent, shown in [(WECHAT, True), (None, False)]:
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", user_agent=user_agent
        )
        page = context.new_page()
        page.goto(live_demo.url + "/admin/login/")
        page.fill("input[name=username]", "xhy-staff")
        page.fill("input[name=password]", "xuhuiyuan2026")
        page.locator("form button[type=submit]").click()
        page.wait_for_url(live_demo.url + "/admin/")
        page.goto(live_demo.url + "/admin/booking/reservations/")
        hints = page.locator("[data-wechat-hint]")
        assert hints.count() == (1 if shown else 0)
        if shown:
            assert "在浏览器打开" in hints.inner_text() and hints.is_visible()
        page.get_by_role("button", name="动作").click()  # the exports are in the header's menu
        assert page.locator('a[href*="export=xlsx"]').is_visible()
        context.close()
