import sys

from allauth.core import ratelimit
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from portal.api import ApiError
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


# Seconds a client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER = 5


def server_error(request):
    """Django's 500 page, except when the database cannot be reached for a moment (restarting,
    failing over, a lost connection): then a 503 asking the reader to try again shortly, in
    their language, which load balancers and nginx treat as "try another server". Django calls
    this for an error raised anywhere, in a middleware (sessions, sign-in) as in a view, inside
    its except block, so the error is at hand; the page itself needs no database."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if request.path_info.startswith("/api/"):
        body = ApiError(503, _("The service is busy for a moment. Please try again shortly.")).body()
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
