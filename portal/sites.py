"""Which residents' area a request is for, and where its pages are.

Each area is one Wagtail site (docs/architecture.md, sites and languages): the host a
request arrives on names the site, the site names the area, and the area's sections (the
activity index, the staff schedule, the services page) are pages under its home page, in
the reader's language where there is a translation.
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal import restrictions
from portal.dates import within_the_calendar
from portal.page_cache import known_site


def site_area(request):
    """The residents' area whose site is being browsed, or None (a site of no area, or none)."""
    site = known_site(request) if request is not None else None
    return getattr(site, "area", None) if site else None


def area_of(request):
    """The residents' area whose site is being browsed; a 404 where there is none."""
    area = site_area(request)
    if area is None:
        raise Http404(_("This site has no residents' area."))
    return area


def reader_home(context, site):
    """The home page being read (the Chinese one or its English translation), else the site's."""
    page = context.get("page")
    return page if isinstance(page, Page) and page.depth == 2 else site.root_page


def area_section(model, home, site):
    """The area's live, public page of this type (the activity index, the staff schedule) under
    the home page being read; the Chinese one where that language has none."""
    found = _sections(home).get(model)
    if found is None and home.pk != site.root_page_id:
        found = _sections(site.root_page).get(model)
    return found


def _sections(home):
    """The first live, public page of each type under a home page, found once for the home page
    object (the site's, or the page being read: one per request), whichever sections the page
    shows."""
    if "_sections" not in home.__dict__:
        restricted = restrictions.restricted_paths()
        sections = {}
        for page in live_children(home):
            if not page.path.startswith(tuple(restricted)):
                sections.setdefault(type(page), page)
        home.__dict__["_sections"] = sections
    return home.__dict__["_sections"]


def live_children(home):
    """The live pages right under a home page, in order, found once for the home page object:
    the sections and the menu (portal_tags.menu_pages) are both read from them. Their own fields
    are read only when used."""
    if "_live_children" not in home.__dict__:
        home.__dict__["_live_children"] = list(Page.objects.child_of(home).live().order_by("path").specific(defer=True))
    return home.__dict__["_live_children"]


def page_url(request, page):
    """A page's address with its trailing slash, for appending a route to."""
    url = page.get_url(request) or ""
    return url if not url or url.endswith("/") else f"{url}/"


def absolute_url(request, page):
    """A page's address with scheme and host, for feeds and the API ("" without one)."""
    url = page_url(request, page)
    return request.build_absolute_uri(url) if url else ""


def day_from_path(value):
    """A date written in an address (YYYY-MM-DD); one that does not exist is a 404."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Http404(_("There is no such date.")) from None
    if not within_the_calendar(day):
        raise Http404(_("There is no such date."))
    return day
