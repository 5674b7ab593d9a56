from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.core.paginator import InvalidPage
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import accounts
from portal.api import ApiError
from portal.ids import MAX_ID, is_id


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


# The admin's query keys that name rows by id (bulk actions, choosers); "all" picks every row.
ADMIN_ID_KEYS = ("id", "target_pages[]", "parent_page_id", "childOf")


class IdsInRangeMiddleware:
    """An id that no row can have is not found: in an address's <int:...> part, zero or a number
    too large for the databases to even compare (SQLite overflows, PostgreSQL is out of range);
    in the admin, also a `pk` or an id in the query that is not such a number (every model there
    has numeric ids, and some of Wagtail's views take any text and fail on it). A page number
    past the last page is not found either (some of Wagtail's listings raise instead)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(value, int) and not 0 < value <= MAX_ID for value in values):
            raise Http404
        if request.path_info.startswith("/admin/"):
            pk = view_kwargs.get("pk")
            if isinstance(pk, str) and not is_id(pk):
                raise Http404
            for key in ADMIN_ID_KEYS:
                if any(not (is_id(value) or (key == "id" and value == "all")) for value in request.GET.getlist(key)):
                    raise Http404
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidPage):
            raise Http404 from exception
        return None


class BadRequestMiddleware:
    """What no page of the portal sends is refused plainly (400) rather than failing deeper: a
    NUL byte in an address, a query, a form or the API's body (PostgreSQL cannot even compare
    text holding one), and a form posted without fields its page has (some of Wagtail's views
    read them unchecked). The API answers in its error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            return self.refuse(request, _("NUL characters cannot be used."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            return self.refuse(request, _("A field the form has is missing."))
        return None

    @staticmethod
    def refuse(request, reason):
        if request.path_info.startswith("/api/"):
            body = ApiError(400, _("Please check what was sent."), {"__all__": [reason]})
            return JsonResponse(body.body(), status=400)
        return render(request, "400.html", status=400)

    @staticmethod
    def carries_nul(request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.path_info.startswith("/api/"):
            # django-ninja reads any body as JSON, whatever its declared type or method.
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.method != "POST":
            return False
        return any("\x00" in value for values in request.POST.lists() for value in values[1])


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
