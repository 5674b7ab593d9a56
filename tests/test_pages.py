"""Page types: where each can be created, and every seeded page renders and saves unchanged."""

import json
import re

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from activities.models import ActivityIndexPage, ActivityPage
from home.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from portal.models import Area, User
from services.models import ServiceGuidePage, ServiceIndexPage, ServiceLibraryPage
from staff.models import StaffSchedulePage
from tests.forms import editor_form_data


class PageTypeRules(WagtailPageTestCase):
    def test_home_pages_sit_at_the_top_of_the_tree(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(ContentPage, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_content_pages_go_under_a_home_page(self):
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanCreateAt(ContentPage, ContentPage)
        self.assertCanNotCreateAt(Page, ContentPage)
        self.assertAllowedSubpageTypes(
            HomePage, {ContentPage, NoticeIndexPage, ServiceIndexPage, ActivityIndexPage, StaffSchedulePage}
        )
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})


def seeded_pages():
    return Page.objects.filter(depth__gt=1).live().specific().order_by("path")


def test_every_seeded_page_renders(client, demo):
    # The service guide library is read through each area's services page, not on its own.
    pages = [page for page in seeded_pages() if not isinstance(page, ServiceLibraryPage)]
    # Both areas: the Chinese and English home pages, an about page, what is on, the staff plan, the
    # notice board and the services page; and the shared guides (at the default site's services page).
    assert {type(page) for page in pages} == {
        HomePage,
        ContentPage,
        ActivityIndexPage,
        ActivityPage,
        StaffSchedulePage,
        NoticeIndexPage,
        NoticePage,
        ServiceIndexPage,
        ServiceGuidePage,
    }
    assert len({page.get_site().pk for page in pages}) == 2
    for page in pages:
        url = page.get_url()
        host = page.get_site().hostname
        response = client.get(url, HTTP_HOST=f"{host}:8000")
        assert response.status_code == 200, url
        assert page.title.replace("'", "&#x27;") in response.content.decode()


def without_block_keys(value):
    # The rich text editor tags each paragraph with a random key; the text is what matters.
    return re.sub(r' data-block-key=\\"\w+\\"', "", json.dumps(value, ensure_ascii=False))


FIELDS = (
    "intro",
    "summary",
    "hero_image_id",
    "image_id",
    "category_id",
    "organiser",
    "room_id",
    "capacity",
    "date",
    "category",
    "pinned_until",
    "important",
    "theme",
    "eligibility",
    "fees",
    "sample_content",
)
STREAMS = ("body", "materials", "steps", "forms")


def content_of(page):
    page = Page.objects.get(pk=page.pk).specific
    content = {"title": page.title, "slug": page.slug}
    content.update((name, getattr(page, name)) for name in FIELDS if hasattr(page, name))
    if "eligibility" in content:  # a rich text field: the editor tags paragraphs with new keys
        content["eligibility"] = re.sub(r' data-block-key="\w+"', "", content["eligibility"])
    for name in STREAMS:
        if hasattr(page, name):
            stream = getattr(page, name).raw_data
            content[name] = [(block["type"], without_block_keys(block["value"])) for block in stream]
    if isinstance(page, ActivityPage):
        content["schedules"] = [
            (s.weekdays, s.interval, s.nth, s.first_date, s.last_date, s.start_time, s.end_time, s.skip_holidays)
            for s in page.schedules.all()
        ]
        content["changes"] = [
            (c.date, c.action, c.note, c.new_date, c.new_start_time) for c in page.session_changes.all()
        ]
        content["sessions"] = list(page.occurrences.values_list("original_start", "start", "status"))
    return content


def editor_of(page):
    """The demo account that publishes this page: the lead of its area (who may publish notices
    too), or the administrator for the subdistrict's shared guides."""
    area = Area.objects.for_page(page)
    return area.lead_group.user_set.get() if area else User.objects.get(username="admin")


def test_every_seeded_page_saves_unchanged_in_the_editor(client, demo):
    for page in seeded_pages():
        client.force_login(editor_of(page))
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        before = content_of(page)
        form = editor_form_data(client.get(edit_url).content.decode(), page)
        form["action-publish"] = "action-publish"
        response = client.post(edit_url, form)
        assert response.status_code == 302, (page.title, response.context and response.context["form"].errors)
        assert content_of(page) == before
        assert Page.objects.get(pk=page.pk).live
