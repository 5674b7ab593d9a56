"""Chinese at /, English under /en/, and the admin entirely in Chinese."""

import json
import re
from pathlib import Path

import polib
import pytest
import wagtail
from django.apps import apps
from django.urls import reverse
from django.utils.translation import trans_real
from wagtail.models import Page, Site

from home.models import HomePage
from tests.helpers import chinese_page, english_home


@pytest.fixture
def xhy_in_english(xhy):
    """徐汇苑's home page in English: "Xuhuiyuan Residents' Committee"."""
    return english_home(xhy, "Xuhuiyuan Residents' Committee")


@pytest.fixture
def about(xhy):
    """徐汇苑's 关于我们 page (/about/), in Chinese only."""
    return chinese_page(xhy.site.root_page, "关于我们", "about")


def test_chinese_home_page_is_at_the_root(client, xhy, xhy_in_english):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in body
    assert "<h1>徐汇苑居民区</h1>" in body
    assert "长辈模式" in body and "今日值班" in body
    assert 'href="/en/"' in body


def test_english_home_page_is_under_en_with_english_interface(client, xhy_in_english):
    response = client.get("/en/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in body
    assert "<h1>Xuhuiyuan Residents&#x27; Committee</h1>" in body
    assert "Large mode" in body and "On duty today" in body
    assert "今日值班" not in body
    # The way back to Chinese is labelled in Chinese.
    assert 'href="/" hreflang="zh-hans" lang="zh-Hans">简体中文</a>' in body


def test_each_area_is_served_on_its_own_host(client, xhy_in_english, wanliu):
    english_home(wanliu, "Wanliu Residents' Committee")
    response = client.get("/", HTTP_HOST="wanliu.localhost:8000")
    assert "<h1>宛六居民区</h1>" in response.content.decode()
    response = client.get("/en/", HTTP_HOST="wanliu.localhost:8000")
    assert "<h1>Wanliu Residents&#x27; Committee</h1>" in response.content.decode()


def test_language_link_goes_to_the_english_home_when_a_page_has_no_translation(client, xhy_in_english, about):
    body = client.get("/about/").content.decode()
    assert 'href="/en/" hreflang="en"' in body


def test_a_chinese_only_page_is_not_found_under_en(client, xhy_in_english, about):
    assert client.get("/about/").status_code == 200
    assert client.get("/en/about/").status_code == 404


def test_an_area_without_english_pages_redirects_en_to_chinese(client, db):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="无英文居民区", slug="zh-only"))
    Site.objects.create(hostname="zhonly.localhost", root_page=home, is_default_site=True)

    response = client.get("/en/", HTTP_HOST="zhonly.localhost")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "English" not in client.get("/", HTTP_HOST="zhonly.localhost").content.decode()


def wagtail_catalog_entries(domain):
    """Every string of Wagtail's installed apps, from their English source catalogs."""
    root = Path(wagtail.__file__).parent
    for path in root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
        app = ".".join(("wagtail", *path.relative_to(root).parts[:-4]))
        if apps.is_installed(app):
            yield from (entry for entry in polib.pofile(str(path)) if not entry.obsolete)


def test_every_wagtail_admin_string_has_a_chinese_translation():
    catalog = trans_real.translation("zh-hans")._catalog
    missing = []
    for entry in wagtail_catalog_entries("django"):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if (key if not entry.msgid_plural else (key, 0)) not in catalog:
            missing.append(entry.msgid)
    assert missing == []


def test_admin_javascript_strings_are_in_chinese(admin_client):
    response = admin_client.get(reverse("wagtailadmin_javascript_catalog"))
    match = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    catalog = json.loads(match.group(1))
    missing = [e.msgid for e in wagtail_catalog_entries("djangojs") if e.msgid not in catalog]
    assert missing == []


def test_admin_dashboard_is_in_chinese_for_staff(client, xhy_staff):
    client.force_login(xhy_staff)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="zh-hans"' in body
    assert "网站摘要" in body
    assert "Pages created in" not in body and "editor guide" not in body
