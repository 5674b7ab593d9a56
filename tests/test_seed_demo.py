import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from home.models import ContentPage, HomePage
from portal.models import Area, AreaSettings, User
from tests.conftest import django_says, run_project


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.order_by("pk").values_list("hostname", "port", "root_page_id", "is_default_site")),
        "areas": list(Area.objects.values_list("name", "staff_group_id", "collection_id")),
        "images": get_image_model().objects.count(),
        "users": list(User.objects.order_by("username").values_list("username", "password")),
        "groups": Group.objects.count(),
        "settings": AreaSettings.objects.count(),
    }


def test_seed_builds_two_areas_with_chinese_and_english_home_pages(demo):
    assert set(demo) == {"xuhuiyuan", "wanliu"}
    assert demo["xuhuiyuan"].name == "徐汇苑居民区"
    assert demo["xuhuiyuan"].subdistrict == "枫林路街道"
    assert Site.objects.get(is_default_site=True).area == demo["xuhuiyuan"]
    assert demo["wanliu"].site.hostname == "wanliu.localhost"
    for area in demo.values():
        home = area.site.root_page.specific
        assert isinstance(home, HomePage) and home.live and home.hero_image is not None
        english = [p for p in home.get_translations() if p.locale.language_code == "en"]
        assert len(english) == 1 and english[0].live
        assert ContentPage.objects.child_of(home).live().filter(slug="about").exists()
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(depth=2, content_type__app_label="wagtailcore").exists()


def test_seeding_twice_changes_nothing(demo):
    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_seed_prints_addresses_and_demo_accounts(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "http://localhost:8000/" in text
    assert "http://wanliu.localhost:8000/" in text
    assert "/admin/" in text
    for username, password in [("xhy-staff", "xuhuiyuan2026"), ("wl-staff", "wanliu2026"), ("supervisor", "jiedao2026")]:
        assert f"{username} / {password}" in text
        assert User.objects.get(username=username).check_password(password)


def test_seed_refuses_without_demo_permission(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="xhy-staff").exists()


PRODUCTION = {
    "settings_module": "portal.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.cn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_refuse_seed_demo_and_need_a_secret_key():
    assert django_says("settings.DEMO_DATA_ALLOWED", **PRODUCTION) == "False"

    refused = run_project("manage.py", "seed_demo", **PRODUCTION)
    assert refused.returncode != 0
    assert "演示账号绝不能进入生产环境" in refused.stderr

    without_secret = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    missing = run_project("-c", "import django; django.setup()", **without_secret)
    assert missing.returncode != 0
    assert "SECRET_KEY is not set" in missing.stderr
