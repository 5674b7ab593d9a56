"""The sitemap (/sitemap.xml) of the area a request is for: its Wagtail pages in every language,
and the views that are not pages but are worth finding (the rooms, the suggestion board)."""

from functools import reduce
from operator import or_

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.sites import area_of


class AreaPages(Sitemap):
    """Wagtail's sitemap lists the tree under the site's root page only, that is the Chinese pages;
    this one adds the translations' trees (the English pages under /en/)."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = reduce(or_, (Q(path__startswith=root.path) for root in roots))
        return Page.objects.filter(under_a_root).live().public().order_by("path").defer_streamfields().specific()


class AreaViews(Sitemap):
    """The room list, each room and the suggestion board, in each language. Wagtail's class for
    the request (which says the area), Django's way of listing plain views."""

    i18n = True
    _urls = DjangoSitemap._urls

    def items(self):
        area = area_of(self.request)
        if area is None:
            return []
        rooms = [("booking:room", (room.slug,)) for room in area.rooms.order_by("pk")]
        return [("booking:rooms", ()), *rooms, ("outreach:board", ())]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)

    def lastmod(self, item):
        return None
