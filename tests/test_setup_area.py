"""`manage.py setup_area`: an operator's first area on a fresh installation, and the refusals
that keep it from clobbering one that exists."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from portal.models import Area, User

STRONG = "枫林-lead-2026-opens-the-door"
XHY = {
    "name": "徐汇苑居民区",
    "slug": "xuhuiyuan",
    "subdistrict": "枫林路街道",
    "hostname": "xuhuiyuan.example.cn",
    "admin_username": "chen-liping",
    "admin_phone": "139 0000 0101",
}


def setup_area(**options):
    out = io.StringIO()
    call_command("setup_area", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", STRONG)


def test_a_fresh_installation_gets_its_area_site_and_lead(client, db, password):
    said = setup_area(**XHY)

    assert "https://xuhuiyuan.example.cn/admin/" in said
    area = Area.objects.get(slug="xuhuiyuan")
    site = area.site
    assert (site.hostname, site.port, site.is_default_site) == ("xuhuiyuan.example.cn", 443, True)
    assert not Page.objects.filter(depth=2, content_type__app_label="wagtailcore").exists()  # Wagtail's welcome
    assert Site.objects.count() == 1
    assert Page.get_first_root_node().title == "枫林路街道"

    home = client.get("/", HTTP_HOST="xuhuiyuan.example.cn")
    assert home.status_code == 200 and "徐汇苑居民区" in home.content.decode()

    lead = User.objects.get(username="chen-liping")
    assert lead.check_password(STRONG) and lead.phone == "+8613900000101"
    assert lead.area == area and not lead.is_superuser
    assert set(lead.groups.all()) == {area.staff_group, area.lead_group}
    assert lead.has_perm("wagtailadmin.access_admin")
    assert site.root_page.permissions_for_user(lead).can_publish()


def test_a_second_area_is_not_the_default_site(db, password):
    setup_area(**XHY)
    wanliu = {"name": "宛六居民区", "slug": "wanliu", "hostname": "wanliu.example.cn", "admin_username": "zhou"}
    setup_area(**{**XHY, **wanliu, "admin_phone": ""})
    assert Site.objects.get(hostname="wanliu.example.cn").is_default_site is False
    assert Area.objects.count() == 2


def test_what_exists_is_refused_and_nothing_is_created(db, password):
    setup_area(**XHY)
    again = {**XHY, "slug": "xhy2", "admin_username": "someone-else", "admin_phone": ""}
    with pytest.raises(CommandError, match="xuhuiyuan.example.cn:443") as refused:
        setup_area(**again)
    assert "徐汇苑居民区" in str(refused.value)  # every clash is named at once
    with pytest.raises(CommandError, match="chen-liping"):
        setup_area(**{**XHY, "name": "新区", "slug": "new", "hostname": "new.example.cn", "admin_phone": ""})
    with pytest.raises(CommandError, match="8613900000101"):
        setup_area(**{**XHY, "name": "新区", "slug": "new", "hostname": "new.example.cn", "admin_username": "new"})
    assert Area.objects.count() == 1 and Site.objects.count() == 1
    assert not User.objects.filter(username__in=["someone-else", "new"]).exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"slug": "徐汇苑"}, "--slug"),
        ({"admin_phone": "12345"}, "--admin-phone"),
        ({"port": 0}, "65535"),
    ],
)
def test_odd_options_are_refused_plainly(db, password, options, message):
    with pytest.raises(CommandError, match=message):
        setup_area(**{**XHY, **options})
    assert not Area.objects.exists()


def test_the_password_is_never_on_the_command_line(db, monkeypatch):
    monkeypatch.delenv("PORTAL_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="PORTAL_ADMIN_PASSWORD"):
        setup_area(**XHY)  # no terminal to ask in
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        setup_area(**XHY)  # too short, too common
    assert not Area.objects.exists() and not User.objects.filter(username="chen-liping").exists()


def test_the_first_administrator_may_be_the_installations(db, password):
    setup_area(**XHY, superuser=True)
    admin = User.objects.get(username="chen-liping")
    assert admin.is_superuser and admin.area is None
