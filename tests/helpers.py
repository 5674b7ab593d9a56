"""Helpers the test modules share (fixtures are in tests/conftest.py)."""

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.localtime import at
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


def moment(day, time="10:00"):
    """That day at that time in Shanghai (10:00 unless given), as an aware datetime."""
    return at(day, dt.time.fromisoformat(time))


def quiet_monday(days_ahead):
    """The first Monday at least ``days_ahead`` days from today whose week has no public holiday."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    day += dt.timedelta(days=-day.weekday() % 7)
    while Holiday.days_off(day, day + dt.timedelta(days=6)):
        day += dt.timedelta(days=7)
    return day


def english_version(page, title, **fields):
    """A published English translation of `page` (its own page, not an alias, as the site has
    them), with its parents' translations made first where missing: the home page as it is, an
    activity index as "Activities"."""
    from wagtail.models import Locale

    en = Locale.objects.get_or_create(language_code="en")[0]
    parents = [ancestor.specific for ancestor in page.get_ancestors().filter(depth__gt=1)]
    for parent in parents:
        if parent.get_translation_or_none(en) is None:
            parent_en = parent.copy_for_translation(en)
            if parent.slug == "activities":
                parent_en.title = "Activities"
            parent_en.save_revision().publish()
    page_en = page.copy_for_translation(en)
    page_en.title = title
    for name, value in fields.items():
        setattr(page_en, name, value)
    page_en.save_revision().publish()
    return page_en


def text(html):
    """The words of some HTML, tags gone and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def main_text(response):
    """The words of a page's <main>."""
    html = response.content.decode()
    return text(re.search(r"<main.*?</main>", html, re.DOTALL).group(0))


def path_of(page):
    """A page's address as links on its own site write it."""
    return page.relative_url(page.get_site())


def says(page_text, chinese, english):
    """Chinese once the translations are compiled, the English source string before."""
    return chinese in page_text or english in page_text


def english_home(area, title):
    """The area's home page in English too: a published translation of its Chinese one, titled `title`."""
    return english_version(area.site.root_page.specific, title)


def chinese_page(parent, title, slug, **fields):
    """A published ContentPage under `parent`, in Chinese only."""
    from home.models import ContentPage

    page = parent.add_child(instance=ContentPage(title=title, slug=slug, **fields))
    page.save_revision().publish()
    return page
