"""Page types: where each can be created, and every seeded page renders and saves unchanged."""

import json
import re

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import ContentPage, HomePage
from portal.models import Area
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
        self.assertAllowedSubpageTypes(HomePage, {ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})


def seeded_pages():
    return Page.objects.filter(depth__gt=1).live().specific().order_by("path")


def test_every_seeded_page_renders(client, demo):
    pages = list(seeded_pages())
    assert len(pages) == 6  # two areas: Chinese home, English home, about page
    for page in pages:
        url = page.get_url()
        host = page.get_site().hostname
        response = client.get(url, HTTP_HOST=f"{host}:8000")
        assert response.status_code == 200, url
        assert page.title.replace("'", "&#x27;") in response.content.decode()


def without_block_keys(value):
    # The rich text editor tags each paragraph with a random key; the text is what matters.
    return re.sub(r' data-block-key=\\"\w+\\"', "", json.dumps(value, ensure_ascii=False))


def content_of(page):
    page = Page.objects.get(pk=page.pk).specific
    return {
        "title": page.title,
        "slug": page.slug,
        "intro": page.intro,
        "body": [(block["type"], without_block_keys(block["value"])) for block in page.body.raw_data],
        "image": getattr(page, "hero_image_id", None) or getattr(page, "image_id", None),
    }


def staff_of(page):
    """The demo staff account of the area a page belongs to (in either language)."""
    root = page if page.depth == 2 else page.get_ancestors().get(depth=2)
    area = Area.objects.get(site__root_page__translation_key=root.translation_key)
    return area.staff_group.user_set.get()


def test_every_seeded_page_saves_unchanged_in_the_editor(client, demo):
    for page in seeded_pages():
        client.force_login(staff_of(page))
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        before = content_of(page)
        form = editor_form_data(client.get(edit_url).content.decode(), page)
        form["action-publish"] = "action-publish"
        response = client.post(edit_url, form)
        assert response.status_code == 302, (page.title, response.context and response.context["form"].errors)
        assert content_of(page) == before
        assert Page.objects.get(pk=page.pk).live
