from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.functional import SimpleLazyObject

from portal import page_cache


def display(request):
    """Whether the reader has switched large mode (长辈模式) on."""
    return {"large_mode": request.COOKIES.get(settings.LARGE_MODE_COOKIE) == "1"}


def fragments(request):
    """What {% wagtailcache %} keeps parts of pages under: for how long (none when the page cache is
    off), the host and the generation of the data (portal/page_cache.py), read only when a template
    asks."""
    return {
        "fragment_seconds": page_cache.held_for(),
        "fragment_host": SimpleLazyObject(lambda: known_host(request)),
        "data_generation": SimpleLazyObject(lambda: page_cache.generation(request)),
    }


def known_host(request):
    """The request's host, or "" for one ALLOWED_HOSTS refuses: its 400 page is made with the
    same templates and must not fail (a 500) asking for it again."""
    try:
        return request.get_host()
    except DisallowedHost:
        return ""
