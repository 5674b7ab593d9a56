"""Notices and service guides on the home page, in the reader's language: the banner of important
notices, the latest notices and the popular guides. A fixed number of queries whatever the number
of notices or guides."""

from django import template
from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Site

from home.models import NoticeIndexPage, NoticePage
from home.notices import newest
from portal.sites import area_section, page_url, reader_home
from portal.templatetags.portal_tags import html_lang
from services import guides
from services.models import ServiceIndexPage

register = template.Library()

HOME_NOTICES = 3


def _section(context, model):
    """The area's page of this type for the home page being read, and the lang attribute its
    pages need there ("zh-Hans" where an English home page falls back to the Chinese section)."""
    site = Site.find_for_request(context["request"])
    if site is None:
        return None, ""
    home = reader_home(context, site)
    found = area_section(model, home, site)
    lang = html_lang(settings.LANGUAGE_CODE) if found is not None and found.locale_id != home.locale_id else ""
    return found, lang


def important_and_latest(board, notices, lang, count):
    """The banner's notices and the `count` newest, each newest first, the banner's with their
    lang attribute. On a translated board's home page, an important notice not yet translated is
    shown in Chinese: a water cut concerns every reader. Otherwise both come from one query: the
    newest `count` and the important ones, newest first, begin with the newest `count`."""
    if not lang and get_language() != settings.LANGUAGE_CODE:
        original = NoticeIndexPage.objects.filter(
            translation_key=board.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if original is not None:
            untranslated = original.notices().important().exclude(translation_key__in=notices.values("translation_key"))
            shown = NoticePage.objects.filter(
                Q(pk__in=notices.important().values("pk")) | Q(pk__in=untranslated.values("pk"))
            )
            return banner(board, newest(shown.defer_streamfields()), lang), list(newest(notices)[:count])
    latest = newest(notices).values("pk")[:count]
    shown = list(newest(notices.filter(Q(important=True) | Q(pk__in=latest))))
    return banner(board, [notice for notice in shown if notice.important], lang), shown[:count]


def banner(board, important, lang):
    """The banner's notices, each with the lang attribute it needs on this board's home page."""
    important = list(important)
    for notice in important:
        notice.lang = html_lang(settings.LANGUAGE_CODE) if notice.locale_id != board.locale_id else lang
    return important


@register.simple_tag(takes_context=True)
def home_notices(context, count=HOME_NOTICES):
    """{"important": current important notices (the banner), "latest": the newest current notices,
    "board_url": the notice board's address, "lang"}. Expired notices are left out even before
    the scheduled unpublish has run."""
    board, lang = _section(context, NoticeIndexPage)
    if board is None:
        return {"important": [], "latest": [], "board_url": "", "lang": ""}
    important, latest = important_and_latest(board, board.notices().defer_streamfields(), lang, count)
    return {
        "important": important,
        "latest": latest,
        "board_url": page_url(context["request"], board),
        "lang": lang,
    }


@register.simple_tag(takes_context=True)
def home_services(context):
    """{"url": the live services page's address (empty without one), "guides": the popular
    guides, each with its address under that page (url_here) and lang}."""
    services, _lang = _section(context, ServiceIndexPage)
    if services is None:
        return {"url": "", "guides": []}
    request = context["request"]
    return {
        "url": page_url(request, services),
        "guides": guides.listed(request, services, services.guides().filter(popular=True)),
    }
