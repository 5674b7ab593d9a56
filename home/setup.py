"""A residents' area on a real installation: its home page, site, Area and settings
(`manage.py setup_area`; the demo builds its own areas, with their words, in home/demo.py)."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from portal.models import Area, AreaSettings


def remove_wagtail_welcome_page(subdistrict):
    """Wagtail's first migration creates a placeholder page and site; the areas replace them.
    The tree root shows in the admin's breadcrumbs: it is named after the subdistrict."""
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    Page.objects.filter(depth=1).exclude(title=subdistrict).update(title=subdistrict, draft_title=subdistrict)


@transaction.atomic
def new_area(*, name, slug, subdistrict, hostname, port):
    """The area's published Chinese home page, its site (the default one if there is none yet:
    served for any other host name), the Area (portal.roles then gives it its groups,
    collections and permissions) and its contact settings, empty."""
    home = Page.get_first_root_node().add_child(instance=HomePage(title=name, slug=slug, locale=Locale.get_default()))
    home.save_revision().publish()
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=name,
        is_default_site=not Site.objects.filter(is_default_site=True).exists(),
    )
    area = Area.objects.create(name=name, slug=slug, subdistrict=subdistrict, site=site)
    AreaSettings.objects.get_or_create(site=site)
    return area
