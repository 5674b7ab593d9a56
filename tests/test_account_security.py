"""Accounts nobody can take over: numbers proven before anything rests on them, one account per
number however it is typed, sign-outs that reach every session and app, limits on guessing and
on texts (portal/accounts.py, portal/phones.py, portal/admin_auth.py, portal/sms.py)."""

import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.models import ApiToken, User
from portal.phones import normalize_phone
from tests.factories import PASSWORD, LeadUserFactory, ResidentFactory, UserFactory
from tests.test_api_auth import bearer, post

STRANGER_SIGN_UP = {
    "name": "冒名者",
    "phone": "13911112222",
    "building": "9号楼",
    "room_number": "909室",
    "password1": "stranger-secret-42",
    "consent": "on",
}
OWNER = "+8613911112222"


def last_code(outbox):
    return outbox[-1].params["code"]


def sign_in_by_code(client, login, outbox):
    response = client.post("/accounts/login/", {"login": login, "password": ""})
    assert response.status_code == 302, response.content.decode()
    return client.post(response["Location"], {"code": last_code(outbox)})


def signed_in_user(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def residents(xhy, resident):
    """徐汇苑's residents 13900000001 to 13900000006, the numbers the texting tests ask codes for."""
    return [resident, *(ResidentFactory(area=xhy, phone=f"+86139000000{number:02d}") for number in range(2, 7))]


@pytest.fixture
def admin(db):
    """The administrator (a superuser), password "portal-demo"."""
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def stranger_signed_up(client, xhy, sms_outbox):
    """Someone signed up with 13911112222, not their number, and never entered the code."""
    response = client.post("/accounts/signup/", {**STRANGER_SIGN_UP, "area": xhy.pk})
    assert response["Location"] == "/accounts/phone/verify/"
    sms_outbox.clear()
    return User.objects.get(phone=OWNER)


# One number, one account, however it is typed


@pytest.mark.parametrize(
    "typed",
    [
        "13900000001",
        "139 0000 0001",
        "139-0000-0001",
        "+86 139 0000 0001",
        "0086 13900000001",
        "13９０００００００１",
        "１３９０００００００１",
        "＋８６１３９００００００01",
    ],
)
def test_every_way_of_typing_a_number_is_the_same_number(typed):
    assert normalize_phone(typed) == "+8613900000001"


@pytest.mark.parametrize("typed", ["12345", "10000000000", "021-64001234", "+1 202 555 0123", "1390000000１2", "手机"])
def test_what_is_not_a_mainland_mobile_is_refused_naming_what_was_typed(typed):
    with pytest.raises(ValidationError) as refused:
        normalize_phone(typed)
    assert typed in refused.value.messages[0]


def test_a_full_width_number_signs_in_to_the_existing_account_and_opens_no_second(client, resident, sms_outbox):
    sign_in_by_code(client, "13９０００００００１", sms_outbox)
    assert int(signed_in_user(client)) == resident.pk
    assert sms_outbox[-1].phone == "+8613900000001"

    other = Client()
    response = other.post(
        "/accounts/signup/", {**STRANGER_SIGN_UP, "phone": "１３９００００００01", "area": resident.area_id}
    )
    assert response.status_code == 302  # the page reveals nothing ...
    assert User.objects.filter(phone__endswith="00000001").count() == 1  # ... and opens no account
    assert sms_outbox[-1].template == "account_exists"


def test_a_refused_number_is_shown_back_as_typed_on_the_page_and_in_the_api(client, xhy):
    body = client.post("/accounts/login/", {"login": "1390000000", "password": ""}).content.decode()
    assert "“1390000000”" in body and 'value="1390000000"' in body
    answer = post(client, "code", {"phone": "021-6400 1234"})
    assert answer.status_code == 400 and "021-6400 1234" in answer.json()["errors"]["phone"][0]


def test_stored_numbers_are_rewritten_in_one_form_and_a_shadow_loses_its_number(migrated_db, capsys):
    """The data migration: a full-width copy of a proven number stops shadowing it."""
    from importlib import import_module

    from django.apps import apps

    owner = User.objects.create(username="owner", phone="+8613900000077", phone_verified=True)
    shadow = User.objects.create(username="shadow")
    other = User.objects.create(username="other")
    data_only = User.objects.create(username="data-only")
    # As the old pattern stored them (the field now rewrites what the ORM saves); 140… passed it
    # but is no mobile number.
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["+86139０００００077", shadow.pk])
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["+86１３９00000078", other.pk])
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["+86１４０00000079", data_only.pk])
    import_module("portal.migrations.0008_canonical_phone_numbers").canonical_numbers(apps, None)
    for user in (owner, shadow, other, data_only):
        user.refresh_from_db()
    assert (owner.phone, shadow.phone, other.phone, data_only.phone) == ("+8613900000077", None, "+8613900000078", None)
    assert f"account {data_only.pk}: its number is not a mainland mobile number" in capsys.readouterr().out
    data_only.save()  # the account can be saved again


# A password chosen before the number is proven


def test_a_stranger_who_signed_up_with_my_number_has_no_way_into_my_account(client, stranger_signed_up, sms_outbox):
    assert signed_in_user(client) is None  # no session before the number is proven

    owner = Client()
    response = sign_in_by_code(owner, "13911112222", sms_outbox)
    assert response.status_code == 302
    account = User.objects.get(phone=OWNER)
    assert account.pk == stranger_signed_up.pk and account.phone_verified
    # The owner is asked for their own details; nothing the stranger typed is shown or kept.
    page = owner.get("/rooms/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/details/")
    assert "冒名者" not in page.content.decode() and "909" not in page.content.decode()
    assert not account.has_usable_password() and account.get_full_name() == "" and not account.privacy_consent_at

    # The stranger's password opens nothing, on the web or in the API.
    stranger = Client()
    stranger.post("/accounts/login/", {"login": "13911112222", "password": "stranger-secret-42"})
    assert signed_in_user(stranger) is None
    assert post(stranger, "token", {"phone": "13911112222", "password": "stranger-secret-42"}).status_code == 401

    response = owner.post(
        "/accounts/details/",
        {
            "name": "王真",
            "building": "2号楼",
            "room_number": "201室",
            "area": account.area_id,
            "consent": "on",
            "next": "/rooms/",
        },
    )
    assert response["Location"] == "/rooms/"
    assert owner.get("/rooms/").status_code == 200
    assert User.objects.get(pk=account.pk).get_full_name() == "王真"


def test_the_details_form_keeps_what_was_typed_when_something_is_missing(client, stranger_signed_up, sms_outbox):
    owner = Client()
    sign_in_by_code(owner, "13911112222", sms_outbox)
    area = stranger_signed_up.area_id
    response = owner.post(
        "/accounts/details/", {"name": "王真", "building": "2号楼", "room_number": "", "area": area, "consent": "on"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="王真"' in body and 'value="2号楼"' in body
    assert set(response.context["form"].errors) == {"room_number"} and 'aria-invalid="true"' in body


def test_the_owner_proving_the_number_through_the_api_also_drops_the_strangers_password(stranger_signed_up, sms_outbox):
    app = Client()
    assert post(app, "code", {"phone": "13911112222"}).status_code == 202
    answer = post(app, "token", {"phone": "13911112222", "code": last_code(sms_outbox)})
    assert answer.status_code == 403  # proven; the owner gives their details on the website first
    account = User.objects.get(phone=OWNER)
    assert account.phone_verified and not account.has_usable_password() and not ApiToken.objects.exists()


def test_whoever_signed_up_and_entered_the_code_keeps_their_password(client, xhy, sms_outbox):
    client.post("/accounts/signup/", {**STRANGER_SIGN_UP, "area": xhy.pk})
    client.post("/accounts/phone/verify/", {"code": last_code(sms_outbox)})
    account = User.objects.get(phone=OWNER)
    assert account.phone_verified and account.get_full_name() == "冒名者"
    fresh = Client()
    fresh.post("/accounts/login/", {"login": "13911112222", "password": "stranger-secret-42"})
    assert int(signed_in_user(fresh)) == account.pk


def test_a_password_sign_in_before_proving_asks_for_the_code_and_keeps_the_password_once_entered(
    stranger_signed_up, sms_outbox, clock
):
    # The one who chose the password comes back later, from another browser, and proves the number.
    clock.shift(60)
    again = Client()
    response = again.post("/accounts/login/", {"login": "13911112222", "password": "stranger-secret-42"})
    assert response["Location"] == "/accounts/phone/verify/" and signed_in_user(again) is None
    again.post("/accounts/phone/verify/", {"code": last_code(sms_outbox)})
    assert int(signed_in_user(again)) == stranger_signed_up.pk
    assert User.objects.get(pk=stranger_signed_up.pk).has_usable_password()


def test_staff_confirmed_details_stay_when_the_resident_first_signs_in_by_code(client, xhy_staff, sms_outbox):
    staff = Client()
    staff.force_login(xhy_staff)
    staff.post(
        "/admin/residents/add/",
        {"name": "赵德明", "phone": "13922223333", "building": "3号楼", "room_number": "101室", "consent": "on"},
    )
    sign_in_by_code(client, "13922223333", sms_outbox)
    account = User.objects.get(phone="+8613922223333")
    assert account.phone_verified and account.get_full_name() == "赵德明"
    assert client.get("/rooms/").status_code == 200  # no details step


def test_no_api_token_for_a_number_nobody_has_proven(client, stranger_signed_up):
    answer = post(client, "token", {"phone": "13911112222", "password": "stranger-secret-42"})
    assert answer.status_code == 403 and "验证码" in answer.json()["detail"]
    assert not ApiToken.objects.exists()
    # Nor does a token made for such an account some other way work.
    _token, key = ApiToken.objects.issue(stranger_signed_up)
    assert bearer(key) is None


def test_a_password_sign_in_retried_before_proving_is_a_friendly_429_not_an_error(stranger_signed_up, clock):
    clock.shift(60)  # past the sign-up's own code
    statuses = set()
    for _attempt in range(6):
        fresh = Client()
        response = fresh.post("/accounts/login/", {"login": "13911112222", "password": "stranger-secret-42"})
        statuses.add(response.status_code)
        if response.status_code == 429:
            assert "尝试次数过多" in response.content.decode()
    assert statuses == {302, 429}


# Signing out: a new password, the button, the desk


def test_a_new_password_signs_out_every_other_browser_and_every_app(client, resident, resident_token):
    phone_browser = Client()
    phone_browser.force_login(resident)
    client.force_login(resident)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-much-better-one-7", "password2": "a-much-better-one-7"},
    )
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200  # this browser stays signed in
    assert phone_browser.get("/accounts/me/").status_code == 302  # the other is signed out
    assert bearer(resident_token) is None


def test_my_data_lists_signed_in_apps_and_signs_out_one_or_everything_else(client, resident, clock):
    first, first_key = ApiToken.objects.issue(resident, client="社区小程序 iPhone")
    _second, second_key = ApiToken.objects.issue(resident, client="")
    bearer(first_key)
    other_browser = Client()
    other_browser.force_login(resident)
    client.force_login(resident)

    body = client.get("/accounts/me/").content.decode()
    assert "社区小程序 iPhone" in body and "最近使用" in body and "尚未使用" in body

    client.post(f"/accounts/me/apps/{first.pk}/sign-out/")
    assert bearer(first_key) is None and bearer(second_key) == resident
    assert other_browser.get("/accounts/me/").status_code == 200

    client.post("/accounts/me/sign-out-everywhere/")
    assert bearer(second_key) is None
    assert other_browser.get("/accounts/me/").status_code == 302
    assert client.get("/accounts/me/").status_code == 200


def test_nobody_signs_out_someone_elses_app(client, resident, xhy):
    token, key = ApiToken.objects.issue(resident)
    client.force_login(ResidentFactory(area=xhy, phone="+8613900000002"))
    assert client.post(f"/accounts/me/apps/{token.pk}/sign-out/").status_code == 404
    assert client.get(f"/accounts/me/apps/{token.pk}/sign-out/").status_code == 405
    assert bearer(key) == resident


def test_staff_reset_a_residents_access_at_the_desk_after_checking_identity(
    client, xhy_staff, wanliu_staff, resident, resident_token
):
    phone_browser = Client()
    phone_browser.force_login(resident)
    url = f"/admin/residents/{resident.pk}/"

    client.force_login(wanliu_staff)
    assert client.post(url, {"action": "reset_access", "identity_checked": "1"}).status_code == 404

    client.force_login(xhy_staff)
    client.post(url, {"action": "reset_access"})  # the identity box is not ticked
    assert bearer(resident_token) == resident
    client.post(url, {"action": "reset_access", "identity_checked": "1"})
    assert bearer(resident_token) is None
    assert phone_browser.get("/accounts/me/").status_code == 302
    assert not User.objects.get(pk=resident.pk).has_usable_password()
    assert ModelLogEntry.objects.filter(action="portal.resident.reset_access", object_id=str(resident.pk)).exists()


# Guessing at the admin's door


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_admin_login_stops_guessing_per_account_and_an_administrator_unlocks_it(
    client, xhy_staff, wanliu_staff, admin
):
    for _attempt in range(5):
        assert admin_login(client, "xhy-staff", "guess").status_code == 200
    locked = admin_login(client, "xhy-staff", PASSWORD, address="10.0.0.2")  # right password, new address
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode() and 'value="xhy-staff"' in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not held up.
    assert admin_login(client, "wl-staff", PASSWORD)["Location"] == "/admin/"

    browser = Client()
    browser.force_login(admin)
    unlock_url = f"/admin/users/{xhy_staff.pk}/unlock-sign-in/"
    assert unlock_url in browser.get(reverse("wagtailusers_users:edit", args=[xhy_staff.pk])).content.decode()
    assert browser.get(unlock_url).status_code == 200
    browser.post(unlock_url)
    assert ModelLogEntry.objects.filter(action="portal.user.unlock_sign_in").exists()
    assert admin_login(Client(), "xhy-staff", PASSWORD)["Location"] == "/admin/"


def test_the_admin_login_stops_one_address_guessing_many_accounts(client, wanliu_staff):
    for n in range(20):
        admin_login(client, f"guess-{n}", "guess")
    assert admin_login(client, "wl-staff", PASSWORD).status_code == 429
    assert admin_login(Client(), "wl-staff", PASSWORD, address="10.0.0.9")["Location"] == "/admin/"
    call_command("unlock_admin_login", address="10.0.0.1", stdout=io.StringIO())
    assert admin_login(Client(), "wl-staff", PASSWORD)["Location"] == "/admin/"


def test_only_those_who_change_users_unlock_them(client, xhy_staff, supervisor):
    for _attempt in range(5):
        admin_login(Client(), "xhy-staff", "guess")
    client.force_login(supervisor)
    refused = client.post(f"/admin/users/{xhy_staff.pk}/unlock-sign-in/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    assert admin_login(Client(), "xhy-staff", PASSWORD).status_code == 429  # still locked


# Texts cost money


def test_code_texts_are_capped_per_address_a_day_and_logged(client, residents, settings, sms_outbox, caplog):
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 3
    numbers = ["13900000001", "13900000002", "13900000003", "13900000004"]
    with caplog.at_level(logging.WARNING, logger="portal.sms"):
        answers = [post(client, "code", {"phone": number}).status_code for number in numbers]
        page = client.post("/accounts/login/", {"login": "13900000005", "password": ""})
    assert answers == [202, 202, 202, 429] and page.status_code == 429
    assert len(sms_outbox) == 3
    assert "SMS code cap reached" in caplog.text
    # Another address still gets its code.
    assert post(Client(REMOTE_ADDR="10.9.9.9"), "code", {"phone": "13900000006"}).status_code == 202


def test_code_texts_are_capped_for_the_whole_site_an_hour(client, residents, settings, sms_outbox):
    settings.SMS_CODES_PER_HOUR = 2
    answers = [
        post(Client(REMOTE_ADDR=f"10.1.1.{n}"), "code", {"phone": f"1390000000{n}"}).status_code for n in range(1, 4)
    ]
    assert answers == [202, 202, 429] and len(sms_outbox) == 2


def test_forged_forwarded_addresses_do_not_escape_the_caps(client, residents, settings, sms_outbox):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 2
    # Behind nginx, the client is the last address; what the client put before it is ignored.
    answers = [
        post(Client(HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7"), "code", {"phone": "13900000001"}).status_code
        for n in range(3)
    ]
    assert answers[:2] == [202, 202] and answers[2] == 429
    # A request that did not come through the proxy (no header) is counted by its own address.
    assert post(Client(), "code", {"phone": "13900000002"}).status_code == 202


def test_the_trusted_proxy_count_never_breaks_a_request(client, resident, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for forwarded in ("", "203.0.113.7", "not-an-address", "1.1.1.1, 2.2.2.2, 3.3.3.3"):
        response = Client(HTTP_X_FORWARDED_FOR=forwarded).post(
            "/accounts/login/", {"login": "13900000001", "password": "wrong"}
        )
        assert response.status_code == 200, forwarded


def test_resident_token_auth_refuses_accounts_without_details(resident):
    _token, key = ApiToken.objects.issue(resident)
    User.objects.filter(pk=resident.pk).update(privacy_consent_at=None)
    assert bearer(key) is None


# Wagtail's own front-end sign-ins


def test_wagtails_front_end_login_sends_readers_to_the_residents_sign_in(client, xhy_staff):
    response = client.get("/_util/login/?next=/notices/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/notices/"
    en = client.get("/en/_util/login/?next=/en/")
    assert en["Location"] == "/en/accounts/login/?next=/en/"
    # Nobody signs in with a password there any more.
    assert client.post("/_util/login/", {"username": "xhy-staff", "password": PASSWORD}).status_code != 200
    assert "_auth_user_id" not in client.session


def test_guesses_at_a_page_password_are_limited(client, xhy):
    from wagtail.models import PageViewRestriction

    page = xhy.site.root_page
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="correct horse"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    answers = [client.post(url, {"password": f"guess {n}", "return_url": "/"}).status_code for n in range(11)]
    assert 500 not in answers and answers[-1] == 429
    assert client.post(url, {"password": "correct horse", "return_url": "/"}).status_code == 429


def test_staff_and_administrator_numbers_open_nothing_on_the_residents_site(client, xhy_staff, sms_outbox):
    """Staff sign in to the admin (with a second factor where their role needs one): a number
    typed on the residents' sign-in page neither opens their account nor wipes what it holds."""
    User.objects.filter(pk=xhy_staff.pk).update(phone="+8613977770001")
    client.post("/accounts/login/", {"login": "13977770001", "password": ""})
    assert sms_outbox[-1].template == "unknown_account"
    assert "_auth_user_id" not in client.session
    client.post("/accounts/login/", {"login": "13977770001", "password": PASSWORD})  # the staff's own password
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=xhy_staff.pk).has_usable_password()


def test_look_alike_spellings_of_a_name_share_its_admin_sign_in_limit(client, xhy_staff):
    for spelling in ("xhy-staff", "XHY-STAFF", "ｘｈｙ-staff", "xhy-ｓｔａｆｆ", "Xhy-Staff"):
        admin_login(client, spelling, "guess")
    assert admin_login(Client(), "xhy-staff", PASSWORD, address="10.0.0.2").status_code == 429


def test_code_texts_are_counted_per_ipv6_network_not_per_address(client, residents, settings, sms_outbox):
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 2
    answers = [
        post(Client(REMOTE_ADDR=f"2001:db8:1:2::{n}"), "code", {"phone": f"1390000000{n}"}).status_code
        for n in range(1, 4)
    ]
    assert answers == [202, 202, 429]


def test_a_forwarded_address_counts_only_from_the_proxy(client, residents, settings, sms_outbox):
    """Straight from the internet, X-Forwarded-For is whatever the client wrote: ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 2
    answers = [
        post(
            Client(REMOTE_ADDR="8.8.4.4", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"), "code", {"phone": "13900000001"}
        ).status_code
        for n in range(3)
    ]
    assert answers == [202, 202, 429]


def test_an_areas_internal_documents_want_the_second_factor(xhy):
    from wagtail.documents import get_document_model

    LeadUserFactory(area=xhy, username="xhy-lead")

    internal = get_document_model().objects.create(
        title="名单", file=ContentFile(b"list", name="list.txt"), collection=xhy.internal_collection
    )
    lead = Client()
    lead.post("/admin/login/", {"username": "xhy-lead", "password": PASSWORD})  # no app set up yet
    response = lead.get(f"/documents/{internal.pk}/{internal.filename}")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/")
