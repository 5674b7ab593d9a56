"""Whole pages kept for anonymous visitors and, apart, for the signed-in residents of each area,
so that a link shared in a WeChat group, tapped by everybody at the same minute, is rendered once
rather than for each of them.

A page is at most PAGE_CACHE_SECONDS old (a minute: blocks such as "on reception duty now"
change with the clock): whole pages and the parts of pages they are made of are each kept for
half of it (held_for()), under its host, address, language and display mode (large mode), never
under the whole cookie string. Only what anybody would see is kept: a 200 answer to a GET from
a visitor without a session (a signed-in visitor, or one in the middle of signing in or shown a
message, has one), that sets no cookie (a page with a form sets the CSRF cookie), that no header
marks private, and that varies on nothing but the cookies read here. A restricted page never
answers such a visitor with 200. What decides that a page made for a signed-in resident is every
resident's is in SignedInPageCacheMiddleware.

Every write to the database that can change what pages show starts a new generation of pages:
the generation is part of what each kept page is checked against. Writes are noticed in the SQL
itself rather than by model signals, which queryset updates, bulk writes and raw SQL (the staff
planner, the retention job) do not send.
"""

import copy
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.functional import LazyObject, empty
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from portal import accounts
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
# Signing in notes the time in the account (django.contrib.auth's update_last_login), which no page
# shows: a minute when many residents sign in must not make every page again for each of them.
QUIET_UPDATE = re.compile(r'\s*UPDATE\s+"?portal_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.IGNORECASE)
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


# The generation of the request being answered, for what is remembered without the request at
# hand (an account's permissions, portal/auth_backend.py). KnownSiteMiddleware sets it.
request_generation = ContextVar("request_generation", default=None)


def remembered(name, compute, current=None):
    """compute() kept under the generation (the one given, else the request's, else read now), for
    at most PAGE_CACHE_SECONDS: for what many requests ask alike and only a write changes (None
    included). Not for personal data."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    if current is None:
        current = request_generation.get()
    if current is None:
        current = current_generation()
    if current is None:
        return compute()
    key = kept_key(name, current)
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


def held_for():
    """How long a whole page, or a part of one ({% wagtailcache fragment_seconds %}), is kept: half
    of PAGE_CACHE_SECONDS each, so a page made from a part kept until the last moment is still
    at most PAGE_CACHE_SECONDS old."""
    return settings.PAGE_CACHE_SECONDS // 2


def kept_key(name, current):
    return f"page-cache:kept:{current}:{name}"


# What an account's permissions are remembered under (portal/auth_backend.py).
PERMISSIONS = "permissions:{}"


def note_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a table pages read starts a new generation, at once
    and again when the transaction commits (a page rendered in between saw the old rows)."""
    result = execute(sql, params, many, context)
    if not settings.PAGE_CACHE_SECONDS:
        return result
    written = WRITE.match(sql)
    if written and not written[1].lower().startswith(QUIET_TABLES) and not QUIET_UPDATE.match(sql):
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
        if not settings.PAGE_CACHE_SECONDS or request.path.startswith(API_PREFIX):
            return self.get_response(request)
        known_site(request)
        token = request_generation.set(generation(request))
        try:
            return self.get_response(request)
        finally:
            request_generation.reset(token)

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


def public_path(request):
    """Whether the address can be anybody's public page (read with GET or HEAD)."""
    path = request.path
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method in ("GET", "HEAD")
        and not path.startswith(PRIVATE_PREFIXES)
        and not any(part in path for part in PRIVATE_PARTS)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request, reader):
    """Where a page is kept: the host as sent (ALLOWED_HOSTS is checked when the page is made; a
    page is kept only for a host it was made for), the language, the display mode, the address,
    and who it was made for ("anyone", or residents of one area).

    The language is the address's, as LocaleMiddleware finds it when the anonymous cache asks
    before it: portal/urls.py has i18n_patterns without a prefix for Chinese, so an address
    without one is Chinese whatever the browser prefers."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    large = request.COOKIES.get(settings.LARGE_MODE_COOKIE) == "1"
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    named = f"{host}\n{language}\n{int(large)}\n{request.get_full_path()}\n{reader}"
    return "page-cache:page:" + hashlib.sha256(named.encode()).hexdigest()


def shareable(response):
    """A 200 answer that sets no cookie (a page with a form sets the CSRF cookie), that no header
    marks private, and that varies on nothing but the cookies read here."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= KNOWN_VARY


class NearbyPages:
    """The pages this process served last, kept in its own memory as well: a page found here
    costs only the read of the generation (a few bytes from Redis) rather than the page itself
    (tens of kilobytes, unpickled). Checked against the generation like the copy in Redis, and
    as old as it: held_for() from when it was made, or from when it reached this process if
    another server's clock says otherwise."""

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.until = {}
        self.lock = threading.Lock()

    def find(self, key, current):
        with self.lock:
            kept = self.pages.get(key)
            if kept is None:
                return None
            if kept[0] != current or self.until[key] < time.time():
                del self.until[key]
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return kept

    def keep(self, key, kept):
        with self.lock:
            self.pages[key] = kept
            self.pages.move_to_end(key)
            self.until[key] = min(kept[3], time.time()) + held_for()
            while len(self.pages) > self.size:
                self.until.pop(self.pages.popitem(last=False)[0], None)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.until.clear()


# Some 500 pages of 10–40 KB: 5–20 MB a worker.
nearby = NearbyPages(500)


def keep(key, current, response):
    """Keep the page: (its generation, body, headers, when it was made)."""
    kept = (current, response.content, list(response.items()), time.time())
    nearby.keep(key, kept)
    try:
        cache.set(key, kept, held_for())
    except Exception:
        logger.warning("The page cache cannot keep a page", exc_info=True)


def found_in(found, key, current):
    """The page under ``key`` in what Redis answered, if it is of the current generation (then
    kept nearby too)."""
    kept = found.get(key)
    if kept is None or kept[0] != current:
        return None
    nearby.keep(key, kept)
    return kept


def replay(request, kept):
    _generation, content, headers, _made = kept
    response = HttpResponse(b"" if request.method == "HEAD" else content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))  # a HEAD's too, as its GET's
    return response


class AnonymousPageCacheMiddleware:
    """Placed before the session and the language are looked at: a page found costs the read of
    the generation (and of the page, unless this process has it nearby) and neither the session,
    the user, the language's set-up nor the database. What those middlewares add to an answer (Vary, Content-Language) is kept with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        found = {}
        if key not in nearby.pages:  # the generation and the page in one round trip
            try:
                found = cache.get_many([GENERATION_KEY, key])
            except Exception:  # the cache is down: pages are made afresh
                logger.warning("The page cache cannot be read", exc_info=True)
                return self.get_response(request)
            if GENERATION_KEY in found:
                request._page_generation = found[GENERATION_KEY]
        current = generation(request)
        if current is None:  # the cache is down: pages are made afresh
            return self.get_response(request)
        kept = nearby.find(key, current) or found_in(found, key, current)
        if kept is not None:
            return replay(request, kept)
        response = self.get_response(request)
        if request.method == "GET" and self.may_keep(request, response):
            keep(key, current, response)
        return response

    @staticmethod
    def key(request):
        if not public_path(request) or any(name in request.COOKIES for name in PERSONAL_COOKIES):
            return None
        return page_key(request, "anyone")

    @staticmethod
    def may_keep(request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:  # SessionMiddleware sets its cookie later
            return False
        return shareable(response)


# What a page made for a signed-in resident may read of them and still be the page of every
# resident of their area: that they are signed in, their area, and their rights, which are none
# (the user bar asks; SignedInPageCacheMiddleware keeps pages only for accounts without any).
SHARED_ATTRIBUTES = frozenset(
    {"is_authenticated", "is_anonymous", "is_active", "is_staff", "is_superuser", "area_id", "area"}
)


class WatchedReader(LazyObject):
    """Stands in for request.user while a page is made for a signed-in resident, and notes
    whatever else of theirs the page reads: their id (any query about them, any comparison),
    name, number, bookings, groups."""

    def __init__(self, user):
        super().__init__()
        self._wrapped = user
        self.__dict__["personal"] = set()

    def __getattr__(self, name):
        if name not in SHARED_ATTRIBUTES:
            self.personal.add(name)
        return getattr(self._wrapped, name)

    def _identity(self, name):
        self.personal.add(name)
        return self._wrapped

    def __copy__(self):
        return copy.copy(self._identity("copy"))

    def __deepcopy__(self, memo):
        return copy.deepcopy(self._identity("copy"), memo)

    def has_perm(self, perm, obj=None):
        """The same for every account without permissions, unless asked of an object."""
        if obj is not None:
            self.personal.add("has_perm of an object")
        return self._wrapped.has_perm(perm, obj)


def _noted(name):
    def operation(self, *args):
        return getattr(self._identity(name), name)(*args)

    operation.__name__ = name
    return operation


# Comparing, hashing, printing, pickling or listing the account is reading it (copying is, above).
# Subscripts and `in` are not: an account has neither, and templates try `user[name]` first.
for _name in ("__eq__", "__ne__", "__lt__", "__gt__", "__hash__", "__str__", "__bytes__", "__dir__", "__reduce__"):
    setattr(WatchedReader, _name, _noted(_name))


def unwrapped(user):
    """The account behind request.user's lazy wrappers (AuthenticationMiddleware's, OTP's)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class SignedInPageCacheMiddleware:
    """Last of the middleware: pages for signed-in residents, kept once for all the residents of
    an area. A resident's page is usually everybody's page with "My data" for "Sign in"; what
    makes it theirs is noticed rather than declared. While the page is made, request.user is a
    WatchedReader and the session is watched: a page that read anything of the resident but
    their area (a query about them, their name, their sign-ups, their groups), anything of their
    session, made a CSRF token (a form) or showed them a message is theirs alone and is not
    kept. Only accounts without any rights (no staff, no permission, no group's) share pages, so
    the user bar's question has one answer for all of them, and never a resident who still owes
    their details (portal.middleware.ResidentDetailsMiddleware sends them there first).

    A page found costs the session, the account (one query) and one cache round trip for its
    permissions (and the page, unless this process has it nearby), and no rendering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = self.sharing(request)
        current = generation(request) if user is not None else None
        if current is None:
            return self.get_response(request)
        # The page and the account's permissions in one round trip.
        key = page_key(request, f"residents of {user.area_id}")
        rights = kept_key(PERMISSIONS.format(user.pk), current)
        kept = nearby.find(key, current)
        try:
            found = cache.get_many([rights] if kept is not None else [key, rights])
        except Exception:  # the cache is down: pages are made afresh
            logger.warning("The page cache cannot be read", exc_info=True)
            return self.get_response(request)
        if rights in found:
            user._perm_cache = found[rights][0]
        if user.get_all_permissions():
            return self.get_response(request)
        kept = kept or found_in(found, key, current)
        if kept is not None:
            return replay(request, kept)
        request._shared_page_key = key
        try:
            response = self.get_response(request)
        finally:
            watched = request.__dict__.pop("_shared_watch", None)
            if watched is not None:
                reader, user, session_read = watched
                if request.user is reader:  # unless the view signed someone in or out
                    request.user = user
                read_session = request.session.accessed
                request.session.accessed = read_session or session_read
        if watched is None:  # the view was not reached (a redirect to give one's details, a 404)
            return response
        if request.method == "GET" and not reader.personal and not read_session and self.may_keep(request, response):
            keep(key, current, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "_shared_page_key", None) is None:
            return None
        len(request._messages)  # read now, so the page's reading them is not a reading of the session
        reader = WatchedReader(unwrapped(request.user))
        request._shared_watch = (reader, request.user, request.session.accessed)
        request.session.accessed = False
        request.user = reader
        return None

    @staticmethod
    def sharing(request):
        """The signed-in account, if the pages it is given may be everyone's of its area (its
        permissions are checked once read)."""
        if not public_path(request) or "messages" in request.COOKIES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_staff or user.is_superuser or not user.is_active or accounts.needs_details(user):
            return None
        if "_messages" in request.session:
            return None
        return user

    @staticmethod
    def may_keep(request, response):
        return (
            not request.session.modified
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not len(request._messages)
            and shareable(response)
        )
