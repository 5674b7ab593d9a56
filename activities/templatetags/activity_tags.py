"""Activities on other pages: the home page's "coming up" block."""

import datetime as dt

from django import template
from django.utils import timezone
from wagtail.models import Page, Site

from activities.models import ActivityIndexPage, Occurrence
from activities.sessions import window
from activities.views import page_url, present
from portal.localtime import at

register = template.Library()

HOME_SESSIONS = 5


def reader_home(context, site):
    """The home page being read (the Chinese one or its English translation), else the site's."""
    page = context.get("page")
    return page if isinstance(page, Page) and page.depth == 2 else site.root_page


def area_section(model, home, site):
    """The area's live, public page of this type (the activity index, the staff schedule) under
    the home page being read; the Chinese one where that language has none."""
    pages = model.objects.live().public()
    found = pages.child_of(home).first()
    if found is None and home.pk != site.root_page_id:
        found = pages.child_of(site.root_page).first()
    return found


@register.simple_tag(takes_context=True)
def upcoming_sessions(context, count=HOME_SESSIONS):
    """The area's next sessions (one query, whatever the number of activities) and the address
    of its activity index in the reader's language: {"sessions": [...], "index_url": ...}."""
    request = context["request"]
    site = Site.find_for_request(request)
    area = getattr(site, "area", None)
    if area is None:
        return {"sessions": [], "index_url": ""}
    home = reader_home(context, site)
    index = area_section(ActivityIndexPage, home, site)
    now = timezone.now()
    last = at(window()[1] + dt.timedelta(days=1), dt.time.min)
    sessions = list(Occurrence.objects.in_area(area).between(now, last).listed()[:count])
    return {
        "sessions": present(request, sessions, home.locale_id),
        "index_url": page_url(request, index) if index is not None else "",
    }
