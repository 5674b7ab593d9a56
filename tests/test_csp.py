"""The Content-Security-Policy: public pages pass a strict one (nothing inline, nothing from another
host, no nonces, since anonymous pages are cached whole); the admin has its own, looser one."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

# What follows links would leave the public pages or fetch files rather than pages.
NOT_PAGES = ("/admin/", "/api/", "/documents/", "/media/", "/static/", "/accounts/logout/")
NOT_PAGE_ENDINGS = (".ics", ".xlsx", ".csv", "/calendar/", "/feed/", "/download/")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # data, never run


class InlineFinder(HTMLParser):
    """Inline scripts, event handler attributes, style attributes and elements, and the page's links."""

    def __init__(self):
        super().__init__()
        self.inline, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.inline.append(f"<script> at line {self.getpos()[0]}")
        if tag == "style":
            self.inline.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response, url):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no nonce, no host
    assert policy["object-src"] == ["'none'"], url
    for name, sources in policy.items():
        assert not any(s in ("*", "'unsafe-inline'", "'unsafe-eval'") or "://" in s for s in sources), (url, name)
        assert not any(s.startswith("'nonce-") for s in sources), (url, name)


def public_pages(client, starts, limit=100):
    """Follow the links of the public pages from `starts`: {address: response}."""
    seen, queue, pages = set(starts), deque(starts), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        finder = InlineFinder()
        finder.feed(response.content.decode())
        for href in finder.links:
            parts = urlsplit(urldefrag(href)[0])
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen and not link.startswith(NOT_PAGES) and not parts.path.endswith(NOT_PAGE_ENDINGS):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.usefixtures("demo")
def test_every_public_page_of_the_demo_passes_a_strict_policy(client):
    pages = public_pages(client, ["/", "/en/", "/suggestions/print/", "/accounts/login/", "/accounts/signup/"])
    html = {url: r for url, r in pages.items() if "text/html" in r.get("Content-Type", "")}
    assert len(html) > 40, sorted(pages)  # the walk reached the site, not just its home page
    assert any("/print/" in url for url in html) and any("/poster/" in url for url in html)
    for url, response in html.items():
        assert response.status_code < 500, url
        assert_strict(response, url)
        finder = InlineFinder()
        finder.feed(response.content.decode())
        assert not finder.inline, (url, finder.inline)


def test_a_signed_in_residents_pages_have_the_same_policy(client, resident, activity_index):
    client.force_login(resident)
    for url in ("/", "/bookings/", "/accounts/me/", activity_index.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response, url)


def test_the_admin_has_its_own_looser_policy(client, db):
    response = client.get("/admin/login/")
    policy = directives(response)
    # Wagtail's widgets run inline scripts; still nothing from another host.
    assert "'unsafe-inline'" in policy["script-src"]
    assert not any("://" in source for sources in policy.values() for source in sources)


def test_refusals_and_redirects_carry_the_policy_too(client, db):
    assert_strict(client.get("/rooms/%00/"), "a refused address")
    assert_strict(client.get("/en"), "a redirect")
