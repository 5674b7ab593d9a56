"""Where to send someone next, from an address a page or a person supplied (?next=...)."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, value, default):
    """`value` if it is an address on this site ("/…"), else `default`. Anything else (another
    host, "//evil", "0001-01-01", which redirect() would take for a view's name) is ignored."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure())
    ):
        return value
    return default


def requested_next(request):
    """The ?next= a form or link carries, as Wagtail's admin passes it."""
    return request.POST.get("next") or request.GET.get("next")
