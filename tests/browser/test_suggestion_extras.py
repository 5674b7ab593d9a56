"""Suggestions in Chromium: a resident signed out files one with a photo and a code texted to
their number, on a phone (axe and the elder-friendly sizes on the way); staff choose an answer
template and the answer box fills at once; the month's sheet prints on one A4 page without the
site's header."""

import io
import re

import pytest
from PIL import Image

from outreach import suggestions
from outreach.models import AnswerTemplate, Suggestion, SuggestionCategory
from portal import sms
from portal.models import Area, User
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(tmp_path):
    path = tmp_path / "IMG_0001.jpg"
    data = io.BytesIO()
    Image.new("RGB", (2000, 1500), "#c49668").save(data, "JPEG")
    path.write_bytes(data.getvalue())
    return path


def test_a_resident_signed_out_files_one_with_a_photo_and_a_code(live_demo, phone, tmp_path):
    sms.outbox.clear()
    phone.goto(live_demo.url + "/suggestions/new/")
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)
    phone.get_by_label("停车").check()
    phone.fill("textarea[name=text]", "车棚电动车乱停，晚上进不去")
    phone.fill("input[name=phone]", "13900000001")
    phone.check("input[name=consent]")  # the privacy notice, agreed before anything is sent
    phone.get_by_role("button", name=re.compile("code|验证码|Text me")).first.click()
    phone.wait_for_load_state()
    assert phone.input_value("textarea[name=text]") == "车棚电动车乱停，晚上进不去"
    check_accessibility(phone)
    check_sizes(phone, min_text=18, min_target=48)

    phone.set_input_files("input[name=photo]", photo_file(tmp_path))
    phone.fill("input[name=code]", sms.outbox[-1].params["code"])
    phone.locator("form.form button[type=submit]").first.click()
    phone.wait_for_load_state()
    suggestion = Suggestion.objects.get(text="车棚电动车乱停，晚上进不去")
    assert suggestion.resident == User.objects.get(phone="+8613900000001") and suggestion.photo
    assert f"/suggestions/{suggestion.pk}/" in phone.url
    assert phone.locator("main img[src$='/photo/']").evaluate("img => img.naturalWidth") == 1600


def test_staff_choose_an_answer_template_and_the_box_fills(live_demo, desktop):
    xhy = Area.objects.get(slug="xuhuiyuan")
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(area=xhy, category=parking, text="车棚乱停")
    suggestions.accept(suggestion, User.objects.get(username="xhy-staff"))
    template = AnswerTemplate.objects.create(area=xhy, category=parking, title="划线", text="已请物业在车棚前划线。")
    desktop.goto(live_demo.url + "/admin/login/")
    desktop.fill("input[name=username]", "xhy-staff")
    desktop.fill("input[name=password]", "xuhuiyuan2026")
    desktop.locator("form button[type=submit]").click()
    desktop.wait_for_load_state()
    desktop.goto(f"{live_demo.url}/admin/suggestions/{suggestion.pk}/")
    desktop.select_option("#answer-template", str(template.pk))
    assert desktop.input_value("#id_answer-answer") == "已请物业在车棚前划线。"
    assert "template=" not in desktop.url  # filled in the page, nothing reloaded


def test_the_months_sheet_prints_on_one_a4_page(live_demo, desktop):
    xhy = Area.objects.get(slug="xuhuiyuan")
    staff = User.objects.get(username="xhy-staff")
    parking = SuggestionCategory.objects.get(slug="parking")
    for number in range(6):
        shown = suggestions.submit(area=xhy, category=parking, text="原话", public=True)
        suggestions.accept(shown, staff)
        suggestions.answer(shown, staff, "已通知物业加强巡查，对乱停车辆进行劝导。")
        suggestions.approve_wording(shown, staff, f"{number + 1}号楼车棚电动车乱停，晚上进不去")
    desktop.goto(live_demo.url + "/suggestions/print/")
    desktop.emulate_media(media="print")
    assert not desktop.locator(".site-header").is_visible()
    pdf = desktop.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # an ordinary month on one sheet
    assert re.search(rb"/MediaBox \[0 0 59[456][.0-9]* 84[123]", pdf)  # A4: 595 x 842 points
