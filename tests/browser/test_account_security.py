"""Accounts in Chromium: a resident on a phone sees and signs out their apps and every other
browser; a supervisor's first admin sign-in sets up two-step verification, and the next one asks
for the code. Pages pass axe (WCAG 2.1 AA); the resident's pages pass the elder-friendly sizes."""

import datetime as dt
import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import ApiToken, User
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_resident(page, base):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "13900000001")
    page.fill("input[name=password]", "portal-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_resident_signs_out_an_app_and_every_other_browser_from_my_data(live_demo, browser, phone):
    resident = User.objects.get(phone="+8613900000001")
    ApiToken.objects.issue(resident, client="社区小程序 iPhone")
    ApiToken.objects.issue(resident, client="老伴的安卓手机")
    elsewhere = browser.new_context(locale="zh-CN")
    other = elsewhere.new_page()
    sign_in_resident(other, live_demo.url)
    sign_in_resident(phone, live_demo.url)

    phone.goto(live_demo.url + "/accounts/me/")
    apps = phone.locator("#apps + p + ul.apps > li")
    assert apps.count() == 2
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)

    apps.filter(has_text="老伴的安卓手机").get_by_role("button").click()
    phone.wait_for_load_state()
    assert "该应用已退出登录" in phone.locator(".messages").inner_text()
    assert phone.locator("ul.apps > li").count() == 1

    phone.get_by_role("button", name="让其他设备全部退出登录").click()
    phone.wait_for_load_state()
    assert phone.locator("ul.apps").count() == 0
    assert "/accounts/me/" in phone.url  # still signed in here
    other.goto(live_demo.url + "/accounts/me/")
    assert "/accounts/login/" in other.url  # signed out there
    assert not ApiToken.objects.active().filter(user=resident).exists()
    elsewhere.close()


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_supervisor_sets_up_two_step_verification_then_signs_in_with_a_code(live_demo, request, screen, clock):
    page = request.getfixturevalue(screen)
    page.goto(live_demo.url + "/admin/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "jiedao2026")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/admin/two-factor/" in page.url
    qr = page.locator(".portal-2fa-qr svg")
    assert qr.is_visible()  # the QR code to scan, whole on the screen
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page)
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/two-factor-setup-{screen}.png", full_page=True)

    device = TOTPDevice.objects.get(user__username="supervisor", confirmed=False)
    page.fill("input[name=otp_token]", code(device))
    page.fill("input[name=password]", "jiedao2026")
    page.get_by_role("button", name="开启两步验证").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/admin")
    assert "两步验证已开启" in page.content()

    page.context.clear_cookies()
    clock.shift(dt.timedelta(seconds=31))  # a code works once: the next one
    page.goto(live_demo.url + "/admin/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "jiedao2026")
    page.fill("input[name=otp_token]", code(device))
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/admin")
