"""Areas, their staff groups and what each role can reach in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Site

from home.models import HomePage
from portal.models import Area, User
from portal.roles import SUPERVISOR_GROUP_NAME
from services.models import ServiceGuidePage, ServiceLibraryPage
from tests.conftest import page_of
from tests.factories import ImageFactory
from tests.helpers import chinese_page, english_home


def picture(area, title):
    """An image in the area's media collection."""
    return ImageFactory(title=title, collection=area.collection)


@pytest.fixture
def sites(xhy, wanliu):
    """What each area's staff find in the admin: the home page in Chinese and in English, a
    关于我们 page (Chinese only) and a picture in the area's media collection."""
    for area, title_en in ((xhy, "Xuhuiyuan Residents' Committee"), (wanliu, "Wanliu Residents' Committee")):
        english_home(area, title_en)
        chinese_page(area.site.root_page, "关于我们", "about")
        picture(area, f"{area.name}活动室")


def test_creating_an_area_creates_its_staff_group_with_rights_on_every_language_root(db, en_locale):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="测试居民区", slug="ceshi"))
    home_en = home.copy_for_translation(en_locale)
    site = Site.objects.create(hostname="ceshi.localhost", root_page=home)

    area = Area.objects.create(name="测试居民区", slug="ceshi", subdistrict="枫林路街道", site=site)

    assert area.staff_group.name == "测试居民区工作人员"
    granted = {(p.page_id, p.permission.codename) for p in GroupPagePermission.objects.filter(group=area.staff_group)}
    for page in (home, home_en):
        assert {(page.pk, "add_page"), (page.pk, "change_page"), (page.pk, "publish_page")} <= granted
    assert area.staff_group.permissions.filter(codename="access_admin").exists()
    assert area.collection.name == "测试居民区"


def test_an_english_home_page_added_later_is_editable_by_the_areas_staff(db, en_locale):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="测试居民区", slug="ceshi"))
    area = Area.objects.create(
        name="测试居民区",
        slug="ceshi",
        subdistrict="枫林路街道",
        site=Site.objects.create(hostname="t", root_page=home),
    )
    staff = User.objects.create_user("t-staff", password="x")
    staff.groups.add(area.staff_group)

    home_en = home.copy_for_translation(en_locale)

    assert home_en.permissions_for_user(staff).can_edit()


@pytest.fixture
def staff_client(client, xhy_staff):
    client.force_login(xhy_staff)
    return client


def test_staff_admin_is_in_chinese_and_scoped_to_their_area(staff_client, sites):
    response = staff_client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 200
    listed = {page.title for page in response.context["pages"]}
    assert listed == {"徐汇苑居民区", "Xuhuiyuan Residents' Committee"}
    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "页面" in body and "Pages" not in body


def test_page_choosers_list_only_the_staff_members_own_pages(staff_client, sites):
    browse = staff_client.get(reverse("wagtailadmin_choose_page")).json()["html"]
    assert "Xuhuiyuan Residents" in browse and "徐汇苑居民区" in browse
    assert "Wanliu" not in browse and "宛六居民区" not in browse
    found = staff_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "关于"}).content.decode()
    assert "关于我们" in found and "徐汇苑居民区" in found
    assert "宛六居民区" not in found


def test_staff_can_link_a_notice_to_a_shared_service_guide(staff_client, xhy):
    """The subdistrict's guide library sits outside every area's site."""
    library = Page.get_first_root_node().add_child(
        instance=ServiceLibraryPage(title="枫林路街道办事指南", slug="service-guides")
    )
    library.save_revision().publish()
    guide = library.add_child(
        instance=ServiceGuidePage(
            title="长期护理保险申请",
            slug="long-term-care-insurance",
            theme="elderly",
            summary="长期护理保险（简称长护险）为生活不能自理的老人提供照护。",
            eligibility="<p>年满60周岁的本市医保参保人员。</p>",
        )
    )
    guide.save_revision().publish()
    assert "枫林路街道办事指南" in staff_client.get(reverse("wagtailadmin_choose_page")).json()["html"]
    guides = staff_client.get(reverse("wagtailadmin_choose_page_child", args=[library.pk])).json()["html"]
    assert "长期护理保险申请" in guides
    found = staff_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "长护险"}).content.decode()
    assert "长期护理保险申请" in found


def test_wagtails_default_groups_grant_nothing_across_areas(db):
    assert not GroupPagePermission.objects.filter(group__name__in=["Editors", "Moderators"]).exists()
    assert not GroupCollectionPermission.objects.filter(group__name__in=["Editors", "Moderators"]).exists()


def test_an_administrator_puts_a_new_staff_member_in_an_area(admin_client, xhy):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "new-staff",
            "email": "zhou@example.cn",
            "first_name": "晓",
            "last_name": "周",
            "phone": "13900001111",
            "area": xhy.pk,
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "groups": [xhy.staff_group.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="new-staff")
    assert (user.area, user.phone) == (xhy, "+8613900001111")
    assert user.groups.filter(pk=xhy.staff_group.pk).exists()


def test_an_areas_site_cannot_be_switched_after_creation(admin_client, xhy, wanliu):
    response = admin_client.post(
        reverse("areas:edit", args=[xhy.pk]),
        {"name": xhy.name, "slug": xhy.slug, "subdistrict": "枫林路街道", "site": wanliu.site.pk},
    )
    assert response.status_code == 302
    xhy.refresh_from_db()
    assert xhy.site.hostname == "localhost"


def test_staff_dashboard_counts_only_their_own_pages(staff_client, xhy, sites):
    chinese_page(page_of(xhy, "about"), "居委会成员", "members")  # a level deeper
    body = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    own = sum(
        Page.objects.descendant_of(home, inclusive=True).count()
        for home in xhy.site.root_page.get_translations(inclusive=True)
    )
    assert own > 3 and f"{own} 个页面" in body  # both home pages and everything below them, not 宛六's
    assert "徐汇苑居民区" in body


def test_staff_can_edit_their_own_pages_but_not_another_areas(staff_client, xhy, wanliu, sites):
    own = page_of(xhy, "about")
    other = page_of(wanliu, "about")
    assert staff_client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    response = staff_client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert response.status_code in (302, 403)
    assert staff_client.get(reverse("wagtailadmin_explore", args=[other.pk])).status_code in (302, 403)
    for language in ("zh-hans", "en"):
        home = page_of(wanliu, language=language)
        assert not home.permissions_for_user(User.objects.get(username="xhy-staff")).can_edit()


def test_staff_add_an_english_version_of_their_page_with_translate(staff_client, xhy, sites, en_locale):
    about = page_of(xhy, "about")
    submit = reverse("simple_translation:submit_page_translation", args=[about.pk])
    assert staff_client.get(submit).status_code == 200

    response = staff_client.post(submit, {"locales": [en_locale.pk]})

    assert response.status_code == 302
    english = about.get_translation(en_locale)
    assert english.get_parent().pk == page_of(xhy, language="en").pk
    assert staff_client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code == 200


def test_admin_page_search_finds_only_own_areas_pages(staff_client, xhy, sites):
    response = staff_client.get(reverse("wagtailadmin_pages:search"), {"q": "关于我们"})
    results = response.context["pages"]
    assert len(results) == 1
    assert results[0].get_parent().pk == xhy.site.root_page.pk


def test_staff_edit_only_their_own_areas_settings(staff_client, xhy, wanliu):
    own = reverse("wagtailsettings:edit", args=["portal", "areasettings", xhy.site.pk])
    other = reverse("wagtailsettings:edit", args=["portal", "areasettings", wanliu.site.pk])
    assert staff_client.get(own).status_code == 200
    assert staff_client.get(other).status_code in (302, 403)


def test_staff_see_only_their_areas_images(staff_client, xhy, wanliu, sites):
    response = staff_client.get(reverse("wagtailimages:index"))
    images = list(response.context["images"])
    assert images and {image.collection_id for image in images} == {xhy.collection_id}
    other = get_image_model().objects.filter(collection=wanliu.collection).first()
    assert staff_client.get(reverse("wagtailimages:edit", args=[other.pk])).status_code in (302, 403)


def test_staff_cannot_manage_users_or_areas(staff_client):
    assert staff_client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert staff_client.get(reverse("areas:add")).status_code in (302, 403)


def test_supervisors_read_every_area_and_edit_nothing(client, supervisor, xhy, wanliu):
    group = Group.objects.get(name=SUPERVISOR_GROUP_NAME)
    assert supervisor.groups.filter(pk=group.pk).exists()
    assert supervisor.has_perm("portal.view_every_area")
    client.force_login(supervisor)
    listing = client.get(reverse("areas:index"))
    assert listing.status_code == 200
    assert "徐汇苑居民区" in listing.content.decode() and "宛六居民区" in listing.content.decode()
    assert client.get(reverse("areas:edit", args=[xhy.pk])).status_code in (302, 403)
    for area in (xhy, wanliu):
        assert not page_of(area).permissions_for_user(supervisor).can_edit()
    # Except the answer templates shared by every area, which belong to no area (outreach/template_admin.py).
    changes = [p for p in group.permissions.all() if p.codename.startswith(("add_", "change_", "delete_"))]
    assert {p.codename.split("_", 1)[1] for p in changes} <= {"answertemplate"}
