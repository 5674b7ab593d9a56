from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from portal import phones, privacy

register = template.Library()
register.filter("mask_phone", phones.mask_phone)
register.filter("mask_name", privacy.mask_name)


def _area_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


@register.filter
def html_lang(language_code):
    """Django's language code as an HTML lang value: zh-hans is written zh-Hans."""
    return translation.to_language(language_code).replace("-hans", "-Hans")


@register.simple_tag(takes_context=True)
def area_home(context):
    """This area's home page in the reader's language (the Chinese one if it has none)."""
    request = context["request"]
    if "_area_home" not in context:
        root = _area_root(request)
        context["_area_home"] = root.localized if root else None
    return context["_area_home"]


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context):
    """A link to each other language: to this page's translation when it has one,
    else to the area's home page in that language; no link where neither exists.
    Pages that are views rather than Wagtail pages (sign-in, my data) link to their own
    address in the other language."""
    request = context["request"]
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    current = get_language()
    root = _area_root(request)
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        if page is None and request.resolver_match and request.resolver_match.url_name != "wagtail_serve":
            here = request.get_full_path()  # keeps the query: a search stays the same search
            url = translate_url(here, code)
            if url != here:
                links.append({"code": code, "name": name, "url": url})
                continue
        try:
            locale = Locale.objects.get_for_language(code)
        except Locale.DoesNotExist:
            locale = None
        target = None
        if locale is not None:
            for candidate in (page, root):
                if candidate is None:
                    continue
                translation = candidate.get_translation_or_none(locale)
                if translation is not None and translation.live:
                    target = translation
                    break
        if target is not None:
            links.append({"code": code, "name": name, "url": target.get_url(request)})
    return {"links": links}


@register.simple_tag(takes_context=True)
def large_mode_toggle_url(context):
    """The plain link that switches large mode the other way and comes back here."""
    turn_on = not context.get("large_mode")
    query = urlencode({"on": "1" if turn_on else "0", "next": context["request"].get_full_path()})
    return f"{reverse('large_mode')}?{query}"
