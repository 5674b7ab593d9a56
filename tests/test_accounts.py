"""Residents' accounts: sign-in by SMS code or password, sign-up with consent, "my data",
closing an account, and staff's residents screens in the admin."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import sms
from portal.models import ApiToken, User
from portal.privacy import account_closed, mask_name
from tests.factories import PASSWORD, ResidentFactory


def last_code(outbox):
    return outbox[-1].params["code"]


def sign_in_by_code(client, phone, outbox, prefix=""):
    response = client.post(f"{prefix}/accounts/login/", {"login": phone, "password": ""})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"].startswith(f"{prefix}/accounts/login/code/confirm/")
    return client.post(response["Location"], {"code": last_code(outbox)})


# Text messages


def test_a_message_is_the_approved_template_filled_in(sms_outbox):
    message = sms.send("13800000000", "booking_confirmed", room="钢琴活动室", when="11月28日 14:00")
    assert sms_outbox == [message]
    assert message.phone == "+8613800000000"
    assert message.params == {"room": "钢琴活动室", "when": "11月28日 14:00"}
    assert "钢琴活动室" in message.text and "11月28日 14:00" in message.text


def test_a_template_with_missing_or_extra_parameters_is_refused_before_sending(sms_outbox):
    with pytest.raises(TypeError):
        sms.send("13800000000", "booking_rejected", room="阅览室", when="明天")
    with pytest.raises(KeyError):
        sms.send("13800000000", "happy_birthday")
    assert sms_outbox == []


def test_the_file_sender_writes_one_json_line_per_message(settings, tmp_path):
    settings.SMS_SENDER = "portal.sms.FileSender"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    sms.send("+8613800000000", "login_code", code="123456")
    sms.send("13800000001", "booking_paused", until="12月27日")
    lines = [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]
    assert [(m["phone"], m["template"]) for m in lines] == [
        ("+8613800000000", "login_code"),
        ("+8613800000001", "booking_paused"),
    ]
    assert "123456" in lines[0]["text"]


# Signing in


def test_login_page_asks_for_the_mobile_number_in_chinese(client, xhy):
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-Hans"' in body
    assert 'inputmode="tel"' in body and 'autocomplete="tel"' in body
    assert 'href="/en/accounts/login/"' in body  # the same page in English


def test_a_resident_signs_in_with_a_code_texted_to_the_eleven_digits_they_typed(client, resident, sms_outbox):
    response = client.post("/accounts/login/", {"login": "139 0000 0001", "password": ""})
    assert response.status_code == 302
    assert [(m.phone, m.template) for m in sms_outbox] == [("+8613900000001", "login_code")]
    code = last_code(sms_outbox)
    assert re.fullmatch(r"\d{6}", code) and code in sms_outbox[-1].text

    page = client.get(response["Location"]).content.decode()
    assert "139****0001" in page and 'inputmode="numeric"' in page

    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    page = client.get("/accounts/me/").content.decode()
    assert resident.get_full_name() in page and "13900000001" in page


def test_a_wrong_code_is_refused_beside_the_field_and_does_not_sign_in(client, resident, sms_outbox):
    response = client.post("/en/accounts/login/", {"login": "13900000001", "password": ""})
    wrong = "000000" if last_code(sms_outbox) != "000000" else "111111"
    response = client.post(response["Location"], {"code": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="field field--error"' in body and 'aria-invalid="true"' in body
    assert "This code is not right" in body
    assert f'value="{wrong}"' in body
    assert "_auth_user_id" not in client.session


def test_a_resident_signs_in_with_their_password(client, resident):
    response = client.post("/accounts/login/", {"login": "+8613900000001", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == resident.pk


def test_a_wrong_password_keeps_the_number_typed_and_says_what_to_do(client, resident):
    response = client.post("/en/accounts/login/", {"login": "13900000001", "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The mobile number or the password is not right" in body
    assert 'value="13900000001"' in body
    assert "_auth_user_id" not in client.session


def test_failed_passwords_are_limited_per_number_not_for_everybody(client, resident, xhy):
    ResidentFactory(area=xhy, phone="+8613900000002")  # the factories' PASSWORD, as the first's
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "13900000001", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "13900000001", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()  # allauth's own Chinese
    assert "_auth_user_id" not in client.session
    # Another resident's number is not locked out by these attempts.
    response = client.post("/accounts/login/", {"login": "13900000002", "password": PASSWORD})
    assert response.status_code == 302


def test_code_requests_are_limited_so_a_number_is_not_pestered(resident, sms_outbox):
    # Fresh browsers each time: one with a code pending is only sent back to enter it.
    for _attempt in range(3):
        assert Client().post("/accounts/login/code/", {"phone": "13900000001"}).status_code == 302
    response = Client().post("/accounts/login/code/", {"phone": "13900000001"})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert len(sms_outbox) == 3


def test_a_number_without_account_gets_a_text_saying_so_and_the_page_reveals_nothing(client, xhy, sms_outbox):
    response = client.post("/accounts/login/", {"login": "13700000000", "password": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/confirm/")
    assert [(m.phone, m.template) for m in sms_outbox] == [("+8613700000000", "unknown_account")]


def test_a_number_that_is_not_mainland_mobile_is_refused_beside_the_field(client, xhy):
    response = client.post("/accounts/login/", {"login": "12345", "password": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "手机号码" in body and "13812345678" in body  # "enter 11 digits, such as 13812345678"
    assert 'value="12345"' in body


def test_english_account_pages_are_under_en(client, xhy):
    body = client.get("/en/accounts/login/").content.decode()
    assert '<html lang="en"' in body
    assert "Mobile number" in body and "Sign in" in body


def test_the_header_offers_sign_in_and_then_my_data(client, resident):
    body = client.get("/").content.decode()
    assert 'href="/accounts/login/?next=/"' in body
    client.force_login(resident)
    assert 'href="/accounts/me/"' in client.get("/").content.decode()


# Signing up


SIGN_UP = {
    "name": "李秀英",
    "phone": "13911112222",
    "building": "7号楼",
    "room_number": "502室",
    "password1": "",
    "consent": "on",
}


def test_sign_up_proposes_the_area_of_the_site_it_is_on(client, xhy, wanliu):
    body = client.get("/accounts/signup/").content.decode()
    assert f'<option value="{xhy.pk}" selected>' in body
    body = client.get("/accounts/signup/", HTTP_HOST="wanliu.localhost:8000").content.decode()
    assert f'<option value="{wanliu.pk}" selected>' in body
    assert 'href="/accounts/privacy/"' in body


def test_sign_up_checks_the_number_by_sms_records_consent_and_says_staff_confirm_residency(
    client, xhy, wanliu, sms_outbox
):
    response = client.post("/en/accounts/signup/", {**SIGN_UP, "area": wanliu.pk})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/phone/verify/"
    assert [(m.phone, m.template) for m in sms_outbox] == [("+8613911112222", "verification_code")]

    response = client.post("/en/accounts/phone/verify/", {"code": last_code(sms_outbox)})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/welcome/"
    body = client.get(response["Location"]).content.decode()
    assert "Not yet confirmed as a resident" in body and "宛六居民区" in body

    user = User.objects.get(phone="+8613911112222")
    assert user.get_full_name() == "李秀英"
    assert (user.area, user.building, user.room_number) == (wanliu, "7号楼", "502室")
    assert user.phone_verified and not user.residency_verified
    assert user.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert timezone.now() - user.privacy_consent_at < timezone.timedelta(minutes=1)
    assert not user.has_usable_password()
    assert "李" not in str(user) and "139" not in str(user)  # nothing personal in log labels


def test_sign_up_without_consent_keeps_everything_typed_and_opens_no_account(client, xhy, sms_outbox):
    response = client.post("/en/accounts/signup/", {**SIGN_UP, "area": xhy.pk, "consent": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please tick this box to agree to the privacy notice" in body
    assert body.index("Please check what you entered") < body.index('name="name"')  # summary on top
    for value in ("李秀英", "13911112222", "7号楼", "502室"):
        assert f'value="{value}"' in body
    assert not User.objects.filter(phone="+8613911112222").exists()
    assert sms_outbox == []


def test_the_privacy_notice_says_what_is_kept_and_its_version(client, xhy):
    for url in ("/accounts/privacy/", "/en/accounts/privacy/"):
        response = client.get(url)
        assert response.status_code == 200
        assert settings.PRIVACY_NOTICE_VERSION in response.content.decode()
    assert "138****5678" in client.get("/en/accounts/privacy/").content.decode()


# My data, and closing the account


def test_my_data_shows_what_is_held_and_downloads_it(client, resident):
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")
    client.force_login(resident)
    body = client.get("/en/accounts/me/").content.decode()
    for value in (resident.get_full_name(), "13900000001", resident.building, resident.room_number, "徐汇苑居民区"):
        assert value in body
    assert f"Version {settings.PRIVACY_NOTICE_VERSION}" in body
    assert "Staff confirmed on" in body

    response = client.get("/accounts/me/download/")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["name"] == resident.get_full_name()
    assert data["phone"] == "+8613900000001"
    assert data["area"] == "徐汇苑居民区"
    assert data["privacy_notice_version"] == settings.PRIVACY_NOTICE_VERSION
    assert resident.get_full_name() in response.content.decode()  # readable Chinese, not \\u escapes


def test_closing_the_account_asks_first_then_anonymises_and_keeps_the_row(client, resident, xhy):
    ApiToken.objects.issue(resident)
    closed = []
    account_closed.connect(lambda sender, user, **kwargs: closed.append(user.pk), weak=False, dispatch_uid="t")
    client.force_login(resident)

    page = client.get("/en/accounts/close/").content.decode()
    assert "Close my account" in page and "Keep my account" in page
    assert User.objects.get(pk=resident.pk).is_active  # nothing happens on looking

    response = client.post("/accounts/close/")
    account_closed.disconnect(dispatch_uid="t")
    assert response["Location"] == "/accounts/closed/"
    assert client.get("/accounts/closed/").status_code == 200
    assert "_auth_user_id" not in client.session

    user = User.objects.get(pk=resident.pk)
    assert (user.first_name, user.last_name, user.email, user.phone, user.building, user.room_number) == (
        "",
        "",
        "",
        None,
        "",
        "",
    )
    assert user.username == f"closed-{user.pk}"
    assert not user.is_active and not user.has_usable_password() and user.anonymised_at
    assert user.area == xhy  # the statistics stay whole
    assert closed == [user.pk]
    assert not ApiToken.objects.filter(user=user).active().exists()
    client.post("/accounts/login/", {"login": "13900000001", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # the number no longer leads to the account


def test_staff_close_no_account_from_the_residents_page(client, xhy_staff):
    client.force_login(xhy_staff)
    assert client.post("/accounts/close/").status_code == 403
    assert User.objects.get(pk=xhy_staff.pk).is_active


# Staff: residents in the admin


@pytest.fixture
def thirty_residents(xhy, wanliu, resident):
    """徐汇苑's residents 13900000001 to 13900000030 (more than the list's page of 20), and one
    resident of 宛六, 13900000099, whom 徐汇苑's staff must not list."""
    others = [ResidentFactory(area=xhy, phone=f"+86139000000{number:02d}") for number in range(2, 31)]
    ResidentFactory(area=wanliu, phone="+8613900000099")
    return [resident, *others]


def test_staff_list_only_their_areas_residents_with_names_and_numbers_masked(
    client, xhy_staff, resident, thirty_residents
):
    User.objects.filter(pk=resident.pk).update(date_joined=timezone.now())  # the newest comes first
    client.force_login(xhy_staff)
    response = client.get("/admin/residents/")
    body = response.content.decode()
    assert "139****0001" in body and mask_name(resident.get_full_name()) in body
    assert body.count("139****00") == 20  # a page of the area's thirty residents
    assert "1390000" not in body and resident.get_full_name() not in body
    listed = set(response.context["residents"].paginator.object_list)
    assert xhy_staff not in listed  # staff are not residents
    assert {user.area for user in listed} == {resident.area}


def test_the_residents_list_has_a_fixed_number_of_queries(
    client, xhy_staff, thirty_residents, django_assert_max_num_queries
):
    client.force_login(xhy_staff)
    client.get("/admin/residents/")
    with django_assert_max_num_queries(25):
        response = client.get("/admin/residents/")
    assert response.content.decode().count("****") >= 20


def test_staff_find_a_resident_by_number_and_opening_the_record_is_logged(client, xhy_staff, resident):
    client.force_login(xhy_staff)
    body = client.get("/admin/residents/", {"phone": "13900000001"}).content.decode()
    assert body.count("****") == 1 and f"/admin/residents/{resident.pk}/" in body

    body = client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert resident.get_full_name() in body and "13900000001" in body
    entry = ModelLogEntry.objects.get(action="portal.resident.view")
    assert (entry.user, entry.object_id) == (xhy_staff, str(resident.pk))
    assert resident.get_full_name() not in entry.label and "139" not in entry.label


def test_another_areas_staff_cannot_see_or_confirm_a_resident(client, wanliu_staff, supervisor, resident):
    User.objects.filter(pk=resident.pk).update(residency_verified_at=None)
    client.force_login(wanliu_staff)
    assert "139****0001" not in client.get("/admin/residents/").content.decode()
    assert client.get(f"/admin/residents/{resident.pk}/").status_code == 404
    assert client.post(f"/admin/residents/{resident.pk}/", {"action": "confirm"}).status_code == 404
    assert not User.objects.get(pk=resident.pk).residency_verified
    client.force_login(supervisor)
    assert client.get("/admin/residents/")["Location"] == "/admin/"  # Wagtail's "no permission"


def test_staff_confirm_residency_lift_a_pause_and_reset_access(client, xhy_staff, resident):
    User.objects.filter(pk=resident.pk).update(
        residency_verified_at=None, booking_paused_until=timezone.now() + timezone.timedelta(days=20)
    )
    ApiToken.objects.issue(resident)
    client.force_login(xhy_staff)
    url = f"/admin/residents/{resident.pk}/"
    for action in ("confirm", "resume_booking", "reset_access"):
        assert client.post(url, {"action": action, "identity_checked": "1"})["Location"] == url
    user = User.objects.get(pk=resident.pk)
    assert user.residency_verified and user.booking_paused_until is None
    assert not ApiToken.objects.filter(user=user).active().exists()
    logged = set(ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"portal.resident.confirm", "portal.resident.resume_booking", "portal.resident.reset_access"} <= logged


STAFF_FORM = {"name": "赵德明", "phone": "13922223333", "building": "3号楼", "room_number": "101室", "consent": "on"}


def test_staff_create_a_confirmed_account_in_their_own_area_only(client, xhy_staff, xhy, wanliu):
    client.force_login(xhy_staff)
    assert client.get("/admin/residents/add/").status_code == 200
    response = client.post("/admin/residents/add/", {**STAFF_FORM, "area": wanliu.pk})
    user = User.objects.get(phone="+8613922223333")
    assert response["Location"] == f"/admin/residents/{user.pk}/"
    assert user.area == xhy  # from the staff member, whatever was sent
    assert user.get_full_name() == "赵德明" and (user.building, user.room_number) == ("3号楼", "101室")
    assert user.residency_verified and user.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert user.privacy_consent_at and not user.has_usable_password()
    assert ModelLogEntry.objects.filter(action="portal.resident.create", object_id=str(user.pk)).exists()


def test_staff_form_refuses_a_number_that_has_an_account_and_keeps_what_was_typed(client, xhy_staff, resident):
    client.force_login(xhy_staff)
    response = client.post("/admin/residents/add/", {**STAFF_FORM, "phone": "139 0000 0001"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    for value in ("赵德明", "139 0000 0001", "3号楼", "101室"):
        assert f'value="{value}"' in body
    assert User.objects.filter(phone="+8613900000001").count() == 1


def test_residents_and_supervisors_have_no_residents_screen(client, resident, supervisor):
    client.force_login(resident)
    assert client.get("/admin/residents/").status_code in (302, 403)
    client.force_login(supervisor)
    assert "/admin/residents/" not in client.get("/admin/").content.decode()


def test_staff_adding_a_number_of_another_area_learn_nothing_and_move_it_with_the_residents_code(
    client, wanliu_staff, resident, xhy, wanliu, sms_outbox
):
    User.objects.filter(pk=resident.pk).update(building="1号楼")  # not the form's example, 5号楼
    resident.refresh_from_db()
    client.force_login(wanliu_staff)
    response = client.post("/admin/residents/add/", {**STAFF_FORM, "phone": "13900000001"})
    body = response.content.decode()
    assert response.status_code == 400 and "/admin/residents/move/" in body
    for secret in (resident.get_full_name(), mask_name(resident.get_full_name()), xhy.name, resident.building):
        assert secret not in body
    page = client.get("/admin/residents/move/").content.decode()
    assert "139****0001" in page and resident.get_full_name() not in page and xhy.name not in page

    client.post("/admin/residents/move/", {"action": "send"})
    message = sms_outbox[-1]
    assert message.phone == "+8613900000001" and message.template == "move_account_code"
    assert wanliu.name in message.text
    wrong = "000000" if message.params["code"] != "000000" else "111111"
    refused = client.post("/admin/residents/move/", {"action": "confirm", "code": wrong})
    assert refused.status_code == 400 and User.objects.get(pk=resident.pk).area == xhy

    moved = client.post("/admin/residents/move/", {"action": "confirm", "code": message.params["code"]})
    assert moved["Location"] == f"/admin/residents/{resident.pk}/"
    account = User.objects.get(pk=resident.pk)
    assert account.area == wanliu and not account.residency_verified
    assert ModelLogEntry.objects.filter(action="portal.resident.move_in", object_id=str(resident.pk)).exists()
    # The code is used up.
    assert client.post("/admin/residents/move/", {"action": "confirm", "code": message.params["code"]})["Location"]


def test_a_number_typed_another_way_moves_the_same_account_and_staff_numbers_are_never_offered(
    client, wanliu_staff, xhy_staff, resident, wanliu, sms_outbox
):
    client.force_login(wanliu_staff)
    client.post("/admin/residents/add/", {**STAFF_FORM, "phone": "+86 139-0000-0001"})
    client.post("/admin/residents/move/", {"action": "send"})
    assert sms_outbox[-1].phone == "+8613900000001"
    client.post("/admin/residents/move/", {"action": "confirm", "code": sms_outbox[-1].params["code"]})
    assert User.objects.get(pk=resident.pk).area == wanliu

    User.objects.filter(pk=xhy_staff.pk).update(phone="+8613977770001")
    response = client.post("/admin/residents/add/", {**STAFF_FORM, "phone": "13977770001"})
    assert response.status_code == 400 and "/admin/residents/move/" not in response.content.decode()
