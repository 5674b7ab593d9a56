"""Service guides (办事指南): one shared set of guides that every area's site shows under its own
services page, with that area's reception hours, phone and staff; grouped by theme; English
pages with the Chinese guides nobody has translated yet; previews for the guide editors."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, NoticeIndexPage, NoticePage
from home.rich_text import href
from portal.models import User
from services.models import (
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceLibraryPage,
    ServiceTheme,
    ServiceTraining,
)
from services.roles import ensure_guide_editors
from staff import plans
from staff.models import Duty, Shift
from tests.factories import StaffMemberFactory

XHY = "localhost"
WANLIU = "wanliu.localhost"
CHECKLIST = [
    (
        "checklist",
        {
            "title": "请带齐以下材料",
            "items": [{"item": "本人身份证原件", "note": "代办的还要带代办人身份证"}, {"item": "户口簿", "note": ""}],
        },
    )
]
STEPS = [
    ("step", {"title": "到居委会接待台", "text": RichText("<p>任何一位值班工作人员都可以受理。</p>")}),
    ("step", {"title": "核对材料并签字", "text": RichText("")}),
]
# Each area's contact details as its settings hold them, and its English home page's title.
AREAS = {
    "xuhuiyuan": (
        "Xuhuiyuan Residents' Committee",
        {
            "address": "徐汇苑5号楼一层",
            "address_en": "Ground floor, Building 5, Xuhuiyuan",
            "office_phone": "021-64000001",
            "reception_hours": "周一至周六 8:30–17:00",
            "reception_hours_en": "Mon–Sat 08:30–17:00",
        },
    ),
    "wanliu": (
        "Wanliu Residents' Committee",
        {
            "address": "宛六小区20号楼一层",
            "address_en": "Ground floor, Building 20, Wanliu",
            "office_phone": "021-64000002",
            "reception_hours": "周一至周五 8:30–17:00，周六 9:00–16:00",
            "reception_hours_en": "Mon–Fri 08:30–17:00, Sat 09:00–16:00",
        },
    ),
}
# Listed out of theme order on purpose: the services page puts them in ServiceTheme's order.
GUIDES = [
    ("outpatient-serious-illness", "门诊大病登记", ServiceTheme.MEDICAL),
    ("long-term-care", "长期护理保险申请", ServiceTheme.ELDERLY),
    ("unemployment-registration", "失业登记", ServiceTheme.EMPLOYMENT),
    ("residence-certificate", "居住证明开具", ServiceTheme.CERTIFICATES),
    ("pension-card", "养老金卡信息变更", ServiceTheme.ELDERLY),
    ("minimum-living", "最低生活保障申请", ServiceTheme.ASSISTANCE),
]


@pytest.fixture
def areas(xhy, wanliu, xhy_staff, wanliu_staff, en_locale):
    """徐汇苑 at localhost and 宛六 at wanliu.localhost, each with the contact details of AREAS,
    an English home page and a staff account (xhy-staff, wl-staff)."""
    for area in (xhy, wanliu):
        title_en, contact = AREAS[area.slug]
        area_settings = area.site.areasettings
        for name, value in contact.items():
            setattr(area_settings, name, value)
        area_settings.save()
        translate(area.site.root_page.specific, en_locale, title=title_en)
    return {area.slug: area for area in (xhy, wanliu)}


@pytest.fixture
def library(areas):
    """The subdistrict's guide library, and each area's services page."""
    library = Page.get_first_root_node().add_child(
        instance=ServiceLibraryPage(title="枫林路街道办事指南", slug="service-guides")
    )
    for area in areas.values():
        area.site.root_page.add_child(instance=ServiceIndexPage(title="办事指南", slug="services"))
    return library


def make_guide(library, slug, title, theme, *, publish=True, **fields):
    page = ServiceGuidePage(
        title=title,
        slug=slug,
        theme=theme,
        summary=fields.pop("summary", f"{title}：要带什么、怎么办。"),
        eligibility=fields.pop("eligibility", "<p>本街道户籍居民</p>"),
        live=publish,
        **fields,
    )
    library.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@pytest.fixture
def guides(library):
    return {slug: make_guide(library, slug, title, theme) for slug, title, theme in GUIDES}


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def edit(page, **fields):
    """Change a guide the way an editor does: a new revision, published."""
    page = ServiceGuidePage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def services_of(area):
    return ServiceIndexPage.objects.child_of(area.site.root_page).get()


def get(path, host=XHY, client=None):
    response = (client or Client()).get(path, HTTP_HOST=host)
    assert response.status_code == 200, (path, host, response.status_code)
    return response.content.decode()


def main_of(html):
    return re.search(r"<main.*?</main>", html, re.DOTALL).group(0)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main_of(html)))


# Where each page type goes


class PageTypeRules(WagtailPageTestCase):
    def test_guides_go_only_into_the_library_and_the_library_sits_at_the_top_of_the_tree(self):
        self.assertCanCreateAt(ServiceLibraryPage, ServiceGuidePage)
        self.assertCanNotCreateAt(HomePage, ServiceGuidePage)
        self.assertCanNotCreateAt(ServiceIndexPage, ServiceGuidePage)
        self.assertAllowedParentPageTypes(ServiceGuidePage, {ServiceLibraryPage})
        self.assertCanCreateAt(Page, ServiceLibraryPage)
        self.assertCanNotCreateAt(HomePage, ServiceLibraryPage)
        self.assertAllowedParentPageTypes(ServiceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, set())


def test_each_home_page_has_one_services_page(library, xhy):
    home = xhy.site.root_page.specific
    assert not ServiceIndexPage.can_create_at(home)  # the fixture's is there already
    services_of(xhy).delete()
    assert ServiceIndexPage.can_create_at(home)


def test_the_library_has_no_address_of_its_own(library):
    assert library.get_url() is None


# One set of guides, every area's site


def test_the_same_guide_is_on_both_areas_sites_with_each_areas_own_desk(guides, xhy, wanliu):
    edit(guides["long-term-care"], materials=CHECKLIST, steps=STEPS, processing_time="5个工作日", fees="免费")

    here = get("/services/long-term-care/", XHY)
    there = get("/services/long-term-care/", WANLIU)

    for html, own, other in ((here, xhy, wanliu), (there, wanliu, xhy)):
        own_settings, other_settings = own.site.areasettings, other.site.areasettings
        text = text_of(html)
        assert "长期护理保险申请" in text and "5个工作日" in text and "免费" in text
        assert f'href="tel:{own_settings.office_phone.replace("-", "")}"' in html
        assert own_settings.reception_hours in text and own_settings.address in text
        assert other_settings.office_phone not in html and other_settings.reception_hours not in html
        assert gettext("Any staff member on reception duty can handle this.") in text
        # The checklist of materials and the steps in order.
        assert re.search(r'<input type="checkbox">\s*<span>本人身份证原件', html)
        assert text.index("到居委会接待台") < text.index("核对材料并签字")
        assert re.search(r"<ol[^>]*>\s*<li>\s*<p[^>]*>到居委会接待台", html)


def test_a_guides_address_is_under_the_services_page_of_the_site_being_browsed(guides, xhy, wanliu):
    guide = guides["pension-card"]
    factory = RequestFactory()
    assert guide.get_url(factory.get("/", HTTP_HOST=XHY)) == "/services/pension-card/"
    assert guide.get_full_url(factory.get("/", HTTP_HOST=WANLIU)).startswith("http://wanliu.localhost")
    assert guide.get_full_url(factory.get("/", HTTP_HOST=WANLIU)).endswith("/services/pension-card/")
    assert guide.get_full_url() == "http://localhost/services/pension-card/"  # no request: the default site's
    for host in (XHY, WANLIU):
        assert 'href="/services/pension-card/"' in get("/services/", host)


def test_an_area_without_a_services_page_gives_guides_no_address(guides, wanliu):
    services_of(wanliu).delete()
    request = RequestFactory().get("/", HTTP_HOST=WANLIU)
    assert guides["pension-card"].get_url(request) is None
    assert Client().get("/services/pension-card/", HTTP_HOST=WANLIU).status_code == 404


def test_unknown_and_unpublished_guides_are_not_found(guides, library):
    make_guide(library, "draft-guide", "还在写的指南", ServiceTheme.ASSISTANCE, publish=False)
    client = Client()
    assert client.get("/services/draft-guide/", HTTP_HOST=XHY).status_code == 404
    assert client.get("/services/no-such-guide/", HTTP_HOST=XHY).status_code == 404
    assert "还在写的指南" not in get("/services/")


# The services page


def test_the_services_page_groups_the_guides_by_theme_in_order(guides):
    html = main_of(get("/services/"))
    headings = re.findall(r'<h2 id="theme-(\w+)-title">([^<]+)</h2>', html)
    assert [value for value, _label in headings] == [theme.value for theme in ServiceTheme]
    assert [label for _value, label in headings] == [str(theme.label) for theme in ServiceTheme]
    for slug, title, theme in GUIDES:
        section = re.search(rf'<section class="theme" id="theme-{theme.value}".*?</section>', html, re.DOTALL).group(0)
        assert title in section and f'href="/services/{slug}/"' in section
        assert f"{title}：要带什么、怎么办。" in section  # the summary
    elderly = re.search(r'id="theme-elderly".*?</section>', html, re.DOTALL).group(0)
    assert elderly.index("长期护理保险申请") < elderly.index("养老金卡信息变更")  # the library's order


def test_a_theme_without_guides_has_no_heading(library):
    make_guide(library, "pension-card", "养老金卡信息变更", ServiceTheme.ELDERLY)
    html = main_of(get("/services/"))
    assert 'id="theme-elderly"' in html and 'id="theme-medical"' not in html


def test_the_services_page_tells_residents_whom_to_ask(guides, xhy):
    text = text_of(get("/services/"))
    assert gettext("Any staff member on reception duty can handle all of these services for you.") in text
    assert xhy.site.areasettings.office_phone in text


# What a guide shows


def test_the_official_online_service_is_linked_only_where_an_editor_entered_it(guides):
    address = "https://zwdt.sh.gov.cn/govPortals/index.do"
    leaves = gettext("You can also apply through the official online service. This link leaves our site.")
    without = get("/services/pension-card/")
    assert leaves not in without and "zwdt.sh.gov.cn" not in without

    edit(guides["pension-card"], online_service_url=address)
    html = get("/services/pension-card/")
    assert leaves in html
    link = re.search(rf'<a [^>]*href="{re.escape(address)}"[^>]*>', html).group(0)
    assert 'rel="noopener"' in link


def test_sample_content_is_marked_as_such(guides):
    notice = gettext("Sample content: our staff are still checking this text.")
    assert notice not in get("/services/pension-card/")
    edit(guides["pension-card"], sample_content=True)
    assert notice in get("/services/pension-card/")


def test_related_forms_are_offered_for_download(guides):
    document = get_document_model().objects.create(
        title="长护险申请表", file=ContentFile(b"%PDF-1.4 test", name="ltc-application.pdf")
    )
    edit(
        guides["long-term-care"], forms=[("document", {"document": document, "title": "长期护理保险申请表（可打印）"})]
    )
    html = get("/services/long-term-care/")
    assert gettext("Related forms") in html
    assert re.search(rf'<a [^>]*href="{re.escape(document.url)}"', html)
    assert "长期护理保险申请表（可打印）" in html


def test_the_guide_is_marked_for_reading_aloud(guides):
    html = get("/services/pension-card/")
    assert "data-read-aloud-controls" in html
    article = re.search(r"<article[^>]*data-read-aloud[^>]*>.*?</article>", html, re.DOTALL).group(0)
    assert "养老金卡信息变更" in article
    assert html.index("data-read-aloud-controls") < html.index("<article")


@pytest.fixture
def staff_on_duty(xhy, wanliu, guides):
    """徐汇苑: three active staff (two trained on long-term care, one of them at desk 1 now) and
    a former colleague who was trained; 宛六: one staff member, trained."""
    service = guides["long-term-care"]
    today = timezone.localdate()
    at_desk = StaffMemberFactory(area=xhy, name="顾文静")
    trained = StaffMemberFactory(area=xhy, name="钱芳")
    StaffMemberFactory(area=xhy, name="孙丽")
    former = StaffMemberFactory(area=xhy, name="李旧", active=False)
    theirs = StaffMemberFactory(area=wanliu, name="沈立新")
    for member in (at_desk, trained, former, theirs):
        ServiceTraining.objects.create(staff_member=member, service=service, trained_on=today)
    week = plans.publish(xhy, today, None)
    now = timezone.now()
    Shift.objects.create(
        week=week,
        staff=at_desk,
        duty=Duty.RECEPTION,
        desk=1,
        start=now - dt.timedelta(hours=1),
        end=now + dt.timedelta(hours=2),
    )
    return at_desk


def trained_sentence(trained, total):
    return ngettext(
        "%(trained)s of our %(total)s staff members is trained on this service.",
        "%(trained)s of our %(total)s staff members are trained on this service.",
        trained,
    ) % {"trained": trained, "total": total}


def test_a_guide_says_who_is_at_the_reception_desk_and_how_many_staff_are_trained(staff_on_duty):
    here = text_of(get("/services/long-term-care/", XHY))
    assert gettext("At the reception desk now") in here
    assert "顾文静" in here
    assert trained_sentence(2, 3) in here  # the former colleague no longer counts

    there = text_of(get("/services/long-term-care/", WANLIU))
    assert "顾文静" not in there and gettext("At the reception desk now") not in there
    assert trained_sentence(1, 1) in there

    assert trained_sentence(0, 3) in text_of(get("/services/pension-card/", XHY))


# English


@pytest.fixture
def english(guides, xhy, en_locale):
    """徐汇苑's English services page and an English version of one guide."""
    translate(services_of(xhy), en_locale, title="Services")
    return translate(
        guides["long-term-care"], en_locale, title="Long-term care insurance", summary="Apply for home care."
    )


def test_the_english_services_page_lists_english_guides_and_the_chinese_ones_not_translated_yet(english):
    html = main_of(get("/en/services/"))
    assert "Long-term care insurance" in html and "长期护理保险申请" not in html
    assert 'href="/en/services/long-term-care/"' in html
    assert re.search(r'<a class="guide-card" href="/en/services/pension-card/" lang="zh-Hans">', html)
    assert re.search(r'<a class="guide-card" href="/en/services/long-term-care/">', html)
    assert [value for value in re.findall(r'<h2 id="theme-(\w+)-title">', html)] == [t.value for t in ServiceTheme]


def test_an_english_guide_with_the_areas_english_contact_details(english, xhy):
    html = get("/en/services/long-term-care/")
    text = text_of(html)
    assert "Long-term care insurance" in text and "Apply for home care." in text
    assert xhy.site.areasettings.reception_hours_en in text and xhy.site.areasettings.address_en in text
    assert '<html lang="en"' in html
    assert not re.search(r"<article[^>]*lang=", html)


def test_an_untranslated_guide_on_the_english_site_is_marked_as_chinese(english):
    html = get("/en/services/pension-card/")
    assert '<html lang="en"' in html
    assert re.search(r'<article[^>]*lang="zh-Hans"', html)
    assert "养老金卡信息变更" in html
    assert re.search(r'<h2 id="where" lang="en"|<section class="card guide__where"[^>]*lang="en"', html)


def test_language_links_go_to_the_translation_else_to_the_english_home_page(english):
    def links(html):
        return dict(re.findall(r'<a class="lang-link" href="([^"]+)" hreflang="([^"]+)"', html))

    assert links(get("/services/long-term-care/")) == {"/en/services/long-term-care/": "en"}
    assert links(get("/services/pension-card/")) == {"/en/": "en"}
    assert links(get("/en/services/long-term-care/")) == {"/services/long-term-care/": "zh-hans"}
    assert links(get("/en/services/pension-card/")) == {"/services/pension-card/": "zh-hans"}


def test_the_title_is_the_guides(guides, xhy):
    html = get("/services/pension-card/")
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert title.startswith("养老金卡信息变更") and xhy.site.root_page.title in title


# Editors


@pytest.fixture
def guide_editor(areas):
    group = ensure_guide_editors()
    editor = User.objects.create_user(username="guide-editor", password="x")
    editor.groups.add(group)
    client = Client(HTTP_HOST=XHY)
    client.force_login(editor)
    return client


def test_a_guide_editor_previews_a_draft_guide_as_residents_will_see_it(guides, library, guide_editor, xhy):
    draft = make_guide(library, "household-transfer", "户口迁移证明", ServiceTheme.CERTIFICATES, publish=False)
    draft.title = "户口迁移证明（修订）"
    draft.save_revision()

    response = guide_editor.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "户口迁移证明（修订）" in re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert xhy.site.areasettings.office_phone in html
    assert Client().get("/services/household-transfer/", HTTP_HOST=XHY).status_code == 404


def test_area_staff_do_not_edit_the_shared_guides(guides, guide_editor, xhy_staff):
    guide = guides["pension-card"]
    staff = Client(HTTP_HOST=XHY)
    staff.force_login(xhy_staff)
    edit = reverse("wagtailadmin_pages:edit", args=[guide.pk])
    assert staff.get(edit).status_code in (302, 403)
    assert guide_editor.get(edit).status_code == 200
    assert Group.objects.get(name="街道办事指南编辑").user_set.filter(username="guide-editor").exists()


# Query budgets


@pytest.fixture
def many_guides(library):
    themes = list(ServiceTheme)
    return [
        make_guide(library, f"service-{number:02d}", f"第{number}项服务", themes[number % len(themes)])
        for number in range(1, 17)
    ]


def test_the_services_page_makes_a_fixed_number_of_queries(many_guides, django_assert_max_num_queries):
    client = Client(HTTP_HOST=XHY)
    client.get("/services/")  # warm the caches the site keeps across requests
    # About 17: routing, the header and footer, and two for the guides, whatever their number.
    with django_assert_max_num_queries(20):
        html = client.get("/services/").content.decode()
    assert html.count('class="guide-card"') == 16


def test_a_guide_page_makes_a_fixed_number_of_queries(many_guides, django_assert_max_num_queries):
    edit(many_guides[0], materials=CHECKLIST, steps=STEPS)
    client = Client(HTTP_HOST=XHY)
    client.get("/services/service-01/")
    # About 21: routing, the header and footer, the guide, who is on duty, how many are trained.
    with django_assert_max_num_queries(24):
        assert client.get("/services/service-01/").status_code == 200


def test_guide_editors_keep_their_own_media_and_cannot_touch_an_areas(client, areas, library):
    """Rights on the root collection would reach every area's images and forms (docs/architecture.md, the area boundary)."""
    Document = get_document_model()
    xhy = areas["xuhuiyuan"]
    form = Document.objects.create(
        title="徐汇苑居民区申请表", collection=xhy.collection, file=ContentFile(b"%PDF", "a.pdf")
    )
    editor = User.objects.create_user("test-guide-editor")
    editor.groups.add(ensure_guide_editors())
    client.force_login(editor)

    listing = client.get(reverse("wagtaildocs:index"))
    assert listing.status_code == 200 and "徐汇苑居民区申请表" not in listing.content.decode()
    assert client.get(reverse("wagtaildocs:edit", args=[form.pk])).status_code in (302, 403)
    # Their own collection is where the guides' forms go.
    assert client.get(reverse("wagtaildocs:add")).status_code == 200


def test_previewing_the_library_is_not_offered(client, library):
    """The library has no page of its own to show: no preview, and its draft view sends the editor
    back instead of failing on a missing template."""
    client.force_login(User.objects.create_superuser("test-admin", password="x"))
    assert not ServiceLibraryPage.objects.get(pk=library.pk).is_previewable()
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=[library.pk])).status_code in (302, 404)


@pytest.mark.parametrize("host, phone", [(XHY, "021-64000001"), (WANLIU, "021-64000002")], ids=["xhy", "wanliu"])
def test_a_link_to_a_guide_in_a_notice_leads_to_the_guide_on_the_readers_own_site(guides, areas, host, phone):
    area = next(area for area in areas.values() if area.site.hostname == host)
    board = area.site.root_page.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    guide = guides["long-term-care"]
    body = [("paragraph", RichText(f'<p>怎么申请见<a linktype="page" id="{guide.pk}">长护险办事指南</a>。</p>'))]
    board.add_child(instance=NoticePage(title="长护险评估上门", slug="care", body=body)).save_revision().publish()

    client = Client()
    notice = get("/notices/care/", host, client)
    link = re.search(r'<a href="([^"]*)">长护险办事指南</a>', notice).group(1)
    assert link == "/guide/long-term-care/"  # the same on every site: the site being read decides
    response = client.get(link, HTTP_HOST=host)
    assert response.status_code == 302 and response["Location"] == "/services/long-term-care/"
    assert phone in get(response["Location"], host, client)


def test_a_link_to_an_english_guide_stays_in_english(guides, wanliu, en_locale):
    translate(guides["long-term-care"], en_locale, title="Long-term care insurance")
    translate(services_of(wanliu), en_locale, title="Services")
    with override("en"):  # an English page's link to the guide: its English version
        assert href(guides["long-term-care"]) == "/en/guide/long-term-care/"
    response = Client().get("/en/guide/long-term-care/", HTTP_HOST=WANLIU)
    assert response.status_code == 302 and response["Location"] == "/en/services/long-term-care/"
    assert Client().get("/guide/no-such-service/", HTTP_HOST=WANLIU)["Location"] == "/services/no-such-service/"
