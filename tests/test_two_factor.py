"""Two-step verification for the admin (portal/two_factor.py)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from portal.two_factor import requires_two_factor
from tests.conftest import unverified_force_login
from tests.factories import PASSWORD, LeadUserFactory, UserFactory


@pytest.fixture
def accounts(xhy, xhy_staff, supervisor):
    """The administrator (a superuser), the supervisor, 徐汇苑's lead and one of its staff, each
    signing in with the factories' password."""
    return {
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "supervisor": supervisor,
        "xhy-lead": LeadUserFactory(area=xhy, username="xhy-lead"),
        "xhy-staff": xhy_staff,
    }


def code(device):
    """The code the user's app shows now (the test clock's now: time-machine moves time.time)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def give_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(client, username, otp_token="", address="10.0.0.1"):
    data = {"username": username, "password": PASSWORD, "otp_token": otp_token}
    return client.post("/admin/login/", data, REMOTE_ADDR=address)


def verified_login(client, user):
    client.force_login(user)  # conftest: verified by a device


@pytest.mark.parametrize(
    ("username", "required"), [("admin", True), ("supervisor", True), ("xhy-lead", True), ("xhy-staff", False)]
)
def test_administrators_supervisors_and_leads_need_it(accounts, username, required):
    assert requires_two_factor(accounts[username]) is required


def test_a_lead_without_an_app_sets_one_up_before_using_the_admin(client, accounts, clock):
    response = sign_in(client, "xhy-lead")
    assert response["Location"] == "/admin/"
    setup = client.get("/admin/")
    assert setup.status_code == 302 and setup["Location"].startswith("/admin/two-factor/?next=")
    page = client.get(setup["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="xhy-lead", confirmed=False)
    assert client.get("/admin/two-factor/").context["secret"].replace(" ", "")  # same pending device on reload
    assert TOTPDevice.objects.filter(user__username="xhy-lead").count() == 1

    wrong = client.post("/admin/two-factor/", {"otp_token": "000000", "password": PASSWORD})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    clock.shift(dt.timedelta(seconds=2))  # django-otp's delay after the wrong code
    done = client.post("/admin/two-factor/", {"otp_token": code(device), "password": PASSWORD, "next": "/admin/"})
    assert done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="portal.user.two_factor_enabled").exists()


def test_with_an_app_the_code_is_part_of_signing_in(client, accounts, clock):
    device = give_device(accounts["supervisor"])
    missing = sign_in(client, "supervisor")
    assert missing.status_code == 200 and "_auth_user_id" not in client.session
    # Same message as a wrong password: a right password is not confirmed to a guesser.
    assert "密码或动态码不正确" in missing.content.decode()
    assert sign_in(client, "supervisor", "123456").status_code == 200

    clock.shift(dt.timedelta(seconds=5))  # django-otp waits 1 s, 2 s, 4 s ... after wrong codes
    token = code(device)
    assert sign_in(client, "supervisor", token)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # A code works once (django-otp's last_t), even in another browser.
    assert sign_in(Client(), "supervisor", token).status_code == 200
    clock.shift(dt.timedelta(seconds=30))
    assert sign_in(Client(), "supervisor", code(device))["Location"] == "/admin/"


def test_a_session_signed_in_without_a_code_enters_one(client, accounts, xhy, clock):
    """Signed in elsewhere (the residents' site by SMS code, force_login): /admin/ asks for a code."""
    lead = accounts["xhy-lead"]
    device = give_device(lead)
    unverified_force_login(client, lead)
    response = client.get("/admin/pages/")
    assert response["Location"] == "/admin/two-factor/verify/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/two-factor/").status_code == 302  # no setting up a new app unverified
    assert client.post(response["Location"], {"otp_token": "999999"}).status_code == 200
    clock.shift(dt.timedelta(seconds=5))
    done = client.post(response["Location"], {"otp_token": code(device), "next": "/admin/pages/"})
    assert done["Location"] == "/admin/pages/"
    # In: the page explorer sends a lead of one area's tree (no English home here) straight to its home.
    explorer = client.get("/admin/pages/", follow=True)
    assert explorer.status_code == 200
    assert explorer.redirect_chain == [(f"/admin/pages/{xhy.site.root_page_id}/", 302)]


def test_wrong_codes_count_against_the_admin_login_limit(client, accounts, clock):
    device = give_device(accounts["xhy-lead"])
    for _ in range(5):
        assert sign_in(client, "xhy-lead", "000000").status_code == 200
    clock.shift(dt.timedelta(minutes=1))  # past django-otp's own delay, not past the 15 minutes
    assert sign_in(client, "xhy-lead", code(device)).status_code == 429


def test_staff_without_an_app_sign_in_with_the_password(client, accounts):
    assert sign_in(client, "xhy-staff")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_administrator_resets_a_lost_phone(client, accounts):
    lead = accounts["xhy-lead"]
    give_device(lead)
    lead_browser = Client()
    verified_login(lead_browser, lead)
    assert lead_browser.get("/admin/").status_code == 200

    verified_login(client, accounts["admin"])
    url = f"/admin/users/{lead.pk}/reset-two-factor/"
    assert url in client.get(f"/admin/users/edit/{lead.pk}/").content.decode()
    assert client.post(url)["Location"] == f"/admin/users/edit/{lead.pk}/"
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert lead_browser.get("/admin/")["Location"].startswith("/admin/login/")  # signed out everywhere
    assert sign_in(Client(), "xhy-lead")["Location"] == "/admin/"  # and sets up a new app next
    assert ModelLogEntry.objects.filter(action="portal.user.two_factor_reset").exists()


def test_only_administrators_reset(client, accounts):
    lead = accounts["xhy-lead"]
    give_device(lead)
    verified_login(client, accounts["supervisor"])
    refused = client.post(f"/admin/users/{lead.pk}/reset-two-factor/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    assert TOTPDevice.objects.filter(user=lead, confirmed=True).exists()


def test_the_server_resets_the_last_administrator(accounts):
    admin = accounts["admin"]
    give_device(admin)
    call_command("reset_two_factor", "admin", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_the_qr_code_is_an_otpauth_uri_for_this_portal(client, accounts):
    verified_login(client, accounts["xhy-staff"])  # optional for staff
    assert client.get("/admin/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user__username="xhy-staff", confirmed=False)
    assert re.match(
        r"^otpauth://totp/%E5%B1%85.*%3Axhy-staff\?secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30&issuer=",
        device.config_url,
    )
