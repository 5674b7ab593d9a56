from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal import page_cache


def display(request):
    """Whether the reader has switched large mode (长辈模式) on."""
    return {"large_mode": request.COOKIES.get(settings.LARGE_MODE_COOKIE) == "1"}


def fragments(request):
    """What {% wagtailcache %} keeps parts of pages under: for how long (none when the page cache is
    off) and the generation of the data (portal/page_cache.py), read only when a template asks."""
    seconds = settings.PAGE_CACHE_SECONDS
    return {"fragment_seconds": seconds, "data_generation": SimpleLazyObject(lambda: page_cache.generation(request))}
