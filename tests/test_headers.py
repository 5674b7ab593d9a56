"""What responses tell browsers and proxies: personal pages are never cached, anything made for
someone signed in stays private, and production's security settings (HSTS, check --deploy)."""

import datetime as dt

import pytest
from django.utils import timezone

from booking import rules
from tests.conftest import django_says, run_project


def cache_directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def booking(resident, piano):
    """The resident's booking of the piano room (open daily 13:30–20:30) from 14:00 to 15:00 the day after tomorrow."""
    day = timezone.localdate() + dt.timedelta(days=2)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    reservation, _created = rules.book(room=piano, start=start, end=start + dt.timedelta(hours=1), resident=resident)
    return reservation


def test_every_page_of_personal_data_is_private_and_never_stored(client, resident, booking, activity_index):
    client.force_login(resident)
    pages = [
        "/accounts/me/",
        "/accounts/me/download/",
        "/accounts/welcome/",
        "/accounts/close/",
        "/bookings/",
        f"/bookings/{booking.pk}/",
        f"/bookings/{booking.pk}/booking.ics",
        activity_index.url + activity_index.reverse_subpage("my_signups"),
        "/en/bookings/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response), url


def test_a_public_page_made_for_someone_signed_in_is_private(client, resident, activity_index):
    public = client.get(activity_index.url)
    assert "private" not in cache_directives(public)
    client.force_login(resident)
    for url in ("/", activity_index.url, activity_index.url + "calendar/", "/rooms/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in cache_directives(response) and "public" not in cache_directives(response), url


PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "xuhuiyuan.example.cn",
    "WAGTAILADMIN_BASE_URL": "https://xuhuiyuan.example.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def test_production_passes_the_deployment_checks():
    result = run_project("manage.py", "check", "--deploy", settings_module="portal.settings.production", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_as_configured():
    production = {"settings_module": "portal.settings.production", **PRODUCTION}
    assert django_says("settings.SECURE_HSTS_SECONDS", **production) == str(365 * 24 * 60 * 60)
    assert django_says("settings.SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS="3600", **production) == "3600"
    assert django_says("settings.SECURE_HSTS_INCLUDE_SUBDOMAINS", **production) == "True"


def test_production_refuses_to_start_without_the_admins_address():
    production = {**PRODUCTION}
    del production["WAGTAILADMIN_BASE_URL"]
    said = django_says("settings.DEBUG", settings_module="portal.settings.production", **production)
    assert "WAGTAILADMIN_BASE_URL is not set" in said
