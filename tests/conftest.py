import io

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from portal.models import Area, User


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The demo residents' areas, as `make run` loads them."""
    call_command("seed_demo", stdout=io.StringIO())
    return {area.slug: area for area in Area.objects.select_related("site__root_page")}


@pytest.fixture
def xhy(demo):
    return demo["xuhuiyuan"]


@pytest.fixture
def wanliu(demo):
    return demo["wanliu"]


@pytest.fixture
def xhy_staff(demo):
    return User.objects.get(username="xhy-staff")


@pytest.fixture
def supervisor(demo):
    return User.objects.get(username="supervisor")


@pytest.fixture
def en_locale(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def page_of(area, slug=None, language="zh-hans"):
    """A live page of an area's tree in one language (its home page when slug is None)."""
    home = area.site.root_page
    if language != home.locale.language_code:
        home = home.get_translation(Locale.objects.get(language_code=language))
    if slug is None:
        return home.specific
    return Page.objects.child_of(home).get(slug=slug).specific
