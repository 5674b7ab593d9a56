"""Whole pages kept for anonymous visitors, so that a link shared in a WeChat group, tapped by
everybody at the same minute, is rendered once rather than for each of them.

A page is kept for at most PAGE_CACHE_SECONDS (a minute: blocks such as "on reception duty now"
change with the clock), under its host, address, language and display mode (large mode), never
under the whole cookie string. Only what anybody would see is kept: a 200 answer to a GET from
a visitor without a session (a signed-in visitor, or one in the middle of signing in or shown a
message, has one), that sets no cookie (a page with a form sets the CSRF cookie), that no header
marks private, and that varies on nothing but the cookies read here. A restricted page never
answers such a visitor with 200.

Every write to the database that can change what pages show starts a new generation of pages:
the generation is part of what each kept page is checked against. Writes are noticed in the SQL
itself rather than by model signals, which queryset updates, bulk writes and raw SQL (the staff
planner, the retention job) do not send.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from portal.models import AreaSettings

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
API_PREFIX = "/api/"
# Paths that are never anybody's public page (the admin, the API, documents that check who asks,
# the display switch) and the residents' own pages (accounts, bookings, their suggestions).
PRIVATE_PREFIXES = ("/admin/", API_PREFIX, "/documents/", "/large-mode/", "/static/", "/media/", "/healthz")
PRIVATE_PARTS = (
    "/accounts/",
    "/bookings/",
    "/suggestions/mine/",
    "/suggestions/new/",
    "/suggestions/visits/",
    "/_util/",
)
# Cookies that carry one person's state (as does an Authorization header): their session (signed in or signing in) and messages
# waiting to be shown to them.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# What a kept page may vary on: the cookies read here, and the language, which the address
# decides on every page kept (portal/urls.py: i18n_patterns without a prefix for Chinese).
KNOWN_VARY = {"cookie", "accept-language", "accept-encoding"}
# Writes that change no page anybody reads: sessions, sign-in tokens and devices, images'
# renditions made while a page renders, the search and reference indexes, logs (a booking's
# history too, which only the admin shows), the admin's editing pings, background tasks,
# outgoing messages and the timer's own bookkeeping.
QUIET_TABLES = (
    "django_session",
    "portal_apitoken",
    "wagtailcore_apitoken",
    "otp_",
    "account_emailconfirmation",
    "wagtailimages_rendition",
    "wagtailembeds_embed",
    "wagtailsearch_",
    "wagtailcore_referenceindex",
    "wagtailcore_modellogentry",
    "wagtailcore_pagelogentry",
    "booking_reservationevent",
    "wagtailadmin_",
    "wagtailusers_userprofile",
    "outreach_recordaccess",
    "django_tasks",
    "portal_outboundmessage",
    "portal_timerrun",
)
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


def new_generation():
    """Pages kept so far are stale from now on. A cache that cannot be reached must not fail the
    write: its pages are at most PAGE_CACHE_SECONDS old."""
    try:
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        logger.warning("The page cache missed a new generation", exc_info=True)


def current_generation():
    """The current generation (None when the cache cannot be reached)."""
    try:
        found = cache.get(GENERATION_KEY)
        if found is None:
            cache.add(GENERATION_KEY, time.time_ns(), None)
            found = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("The page cache cannot be read", exc_info=True)
        return None
    return found


def generation(request):
    """The current generation, read once a request: fragments of pages ({% wagtailcache %} in the
    templates) are kept under it, as whole pages are."""
    if not hasattr(request, "_page_generation"):
        request._page_generation = current_generation()
    return request._page_generation


def remembered(name, compute, current=None):
    """compute() kept under the generation (the request's, when given, else read now), for at
    most PAGE_CACHE_SECONDS: for what many requests ask alike and only a write changes (None
    included). Not for personal data."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    current = current if current is not None else current_generation()
    if current is None:
        return compute()
    key = f"page-cache:kept:{current}:{name}"
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("The page cache cannot be read", exc_info=True)
        return compute()
    if found is None:
        found = (compute(),)
        try:
            cache.set(key, found, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("The page cache cannot keep a value", exc_info=True)
    return found[0]


def note_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a table pages read starts a new generation, at once
    and again when the transaction commits (a page rendered in between saw the old rows)."""
    result = execute(sql, params, many, context)
    if not settings.PAGE_CACHE_SECONDS:
        return result
    written = WRITE.match(sql)
    if written and not written[1].lower().startswith(QUIET_TABLES):
        new_generation()
        if context["connection"].in_atomic_block:
            transaction.on_commit(new_generation, using=context["connection"].alias)
    return result


def watch_writes(sender, connection, **kwargs):
    """connection_created: every connection notices writes."""
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)


class KnownSiteMiddleware:
    """Wagtail finds the site of every request, then its root page's own type, and pages here
    ask for the site's area and the committee's contact details (AreaSettings): three queries,
    kept in the cache under the generation (so a changed site, page, area or contact is found
    afresh).

    The JSON API finds its site only if a view asks (portal.sites.site_area): most of its
    routes, booking among them, take the area from the caller's account, and every booking
    starts a new generation, so finding the site for each of them would mostly find it afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            known_site(request)
        return self.get_response(request)

    @staticmethod
    def find_site(request, current):
        named = f"{request.META.get('HTTP_HOST', '')}\n{request.META.get('SERVER_NAME', '')}\n{request.get_port()}"

        def site_with_root_and_area():
            site = Site.find_for_request(request)
            # Its area, the committee's contact details (every page's footer) and the root page
            # as its own type with its pictures come along, in one query; kept with the site.
            return with_root_area_and_contact(site) if site is not None else None

        # Where Site.find_for_request keeps what it found.
        site = request._wagtail_site = remembered(
            "site:" + hashlib.sha256(named.encode()).hexdigest(), site_with_root_and_area, current
        )
        contact = getattr(site, "areasettings", None)
        if contact is not None:  # where AreaSettings.for_request keeps what it found
            contact._request = request
            setattr(request, AreaSettings.get_cache_attr_name(), contact)


def with_root_area_and_contact(site):
    """The site again, with its root page as its own type with its images (a home page shows its
    hero image), its Area and its AreaSettings (either None where it has none), in one query."""
    model = site.root_page.specific_class or type(site.root_page)
    joins = ["area", "areasettings"]
    own_row = None
    if Page in model._meta.parents:  # a page type right below Page: its row joins the page's
        own_row = f"root_page__{model._meta.model_name}"
        images = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is get_image_model()
        ]
        joins += [own_row, *(f"{own_row}__{name}" for name in images)]
    found = Site.objects.select_related(*joins).get(pk=site.pk)
    root = found.root_page
    found.root_page = getattr(root, model._meta.model_name) if own_row else root.specific
    return found


def known_site(request):
    """Site.find_for_request(request), the site with its root page and area kept under the
    generation where the cache is on."""
    if not hasattr(request, "_wagtail_site"):
        current = generation(request) if settings.PAGE_CACHE_SECONDS else None
        if current is not None:
            KnownSiteMiddleware.find_site(request, current)
    return Site.find_for_request(request)


class AnonymousPageCacheMiddleware:
    """Placed right after LocaleMiddleware: a page found costs two cache reads (one round trip)
    and neither the session, the user nor the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        key = self.key(request) if seconds and request.method in ("GET", "HEAD") else None
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # the cache is down: pages are made afresh
            logger.warning("The page cache cannot be read", exc_info=True)
            return self.get_response(request)
        if GENERATION_KEY in found:
            request._page_generation = found[GENERATION_KEY]
        current = generation(request)
        if current is None:
            return self.get_response(request)
        kept = found.get(key)
        if kept is not None and kept[0] == current:
            return self.replay(request, kept)
        response = self.get_response(request)
        if request.method == "GET" and self.may_keep(request, response):
            try:
                cache.set(key, (current, response.content, list(response.items())), seconds)
            except Exception:
                logger.warning("The page cache cannot keep a page", exc_info=True)
        return response

    @staticmethod
    def key(request):
        path = request.path
        if path.startswith(PRIVATE_PREFIXES) or any(part in path for part in PRIVATE_PARTS):
            return None
        if "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in PERSONAL_COOKIES):
            return None
        large = request.COOKIES.get(settings.LARGE_MODE_COOKIE) == "1"
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        # The host as sent (ALLOWED_HOSTS is checked when the page is made; a page is kept only
        # for a host it was made for), the language LocaleMiddleware chose, the display mode.
        named = f"{host}\n{request.LANGUAGE_CODE}\n{int(large)}\n{request.get_full_path()}"
        return "page-cache:" + hashlib.sha256(named.encode()).hexdigest()

    @staticmethod
    def may_keep(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:  # SessionMiddleware sets its cookie later
            return False
        control = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
        if control & {"private", "no-store", "no-cache"}:
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        return vary <= KNOWN_VARY

    @staticmethod
    def replay(request, kept):
        _generation, content, headers = kept
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for name, value in headers:
            response[name] = value
        return response
