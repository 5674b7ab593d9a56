"""Helpers the test modules share (fixtures are in tests/conftest.py)."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import Holiday, User


def client_for(user, **client_options):
    """A test client signed in as ``user`` (a User or a username)."""
    if isinstance(user, str):
        user = User.objects.get(username=user)
    client = Client(**client_options)
    client.force_login(user)
    return client


def refused(response):
    """Wagtail answers a missing permission with a redirect to the dashboard (and a message),
    or 403; our scoped views answer a row of another area with 404."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] in (reverse("wagtailadmin_home"), "/")
    )


def quiet_monday(days_ahead):
    """The first Monday at least ``days_ahead`` days from today whose week has no public holiday."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    day += dt.timedelta(days=-day.weekday() % 7)
    while Holiday.days_off(day, day + dt.timedelta(days=6)):
        day += dt.timedelta(days=7)
    return day
