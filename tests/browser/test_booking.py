"""A resident books the piano room on a phone, sees it under "my bookings" and cancels
it, in Chromium at 390×844; every page on the way passes axe (WCAG 2.1 AA) and the
elder-friendly size checks, and the flow works with JavaScript switched off."""

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Reservation
from portal.models import Holiday
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def first_open_day():
    day = timezone.localdate() + dt.timedelta(days=1)
    while Holiday.days_off(day, day):
        day += dt.timedelta(days=1)
    return day


def check_page(page, min_text=18, min_target=48):
    check_accessibility(page)
    check_sizes(page, min_text=min_text, min_target=min_target)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_books_the_piano_room_for_an_afternoon_and_cancels_it(live_demo, browser, javascript):
    context = browser.new_context(locale="zh-CN", java_script_enabled=javascript, **PHONE)
    page = context.new_page()
    day = first_open_day()
    steps = 0

    def checked(page):
        # axe and the size checks run scripts in the page, which the no-JavaScript run forbids.
        if javascript:
            check_page(page)

    def go(locator):
        nonlocal steps
        steps += 1
        locator.click()
        page.wait_for_load_state()

    page.goto(live_demo.url + "/")
    go(page.locator("#rooms").get_by_role("link"))
    checked(page)
    go(page.locator("a[href='/rooms/piano-room/']"))
    checked(page)
    go(page.locator(f"a[href='/rooms/piano-room/{day.isoformat()}/']"))
    checked(page)
    times = page.locator(".times a")
    chosen = next(time for time in times.all_inner_texts() if time.strip() >= "14:00").strip()
    go(times.get_by_text(chosen, exact=True))

    # Not signed in yet: the sign-in page, then straight back to the chosen time.
    assert "/accounts/login/" in page.url
    checked(page)
    page.get_by_label("手机号码").fill("13900000030")
    page.get_by_label("密码").fill("portal-demo")
    go(page.get_by_role("button", name="继续"))
    assert f"/rooms/piano-room/{day.isoformat()}/{chosen}/" in page.url
    checked(page)

    page.locator("input[name=minutes]").first.check()
    page.locator("input[name=headcount]").fill("4")
    go(page.locator("form.form button[type=submit]"))
    assert chosen in page.locator("main").inner_text()
    checked(page)
    go(page.locator("button[name=confirm]"))
    assert "预约成功" in page.locator("h1").inner_text()
    checked(page)
    assert steps <= 8, "booking takes more than eight taps"

    booking = Reservation.objects.get(resident__phone="+8613900000030")
    assert booking.status == Reservation.Status.CONFIRMED
    assert timezone.localtime(booking.start).strftime("%H:%M") == chosen

    go(page.locator("main a[href='/bookings/']"))
    checked(page)
    assert "钢琴活动室" in page.locator("main").inner_text()
    go(page.locator("main .booking button"))
    assert "已取消" in page.locator("main").inner_text()
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED
    context.close()


def test_booking_pages_in_large_mode(live_demo, browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(live_demo.url + "/large-mode/?on=1&next=/rooms/piano-room/")
    check_page(page, min_text=22, min_target=60)
    page.goto(live_demo.url + f"/rooms/piano-room/{first_open_day().isoformat()}/")
    check_page(page, min_text=22, min_target=60)
    context.close()
