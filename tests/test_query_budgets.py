"""Query budgets of the public pages (docs/architecture.md, tests): each costs at most 15 queries,
for an anonymous visitor whose page is not kept yet and for a signed-in resident, with the
parts of pages the cache keeps (portal/page_cache.py) already kept, as in a running worker; and
no more once the demo has ten times the notices, sessions, rooms, shifts and suggestions. The
first page made after a write, when nothing kept before it counts any more, keeps the budget too."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Occurrence
from booking.models import Room
from home.models import NoticeIndexPage, NoticePage
from outreach.models import Suggestion
from portal.page_cache import AnonymousPageCacheMiddleware, SignedInPageCacheMiddleware, new_generation
from staff.models import Shift, StaffMember
from tests.factories import RoomFactory, StaffMemberFactory
from tests.helpers import client_for

pytestmark = pytest.mark.usefixtures("demo")

BUDGET = 15
PAGES = {
    "home": "/",
    "activity page": "/activities/qipao-group/",
    "month view": "/activities/month/",
    "service guide": "/services/senior-allowance/",
    "search": "/search/?q=旗袍",
    "room page": "/rooms/piano-room/",
    "notice page": "/notices/water-supply-works/",
    "activity index": "/activities/",
    "staff schedule": "/staff-schedule/",
    "notice board": "/notices/",
    "services page": "/services/",
    "room list": "/rooms/",
    "a room's day": "/rooms/piano-room/{today}/",
    "suggestion board": "/suggestions/",
}


@pytest.fixture(autouse=True)
def kept_parts(settings, monkeypatch):
    """Parts of pages kept as in production, whole pages not: the budget is for making a page."""
    settings.PAGE_CACHE_SECONDS = 60
    monkeypatch.setattr(AnonymousPageCacheMiddleware, "key", staticmethod(lambda request: None))
    monkeypatch.setattr(SignedInPageCacheMiddleware, "sharing", staticmethod(lambda request: None))


def cost(client, url, **extra):
    """The queries of the page once a first reader has had it."""
    assert client.get(url, **extra).status_code == 200
    with CaptureQueriesContext(connection) as done:
        assert client.get(url, **extra).status_code == 200
    return len(done)


def cold_cost(client, url):
    """The queries of the page made again right after a write: the parts kept before it (site,
    menus, fragments, permissions) belong to an old generation and are made afresh."""
    assert client.get(url).status_code == 200
    new_generation()  # what every write to a table pages read does (portal.page_cache.note_writes)
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def grow(area, times=10):
    """`times` as many notices, sessions, rooms, today's shifts and public suggestions in the area."""
    more = range(1, times)
    board = NoticeIndexPage.objects.descendant_of(area.site.root_page).get(locale__language_code="zh-hans")
    for notice, n in itertools.product(list(NoticePage.objects.child_of(board)), more):
        copy = NoticePage(
            title=f"{notice.title}（{n}）",
            slug=f"{notice.slug}-{n}",
            category=notice.category,
            date=notice.date,
            summary=notice.summary,
            live=True,
            first_published_at=timezone.now(),
        )
        board.add_child(instance=copy)
    Occurrence.objects.bulk_create(
        Occurrence(
            activity_id=session.activity_id,
            area=area,
            original_start=session.original_start + dt.timedelta(minutes=n),
            start=session.start + dt.timedelta(minutes=n),
            end=session.end + dt.timedelta(minutes=n),
            status=session.status,
            room_id=session.room_id,
        )
        for session, n in itertools.product(list(Occurrence.objects.filter(area=area)), more)
    )
    for _room, n in itertools.product(list(Room.objects.filter(area=area)), more):
        RoomFactory(area=area, slug=f"extra-room-{_room.pk}-{n}")
    today = timezone.localdate()
    shifts = list(Shift.objects.filter(week__area=area, start__date__gte=today - dt.timedelta(days=1)))
    members = {
        member.pk: [StaffMemberFactory(area=area) for _n in more] for member in StaffMember.objects.filter(area=area)
    }
    Shift.objects.bulk_create(
        Shift(
            week_id=shift.week_id,
            staff=member,
            duty=shift.duty,
            desk=shift.desk,
            place=shift.place,
            start=shift.start,
            end=shift.end,
        )
        for shift in shifts
        for member in members[shift.staff_id]
    )
    suggestions = list(Suggestion.objects.filter(area=area))
    for suggestion, n in itertools.product(suggestions, more):
        number = suggestion.number.split("-x")[0]  # 2026-0001, at most 20 characters on PostgreSQL
        suggestion.pk = None
        suggestion.number = f"{number}-x{n}"
        suggestion.save()


def urls():
    today = timezone.localdate().isoformat()
    return {name: url.format(today=today) for name, url in PAGES.items()}


def test_public_pages_cost_at_most_15_queries_however_much_there_is(client, demo, resident, resident_token):
    room = Room.objects.get(area=demo["xuhuiyuan"], slug="piano-room")
    api = f"/api/v1/rooms/{room.pk}/availability"
    token = {"Authorization": f"Bearer {resident_token}"}
    signed_in = client_for(resident)

    def costs():
        pages = {name: cost(client, url) for name, url in urls().items()}
        pages |= {f"{name}, signed in": cost(signed_in, url) for name, url in urls().items()}
        return pages | {"availability API": cost(client, api, headers=token)}

    few = costs()
    grow(demo["xuhuiyuan"])
    many = costs()
    assert max(few.values()) <= BUDGET, few
    assert max(many.values()) <= BUDGET, many
    # A page of search results reads each kind of page found once (.specific()): ten times the
    # notices bring notices onto the first page, one query more, and never one per result.
    for search in ("search", "search, signed in"):
        assert many.pop(search) - few.pop(search) <= 1
    assert many == few


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("name", PAGES)
def test_a_public_page_costs_at_most_15_queries_when_first_made_after_a_write(client, resident, name, signed_in):
    reader = client_for(resident) if signed_in else client
    assert cold_cost(reader, urls()[name]) <= BUDGET
