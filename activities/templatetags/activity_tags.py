"""Activities on other pages: the home page's "coming up" block."""

import datetime as dt

from django import template
from django.utils import timezone
from wagtail.models import Site

from activities.models import ActivityIndexPage, Occurrence
from activities.sessions import window
from activities.views import present
from portal.localtime import at
from portal.sites import area_section, page_url, reader_home, site_area

register = template.Library()

HOME_SESSIONS = 5


@register.simple_tag(takes_context=True)
def upcoming_sessions(context, count=HOME_SESSIONS):
    """The area's next sessions (one query, whatever the number of activities) and the address
    of its activity index in the reader's language: {"sessions": [...], "index_url": ...}."""
    request = context["request"]
    site = Site.find_for_request(request)
    area = site_area(request)
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
