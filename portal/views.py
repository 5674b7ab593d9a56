from allauth.core import ratelimit
from django.conf import settings
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from portal.redirects import next_url

ONE_YEAR = 365 * 24 * 60 * 60


@require_GET
def large_mode(request):
    """Turn large mode (长辈模式) on or off with a plain link, then go back.

    A cookie rather than an account setting: it works before anyone logs in and
    without JavaScript.
    """
    response = redirect(next_url(request, request.GET.get("next"), "/"))
    if request.GET.get("on") == "1":
        response.set_cookie(settings.LARGE_MODE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(settings.LARGE_MODE_COOKIE, samesite="Lax")
    return response


def page_password(request, page_view_restriction_id, page_id):
    """Wagtail's form for a page shared with a password, with guesses limited per address
    ("page_password" in ACCOUNT_RATE_LIMITS; over the limit, the friendly 429 page)."""
    if request.method == "POST":
        ratelimit.consume(request, action="page_password", raise_exception=True)
    return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
