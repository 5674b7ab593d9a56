"""The visit diary on a phone in Chromium (390×844): a staff member opens "record a home visit"
from today's published shift, types what they found, loses the signal in the stairwell while
sending, and finds everything they typed back in the form once the signal returns; once the
record is saved, the browser's copy is gone."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from outreach.models import Visit
from portal.localtime import at, local_day
from portal.models import Building
from staff.models import Duty, ScheduleWeek, Shift
from tests.factories import PASSWORD, StaffMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUND = "独居老人，腿脚不便，希望楼道加装扶手。"


@pytest.fixture
def todays_shift(migrated_db, xhy, xhy_staff):
    member = StaffMemberFactory(area=xhy, name="顾文静", account=xhy_staff)
    today = local_day(timezone.now())
    week = ScheduleWeek.objects.create(
        area=xhy, monday=today - dt.timedelta(days=today.weekday()), published_at=timezone.now()
    )
    return Shift.objects.create(
        week=week,
        staff=member,
        duty=Duty.HOME_VISITS,
        building_from=Building.objects.of_area(xhy).get(name="5号楼"),
        start=at(today, dt.time(0, 1)),
        end=at(today, dt.time(23, 59)),
    )


def sign_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_what_was_typed_survives_a_lost_signal_and_goes_once_sent(live_server, phone, todays_shift, xhy_staff):
    page = phone
    sign_in(page, live_server.url, "xhy-staff")
    form_url = live_server.url + "/admin/records/visit/new/"
    page.goto(form_url)

    assert page.locator("#id_building option:checked").inner_text() == "5号楼"  # from today's shift
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_household_name", "王秀英")
    page.fill("#id_found", FOUND)
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):  # the stairwell: no signal, the browser cannot send
        page.locator("form[data-keep] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/records/visit/\d+/"), timeout=3000)
    page.context.set_offline(False)

    page.goto(form_url)
    assert page.input_value("#id_found") == FOUND
    assert page.input_value("#id_household_name") == "王秀英"
    assert page.locator("[data-keep-restored]").is_visible()
    assert not Visit.objects.exists()

    page.locator("form[data-keep] button[type=submit]").click()
    page.wait_for_load_state()
    assert Visit.objects.get().found == FOUND
    assert FOUND in page.content()

    page.goto(form_url)
    assert page.input_value("#id_found") == ""  # the copy went with the record
