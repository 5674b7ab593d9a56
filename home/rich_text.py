"""Links to pages in editors' rich text. Wagtail writes a page's address without knowing the
site being read, which for the shared service guides (outside every site) would send each area's
residents to the default site's desk; a guide's link goes to /guide/<slug>/ instead, which the
site being read turns into its own services page's address (services.guides.go_to_guide)."""

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler

from services.models import ServiceGuidePage


def href(page):
    page = page.localized
    if isinstance(page, ServiceGuidePage):
        with translation.override(page.locale.language_code):
            return reverse("service_guide", args=[page.slug])
    return page.url


class SiteAwarePageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [f'<a href="{escape(href(page))}">' if page else "<a>" for page in cls.get_many(attrs_list)]
