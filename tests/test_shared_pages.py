"""Pages for signed-in residents, kept once for every resident of an area
(portal/page_cache.py, SignedInPageCacheMiddleware): what one resident gets from the cache is
exactly the page made for them, never another's state, and fresh at once after a change."""

import copy
import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import signups
from activities.models import ActivityPage, Occurrence
from booking.models import Reservation, Room
from portal import page_cache
from tests.factories import ResidentFactory, numbered_resident
from tests.helpers import client_for
from tests.test_query_budgets import PAGES

pytestmark = pytest.mark.usefixtures("demo")

SIGNED_UP_TALK = "/activities/pet-care-talk/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def first(resident):
    return resident


@pytest.fixture
def second(xhy):
    return numbered_resident(2)


@pytest.fixture
def first_has_a_life(first):
    """The first resident signed up for the next pet talk and booked the piano room tomorrow."""
    talk = ActivityPage.objects.get(slug="pet-care-talk")
    session = Occurrence.objects.filter(
        activity=talk, start__gt=timezone.now(), status=Occurrence.Status.SCHEDULED
    ).order_by("start")[0]
    signups.sign_up(session, first)
    room = Room.objects.get(slug="piano-room")
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(20, 0)))
    Reservation.objects.create(
        room=room, resident=first, kind=Reservation.Kind.BOOKING, start=start, end=start + dt.timedelta(hours=1)
    )
    return first


def addresses():
    today = timezone.localdate().isoformat()
    return [url.format(today=today) for url in PAGES.values()] + [SIGNED_UP_TALK, f"/rooms/piano-room/{today}/"]


def page(client, url):
    """The page's HTML and the queries it cost."""
    with CaptureQueriesContext(connection) as done:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(done)


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_resident_gets_exactly_their_own_page_whatever_another_left(settings, first_has_a_life, second):
    """Every public page, made first for a resident with sign-ups and a booking, then asked for by
    another resident of the area: the second gets what would have been made for them alone."""
    first_client, second_client = client_for(first_has_a_life), client_for(second)
    for url in addresses():
        page(first_client, url)
        page(first_client, url)
        kept, _made = page(second_client, url)
        settings.PAGE_CACHE_SECONDS = 0
        fresh, _made = page(second_client, url)
        settings.PAGE_CACHE_SECONDS = 60
        assert without_tokens(kept) == without_tokens(fresh), url
        assert first_has_a_life.get_full_name() not in kept


def test_a_kept_page_costs_the_session_and_the_account_only(first, second):
    for url in [url.format(today=timezone.localdate().isoformat()) for url in PAGES.values()]:
        made_for_first, made = page(client_for(first), url)
        assert made > 2, url
        found, made = page(client_for(second), url)
        assert made <= 2, url  # the session and the account (test settings keep sessions in the database)
        assert found == made_for_first and "我的信息" in found


def test_a_page_showing_the_residents_own_state_is_never_kept(first_has_a_life, second):
    """The pet talk's page offers each session's sign-up (a form, with its CSRF token) and tells
    the first resident they are signed up."""
    theirs, _made = page(client_for(first_has_a_life), SIGNED_UP_TALK)
    again, made = page(client_for(first_has_a_life), SIGNED_UP_TALK)
    assert made > 2 and "取消报名" in again
    others, made = page(client_for(second), SIGNED_UP_TALK)
    assert made > 2 and "取消报名" not in others


def test_residents_of_another_area_and_visitors_get_their_own_kept_pages(first, wanliu):
    neighbour = ResidentFactory(area=wanliu, phone="+8613800000077")
    made_for_first, _made = page(client_for(first), "/services/")
    _found, made = page(client_for(neighbour), "/services/")
    assert made > 2  # another area's residents are other readers
    anonymous, _made = page(Client(), "/services/")
    assert "我的信息" not in anonymous and "我的信息" in made_for_first


def test_staff_and_residents_with_rights_never_share_pages(first, second, xhy_staff):
    page(client_for(first), "/")
    staff_page, made = page(client_for(xhy_staff), "/")
    assert made > 2 and "userbar" in staff_page
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    second.groups.add(editors)
    page(client_for(first), "/")
    theirs, made = page(client_for(second), "/")
    assert made > 2 and "userbar" in theirs


def test_a_message_waiting_is_shown_and_its_page_not_kept(first, second):
    page(client_for(first), "/notices/")
    client = client_for(second)
    storage, carrier = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(constants.SUCCESS, "您的预约已取消")
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    shown, made = page(client, "/notices/")
    assert "您的预约已取消" in shown and made > 2
    after, _made = page(client_for(first), "/notices/")
    assert "您的预约已取消" not in after
    assert "您的预约已取消" not in page(client, "/notices/")[0]  # shown once


def test_a_resident_who_owes_their_details_is_sent_to_give_them(first, second):
    page(client_for(first), "/")
    second.privacy_consent_at = None
    second.save(update_fields=["privacy_consent_at"])
    response = client_for(second).get("/")
    assert response.status_code == 302 and "/accounts/details/" in response["Location"]


def test_a_change_shows_at_once_to_signed_in_residents(first, second):
    url = f"/rooms/piano-room/{(timezone.localdate() + dt.timedelta(days=2)).isoformat()}/"
    page(client_for(first), url)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(20, 0)))
    Reservation.objects.create(
        room=Room.objects.get(slug="piano-room"),
        kind=Reservation.Kind.CLASS,
        start=start,
        end=start + dt.timedelta(hours=1),
        label="临时合唱排练",
    )
    assert "临时合唱排练" in page(client_for(second), url)[0]


def test_a_signed_out_resident_gets_the_visitors_page(first):
    client = client_for(first)
    page(client, "/notices/")
    client.logout()
    html, _made = page(client, "/notices/")
    assert "我的信息" not in html and "登录" in html


def test_a_head_request_gets_the_pages_length(first, second):
    page(client_for(first), "/notices/")
    client = client_for(second)
    head, got = client.head("/notices/"), client.get("/notices/")
    assert head.status_code == 200 and head["Content-Length"] == str(len(got.content))


def test_whatever_reads_the_resident_through_a_copy_or_an_object_is_noticed(first):
    for read in (
        copy.copy,
        copy.deepcopy,
        str,
        hash,
        lambda user: user == first,
        lambda user: user.has_perm("x.y", first),
    ):
        reader = page_cache.WatchedReader(first)
        read(reader)
        assert reader.personal, read
    reader = page_cache.WatchedReader(first)
    assert (
        reader.is_authenticated and reader.area_id == first.area_id and not reader.has_perm("wagtailadmin.access_admin")
    )
    assert not reader.personal
