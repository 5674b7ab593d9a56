"""What residents read of the service guides: an area's services page with the guides by theme,
and one guide with this area's reception hours, address and phone, who is at the reception desk
now and how many of the area's staff are trained on the service.

The guides are one subdistrict-wide set (services.models.ServiceLibraryPage) outside every site;
they are read through the services page (ServiceIndexPage) of the site being browsed, so the
same guide sends each area's residents to their own desk. ServiceIndexPage's routes call
index() and guide(); ServiceGuidePage.serve_preview calls render().
"""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Locale, Site

from portal.models import AreaSettings
from portal.sites import area_section, page_url
from portal.templatetags.portal_tags import html_lang
from services.models import ServiceIndexPage, ServiceTheme
from staff import plans
from staff.models import StaffMember


def services_page_for(request, locale_id):
    """The current site's (the default site's without a request) live services page in that
    language, else its Chinese one; None where the area has none. Remembered on the request,
    so the addresses of a listing's guides cost no query each."""
    found = getattr(request, "_services_pages", None) if request is not None else None
    if found is None:
        found = {}
        if request is not None:
            request._services_pages = found
    if locale_id not in found:
        found[locale_id] = _services_page(request, locale_id)
    return found[locale_id]


def _services_page(request, locale_id):
    if request is not None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    home = root if root.locale_id == locale_id else root.get_translation_or_none(locale_id)
    return area_section(ServiceIndexPage, home or root, site)


def go_to_guide(request, slug):
    """/guide/<slug>/, where links to a guide in editors' rich text lead (rich text is rendered
    without knowing the site): the guide under the services page of the site being read."""
    services = services_page_for(request, Locale.get_active().pk)
    if services is None:
        raise Http404
    return redirect(page_url(request, services) + services.reverse_subpage("guide", args=[slug]))


def by_theme(guides):
    """[(ServiceTheme, [guides]), ...] in the themes' order, leaving out themes with none."""
    grouped = {theme: [] for theme in ServiceTheme}
    for guide in guides:
        grouped[ServiceTheme(guide.theme)].append(guide)
    return [(theme, items) for theme, items in grouped.items() if items]


def index(request, page):
    """The guides by theme, each with its title and summary: the same three queries whatever
    their number (the guides' addresses are worked out from this page's own)."""
    context = {**page.get_context(request), "themes": by_theme(listed(request, page, page.guides()))}
    return TemplateResponse(request, page.get_template(request), context)


def listed(request, page, guides):
    """The guides as a list under the services page `page`: each with its address there
    (url_here, worked out from the page's own, so no query each) and its lang attribute."""
    base = page_url(request, page)
    guides = list(guides.defer_streamfields().order_by("path"))
    for guide in guides:
        guide.url_here = base + page.reverse_subpage("guide", args=[guide.slug]) if base else ""
        # An English page lists the Chinese guides nobody has translated yet.
        guide.lang = html_lang(settings.LANGUAGE_CODE) if guide.locale_id != page.locale_id else ""
    return guides


def guide(request, page, slug):
    """The guide at <services page>/<slug>/ in the page's language (the Chinese one where it has
    no translation yet); 404 for a slug no live guide has."""
    found = page.guides().filter(slug=slug).select_related("locale").first()  # its language is shown
    if found is None:
        raise Http404
    return render(request, found, page)


def render(request, guide, services_page):
    """A guide as residents read it on the site being browsed (and as editors preview it).
    `page` in the context is the guide, for the title, the language links and the userbar."""
    site = Site.find_for_request(request)
    area = getattr(site, "area", None) if site is not None else None
    # An English page shows a guide nobody has translated yet in Chinese: its text is marked as
    # Chinese, the headings around it as the page's language.
    other_language = guide.locale.language_code != get_language()
    context = {
        **guide.get_context(request),
        "services_url": page_url(request, services_page) if services_page is not None else "",
        "content_lang": html_lang(guide.locale.language_code) if other_language else "",
        "ui_lang": format_html(' lang="{}"', html_lang(get_language())) if other_language else "",
        "contact": AreaSettings.for_request(request) if site is not None else None,
        "reception": plans.on_duty(area) if area is not None else None,
        "staff": trained_staff(area, guide) if area is not None else None,
    }
    return TemplateResponse(request, guide.get_template(request), context)


def trained_staff(area, guide):
    """{"total": active staff of the area, "trained": how many of them are trained on the
    guide's service}, in one query. Training is recorded against the Chinese guide; its
    translations share its translation key."""
    return StaffMember.objects.filter(area=area, active=True).aggregate(
        total=Count("pk", distinct=True),
        trained=Count("pk", distinct=True, filter=Q(trainings__service__translation_key=guide.translation_key)),
    )
