import html

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from portal import phones, privacy
from portal.context_processors import known_host
from portal.sites import live_children

register = template.Library()
register.filter("mask_phone", phones.mask_phone)
register.filter("mask_name", privacy.mask_name)


def _area_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


@register.filter
def menu_pages(home):
    """The home page's live children shown in menus."""
    return [page for page in live_children(home) if page.show_in_menus]


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


def _other_languages(context):
    """Each other language with the address to offer: this page's translation when it has one
    (an alternate, for search engines too), else the area's home page in that language; none where
    neither exists. Pages that are views rather than Wagtail pages (sign-in, my data) offer their
    own address in the other language. Worked out once per page: the head and the header both ask."""
    if "_other_languages" in context:
        return context["_other_languages"]
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
                links.append({"code": code, "name": name, "url": url, "alternate": True})
                continue
        try:
            locale = Locale.objects.get_for_language(code)
        except Locale.DoesNotExist:
            locale = None
        if locale is not None:
            candidates = [candidate for candidate in (page, root) if candidate is not None]
            # The page's and the home page's translations in one query, the page's preferred.
            found = {
                translation.translation_key: translation
                for translation in Page.objects.filter(
                    translation_key__in=[candidate.translation_key for candidate in candidates],
                    locale=locale,
                    live=True,
                ).specific(defer=True)  # each type's own address (a service guide's is under the services page)
            }
            for candidate in candidates:
                translation = found.get(candidate.translation_key)
                if translation is not None:
                    url = translation.get_url(request)
                    links.append({"code": code, "name": name, "url": url, "alternate": candidate is page})
                    break
    context["_other_languages"] = links
    return links


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context):
    """A link to each other language (see _other_languages)."""
    return {"links": _other_languages(context)}


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for this page in each language it exists in, itself
    included, with full addresses as search engines want them."""
    request = context["request"]
    alternates = [link for link in _other_languages(context) if link["alternate"]]
    if not alternates or not known_host(request):
        return {"links": []}
    links = [{"code": get_language(), "url": request.get_full_path()}, *alternates]
    return {"links": [{"code": link["code"], "url": request.build_absolute_uri(link["url"])} for link in links]}


@register.simple_tag(takes_context=True)
def page_description(context):
    """What a search result or a shared link's preview says of a Wagtail page: the editors' own
    search description, else the page's summary or introduction, else its title with the area's.
    Views that are not pages and give no description of their own get the site's."""
    page = context.get("page")
    home = area_home(context)
    if not isinstance(page, Page):
        if home is None:
            return _("Notices, activities, rooms to book and service guides from your residents' committee.")
        return _("%(area)s: notices, activities, rooms to book and service guides from your residents' committee.") % {
            "area": home.title
        }
    text = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "")
    if text:
        return text
    if home is None or home.pk == page.pk:
        return page.title
    return f"{page.title} · {home.title}"


@register.filter
def meta_text(value, limit=120):
    """Rendered text as a meta description: tags out, one line, at most `limit` characters."""
    text = " ".join(html.unescape(strip_tags(str(value))).split())
    return escape(Truncator(text).chars(limit))


@register.simple_tag(takes_context=True)
def large_mode_toggle_url(context):
    """The plain link that switches large mode the other way and comes back here."""
    turn_on = not context.get("large_mode")
    query = urlencode({"on": "1" if turn_on else "0", "next": context["request"].get_full_path()})
    return f"{reverse('large_mode')}?{query}"
