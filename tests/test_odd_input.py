"""No input, however odd, gets a 500: every address of the site, the API and the admin, every live
page and its sub-URLs, replayed with boundary values in each query key, path parameter and form
field, signed out, as a resident and as staff (tests/walker.py)."""

import json

import pytest
from django.test import Client
from wagtail.models import Page, Site

from portal.models import User
from tests import walker

# Administrators reach more of Wagtail's own screens (users, groups, sites, workflows), walked
# by hand once: the walk keeps to those a resident, staff and anyone reach, to stay within CI time.
ROLES = {
    "signed out": None,
    "resident": {"phone": "+8613900000001"},
    "staff": {"username": "xhy-staff"},
}


def seeds(hosts):
    """Where the walk starts: each host's home pages and account pages, the admin, and every
    live page in either language."""
    sites = {site.pk: site.hostname for site in Site.objects.all()}
    pages = []
    for page in Page.objects.live().specific():
        parts = page.get_url_parts()
        if parts and parts[0] in sites:
            pages.append((sites[parts[0]], parts[2]))
    fixed = ["/", "/en/", "/rooms/", "/bookings/", "/accounts/me/", "/accounts/login/", "/accounts/signup/", "/admin/"]
    return [(host, path) for host in hosts for path in fixed] + pages


def api_visits(walk, host):
    """The API's query parameters, from its own schema (django-ninja reads them all at once)."""
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method != "get":
                continue
            keys = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
            filled = path.replace("{room_id}", "1").replace("{reservation_id}", "1")
            key = f"api:{path}"
            walk.visits[key] = walker.Visit(host, filled, keys=keys)


@pytest.mark.walk
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("role", ROLES)
def test_no_address_answers_odd_input_with_a_server_error(role, demo, recording):
    """A smoke test of the whole demo site: every kind of page, room, activity and booking it holds."""
    client = Client()
    client.raise_request_exception = True
    if ROLES[role]:
        client.force_login(User.objects.get(**ROLES[role]))
    hosts = [site.hostname for site in Site.objects.order_by("-is_default_site", "hostname")]
    walk = walker.Walk(client, hosts)
    walk.crawl(seeds(hosts))
    walk.cover()
    api_visits(walk, hosts[0])
    walk.replay()
    walk.submit_forms()
    assert not walk.failures, f"{len(walk.failures)} of {walk.requests} requests failed:\n" + "\n".join(
        walk.failures[:80]
    )


def test_a_nul_byte_is_refused_plainly_in_the_readers_language(client, piano, activity_index, resident_token):
    page = client.get(activity_index.url + "calendar/", {"category": "a\x00b"})
    assert page.status_code == 400 and "无法读取" in page.content.decode()
    english = client.get("/en/rooms/", {"q": "\x00"})
    assert english.status_code == 400 and "This cannot be read" in english.content.decode()
    form = client.post("/accounts/login/", {"login": "139\x0000000001", "password": ""})
    assert form.status_code == 400
    api = client.post(
        "/api/v1/reservations",
        f'{{"room": {piano.pk}, "start": "2026-12-10T14:00", "end": "2026-12-10T15:00", "purpose": "a\\u0000b"}}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {resident_token}"},
    )
    assert api.status_code == 400 and set(api.json()) == {"detail", "errors"}
    assert list(api.json()["errors"]) == ["__all__"]  # the NUL byte, not the booking's time or room


@pytest.mark.parametrize(("day", "time"), [("0001-01-01", "00:00"), ("9999-12-31", "23:30")])
def test_bookings_at_the_ends_of_the_calendar_are_refused_saying_why(
    client, resident, resident_token, piano, xhy_staff, day, time
):
    """Found: a Shanghai midnight of year 1 is in year 0 in UTC, and a booking ending after 31
    December 9999 ends in year 10000; the web form, the API and the staff form all fell over."""
    client.force_login(resident)
    url = f"/rooms/piano-room/{day}/{time}/"
    page = client.get(url)
    sent = client.post(url, {"minutes": "60", "headcount": "1", "request_key": "k", "confirm": "1"})
    for response in (page, sent):
        assert response.status_code == 400 and "1900" in response.content.decode() and day in response.content.decode()

    api = client.post(
        "/api/v1/reservations",
        {"room": piano.pk, "start": f"{day}T{time}", "end": f"{day}T{time}"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {resident_token}"},
    )
    assert api.status_code == 400 and "start" in api.json()["errors"]

    staff = Client()
    staff.force_login(xhy_staff)
    booked = staff.post(
        "/admin/booking/book-for-resident/",
        {
            "room": str(piano.pk),
            "phone": "13900000001",
            "date": day,
            "start": time,
            "end": "23:59",
            "headcount": "1",
            "request_key": "k",
        },
    )
    closed = staff.post(
        "/admin/booking/closures/new/", {"start": f"{day} 00:00", "end": f"{day} 23:59", "reason": "维修"}
    )
    for response in (booked, closed):
        assert response.status_code == 400 and "1900" in response.content.decode()


def test_a_nul_byte_in_the_api_is_refused_whatever_the_body_says_it_is(client, piano, resident_token):
    for content_type in ("application/json", "text/plain"):
        api = client.post(
            "/api/v1/reservations",
            f'{{"room": {piano.pk}, "start": "2026-12-10T14:00", "end": "2026-12-10T15:00", "purpose": "a\\u0000b"}}',
            content_type=content_type,
            headers={"Authorization": f"Bearer {resident_token}"},
        )
        assert api.status_code == 400 and set(api.json()) == {"detail", "errors"}, content_type
        assert list(api.json()["errors"]) == ["__all__"], content_type  # the NUL byte, not the time or room
