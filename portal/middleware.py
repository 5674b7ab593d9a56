from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

from portal import accounts


class VaryOnDisplayPreferenceMiddleware:
    """Pages look different in large mode, which a cookie switches on: tell caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        return response


class PrivateWhenSignedInMiddleware:
    """A page made for someone signed in can carry their own details (the account link, their
    sign-ups), so no shared cache may keep it. Pages of personal data say no-store as well
    (portal.privacy.personal)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class RateLimitedMiddleware:
    """A rate limit hit anywhere (allauth's, the SMS caps) is a friendly 429 page in the
    reader's language, not an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None


# Pages a resident without details may still open: their account's own pages, the privacy
# notice, the display switch. The admin and the API answer for themselves.
OPEN_URL_NAMES = ("account_", "privacy_notice", "large_mode")
OPEN_PATHS = ("/admin/", "/api/", "/static/", "/media/", "/documents/")


class ResidentDetailsMiddleware:
    """A resident signed in by a code whose earlier, unproven sign-up was dropped
    (portal/accounts.py) gives their own name, home and agreement before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not accounts.needs_details(request.user) or request.path_info.startswith(OPEN_PATHS):
            return None
        name = request.resolver_match.url_name or ""
        if name.startswith(OPEN_URL_NAMES) or request.user.has_perm("wagtailadmin.access_admin"):
            return None
        return redirect(f"{reverse('account_details')}?{urlencode({'next': request.get_full_path()})}")
