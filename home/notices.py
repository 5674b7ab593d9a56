"""The notice board residents read (NoticeIndexPage's routes call these): the list, pinned notices
first, with a category filter and pages of twelve; and its RSS feed.

Both show only current notices (home.models.NoticePageQuerySet.current): a notice past its expiry
disappears at once, before Wagtail's publish_scheduled command unpublishes it.
"""

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from home.models import NEWEST_NOTICES, NoticeCategory
from portal.localtime import SHANGHAI
from portal.sites import absolute_url, page_url

NOTICES_PER_PAGE = 12
FEED_NOTICES = 20


def newest(notices):
    """Newest first, whatever is pinned (the feed and the home page)."""
    return notices.order_by(*NEWEST_NOTICES)


def chosen_category(request):
    """The category asked for with ?category=; one that does not exist counts as none, so an old
    or mistyped link still shows the board."""
    category = request.GET.get("category", "")
    return category if category in NoticeCategory.values else ""


def index(request, page):
    """The board: pinned notices first, then the newest, twelve to a page."""
    category = chosen_category(request)
    notices = page.notices().defer_streamfields()
    if category:
        notices = notices.filter(category=category)
    notices = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    base = page_url(request, page)

    def board_url(**query):
        query = {"category": category, **query} if category else query
        return f"{base}?{urlencode(query)}" if query else base

    context = page.get_context(request)
    context.update(
        notices=notices,
        categories=[{"label": _("All notices"), "url": base, "current": not category}]
        + [
            {"label": label, "url": f"{base}?{urlencode({'category': value})}", "current": value == category}
            for value, label in NoticeCategory.choices
        ],
        previous_url=board_url(page=notices.previous_page_number()) if notices.has_previous() else None,
        next_url=board_url(page=notices.next_page_number()) if notices.has_next() else None,
        feed_url=base + page.reverse_subpage("feed"),
    )
    return TemplateResponse(request, "home/notice_index_page.html", context)


def published_at(notice):
    """When a notice came out, in Shanghai time: its date, at the time of day it was first published
    when that was the same day (so notices of one day keep their order in a feed reader)."""
    if notice.first_published_at is not None:
        first = timezone.localtime(notice.first_published_at, SHANGHAI)
        if first.date() == notice.date:
            return first
    return dt.datetime.combine(notice.date, dt.time.min, tzinfo=SHANGHAI)


def feed(request, page):
    """RSS 2.0 of the board's newest current notices, with absolute links."""
    board_url = absolute_url(request, page)
    rss = Rss201rev2Feed(
        title=f"{page.get_parent().title} · {page.title}",
        link=board_url,
        description=page.intro or page.title,
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for notice in newest(page.notices().defer_streamfields())[:FEED_NOTICES]:
        link = absolute_url(request, notice)
        rss.add_item(
            title=notice.title,
            link=link,
            description=notice.summary,
            pubdate=published_at(notice),
            unique_id=link,
            unique_id_is_permalink=True,
            categories=[notice.get_category_display()],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    rss.write(response, "utf-8")
    return response
