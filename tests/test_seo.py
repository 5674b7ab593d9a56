"""What search engines and shared-link previews read: every public page describes itself in a
meta description of its own, has alternates in the other language where a translation exists,
and personal pages are kept out of the index; robots.txt and the sitemap are served."""

import re
from html import unescape

import pytest

from home.models import NoticePage
from tests.conftest import page_of

pytestmark = pytest.mark.usefixtures("demo")

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
ROBOTS_NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex')
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def first_link(client, url, prefix):
    """The first link on the page at `url` whose address starts with `prefix` (a day, a week)."""
    match = re.search(f'href="({re.escape(prefix)}[^"]+)"', client.get(url).text)
    assert match, f"no link to {prefix}… on {url}"
    return match.group(1)


def public_urls(client):
    return [
        "/",
        "/about/",
        "/activities/",
        "/activities/qipao-group/",
        "/activities/month/",
        "/activities/list/",
        "/staff-schedule/",
        first_link(client, "/staff-schedule/", "/staff-schedule/week/"),
        "/notices/",
        "/notices/water-supply-works/",
        "/services/",
        "/services/long-term-care-insurance/",
        "/rooms/",
        "/rooms/piano-room/",
        first_link(client, "/rooms/piano-room/", "/rooms/piano-room/20"),
        "/suggestions/",
        "/suggestions/new/",
        "/search/?q=旗袍",
        "/accounts/privacy/",
        "/en/",
        "/en/activities/qipao-group/",
    ]


def test_every_public_page_describes_itself_and_may_be_indexed(client):
    described = {}
    for url in public_urls(client):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.text
        descriptions = DESCRIPTION.findall(html)
        assert len(descriptions) == 1, url
        description = unescape(descriptions[0])
        assert 10 <= len(description) <= 120, (url, description)
        assert "<" not in description and "\n" not in description, url
        described.setdefault(description, []).append(url)
        assert not ROBOTS_NOINDEX.search(html), url
        assert "X-Robots-Tag" not in response.headers, url
    shared = {text: urls for text, urls in described.items() if len(urls) > 1}
    assert shared == {}


def test_an_editors_search_description_comes_first_and_a_long_summary_is_cut(client, xhy):
    notice = NoticePage.objects.descendant_of(page_of(xhy)).get(slug="water-supply-works")
    notice.summary = "停水" * 100
    notice.save_revision().publish()
    (description,) = DESCRIPTION.findall(client.get("/notices/water-supply-works/").text)
    assert len(description) == 120 and description.startswith("停水停水")  # of a summary 200 long

    notice.search_description = "5–8号楼12月10日停水，请提前储水。"
    notice.save_revision().publish()
    assert DESCRIPTION.findall(client.get("/notices/water-supply-works/").text) == [notice.search_description]


def test_a_translated_page_names_both_languages_with_full_addresses(client):
    html = client.get("/activities/qipao-group/").text
    assert HREFLANG.findall(html) == [
        ("zh-Hans", "http://testserver/activities/qipao-group/"),
        ("en", "http://testserver/en/activities/qipao-group/"),
    ]
    # The notice has no English version: the header's English link goes to the English home page,
    # which is no alternate of the notice.
    html = client.get("/notices/water-supply-works/").text
    assert 'href="/en/"' in html
    assert HREFLANG.findall(html) == []


@pytest.mark.parametrize("url", ["/bookings/", "/accounts/me/", "/suggestions/mine/", "/suggestions/visits/"])
def test_personal_pages_are_kept_out_of_search_engines(client, resident, url):
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code == 200
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_the_sign_in_page_is_not_indexed(client):
    assert ROBOTS_NOINDEX.search(client.get("/accounts/login/").text)


def test_robots_txt_points_to_the_sitemap_which_lists_pages_in_both_languages_rooms_and_the_board(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert "Sitemap: http://testserver/sitemap.xml" in response.text

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.text)}
    assert {
        "/",
        "/notices/water-supply-works/",
        "/en/activities/qipao-group/",
        "/services/long-term-care-insurance/",
        "/en/services/long-term-care-insurance/",
        "/rooms/piano-room/",
        "/en/rooms/piano-room/",
        "/suggestions/",
    } <= paths
    assert not any(path.startswith(("/accounts/", "/bookings/", "/admin/")) for path in paths)
