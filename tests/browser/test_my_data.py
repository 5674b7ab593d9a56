""" "My data" on a phone with the committee's records about the resident: a suggestion, a home
visit with a sensitive detail behind a disclosure, a correction answered; asking for another
correction, with the message beside the box when it is empty. The page passes axe (WCAG 2.1 AA)
and the elder-friendly sizes, and never scrolls sideways."""

import pytest
from django.utils import timezone

from outreach import corrections, records, suggestions
from outreach.models import CorrectionRequest, SuggestionCategory
from portal.models import User
from tests.browser.checks import check_accessibility, check_sizes
from tests.browser.test_account_security import sign_in_resident
from tests.factories import VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_reads_their_records_and_asks_for_a_correction_on_a_phone(live_demo, phone):
    resident = User.objects.get(phone="+8613900000001")
    staff = User.objects.get(username="xhy-staff")
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(area=resident.area, category=parking, text="车棚电动车乱停", resident=resident)
    visit = VisitFactory(
        staff=staff,
        resident=resident,
        found="厨房水管漏水，已联系物业上门维修，约好周三下午",
        sensitive="高血压，每天服药",
        sensitive_consent_at=timezone.now(),
    )
    records.rate(visit, resident, "satisfied")
    asked = corrections.ask(resident, "走访记录里的房号写错了")
    corrections.handle(asked, staff, "已改正，谢谢")

    sign_in_resident(phone, live_demo.url)
    phone.goto(live_demo.url + "/accounts/me/")
    assert suggestion.number in phone.locator("main").inner_text()
    assert "已改正，谢谢" in phone.locator("main").inner_text()
    assert not phone.get_by_text("高血压，每天服药").is_visible()  # behind its disclosure
    phone.locator("main summary").first.click()
    assert phone.get_by_text("高血压，每天服药").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)

    phone.locator('form[action$="/accounts/me/corrections/"] button[type=submit]').click()
    phone.wait_for_load_state()
    assert phone.locator(".field__error").count() == 1  # the message beside the box
    check_accessibility(phone)
    phone.locator("textarea[name=text]").fill("3月的接待记录里电话号码少了一位")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    assert "/accounts/me/" in phone.url
    assert "3月的接待记录里电话号码少了一位" in phone.locator("main").inner_text()
    assert CorrectionRequest.objects.filter(resident=resident, handled_at__isnull=True).count() == 1
