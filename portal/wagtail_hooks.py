from django.shortcuts import redirect
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from portal.models import Area


@hooks.register("before_serve_page")
def serve_pages_only_in_their_own_language(page, request, serve_args, serve_kwargs):
    """Wagtail falls back to the Chinese home page when an area has no English one,
    which would serve Chinese under /en/. Send the reader to the Chinese address."""
    if page.locale.language_code != get_language():
        return redirect(page.get_url(request))


class AreaViewSet(ModelViewSet):
    model = Area
    icon = "site"
    add_to_settings_menu = True
    form_fields = ["name", "slug", "subdistrict", "site"]
    list_display = ["name", "subdistrict", "site"]
    search_fields = ["name", "subdistrict"]


@hooks.register("register_admin_viewset")
def register_area_viewset():
    return AreaViewSet("areas")
