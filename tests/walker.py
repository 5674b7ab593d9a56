"""Walk every address the portal answers and replay it with odd input (tests/test_odd_input.py).

1. Every URL pattern the resolver knows (site, API, admin, in both languages), every live page
   and each of its routable sub-URLs gets at least one concrete address: the first one found by
   following links from the home pages, the admin and the API's schema, or else one made by
   filling the pattern's parameters.
2. Each address is requested normally; a middleware records which query keys the view read,
   and the forms the page holds are kept.
3. Then each query key, each path parameter and each form field is replayed with boundary
   values: dates at year 1 and 9999, zero, negative and huge numbers, NUL bytes and 10 000
   characters. Every request runs in a transaction that is rolled back, so the walk changes
   nothing, whatever a form does.

A walk is one role (signed out, a resident, staff, an administrator); its failures are every
answer of 500 or more and every exception, with the request that caused it.
"""

import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.db import transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

# What a person or a program might send: dates at both ends of the calendar, numbers of every
# sign and size, NUL bytes, and far too much.
ODD_VALUES = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31 23:59",
    "0",
    "-1",
    "99999999999999999999",
    "\x00",
    "²",
    "１２",
    "x" * 10_000,
]
ODD_PATH_VALUES = {
    "int": ["0", "99999999999999999999"],
    "slug": ["0001-01-01", "x" * 300],
    "str": ["0001-01-01", "9999-12-31", "00:00", "99:99", "x" * 1_000, "%00"],
    "path": ["0001-01-01", "%00"],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
}
# Regular-expression groups of routes (routable pages, allauth): values their shapes accept.
ODD_GROUP_VALUES = {
    r"\d{4}-\d{2}-\d{2}": ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30"],
    r"\d{4}": ["0001", "0999", "9999", "0000"],
    r"\d{1,2}": ["0", "13", "99"],
    r"\d+": ["0", "99999999999999999999"],
}
# Files, signing out (the walk keeps its session), and Wagtail's deliberate error page, there to
# try out error reporting.
SKIPPED_PATHS = ("/static/", "/media/", "logout", "/admin/logout", "/admin/failwhale/")
MAX_CRAWL = 1500


# Which query keys a view reads


_reads = threading.local()


class RecordingQueryDict(QueryDict):
    def _note(self, key):
        keys = getattr(_reads, "keys", None)
        if keys is not None:
            keys.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class RecordQueryKeys:
    """Test-only middleware, the last: request.GET notes every key the view asks for (what the
    middleware before it reads, such as the admin's id checks, is theirs, not the view's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        return None


# Links and forms in a page


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name: default value
    kinds: dict = field(default_factory=dict)  # name: input type
    options: dict = field(default_factory=dict)  # name of a select: its option values

    def filled(self, today):
        """The form with every empty field given a plausible value, so that odd values in one
        field at a time reach past the others' "this field is required"."""
        day = (today + timedelta(days=5)).isoformat()
        values = dict(self.fields)
        for name, value in self.fields.items():
            if value:
                continue
            kind, lower = self.kinds.get(name, "text"), name.lower()
            if kind == "select":
                values[name] = next((option for option in self.options.get(name, []) if option), "")
            elif kind in ("checkbox", "radio"):
                values[name] = "on"
            elif "phone" in lower:
                values[name] = "13900000001"
            elif "email" in lower:
                values[name] = "resident@example.com"
            elif any(word in lower for word in ("date", "day", "week", "monday")):
                values[name] = day
            elif lower in ("start", "end", "time", "start_time", "end_time"):
                time = "14:00" if "start" in lower or lower == "time" else "15:00"
                values[name] = time if any("date" in other for other in self.fields) else f"{day} {time}"
            elif any(word in lower for word in ("count", "minutes", "number", "capacity", "order")):
                values[name] = "60" if "minutes" in lower else "1"
            else:
                values[name] = "测试"
        return values


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "data-url"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = Form(attrs.get("action") or "")
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                if kind == "submit" and name not in self._form.fields:
                    self._form.fields[name] = attrs.get("value", "")
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.fields.setdefault(name, "")
                self._form.kinds[name] = kind
                return
            self._form.fields[name] = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._form.kinds[name] = kind
        elif tag == "select":
            self._select = name
            self._form.fields.setdefault(name, "")
            self._form.kinds[name] = "select"
        elif tag == "option" and self._select:
            self._form.options.setdefault(self._select, []).append(attrs.get("value", ""))
            if "selected" in attrs:
                self._form.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = ""
            self._form.kinds[name] = "textarea"

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


# The URL patterns


def url_patterns():
    """(route, pattern) for every pattern the resolver knows, the route as Django writes it."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    return list(walk(get_resolver().url_patterns, ""))


def resolved(path):
    """(key, route, prefix, values) for a path: the key a walk visits it under once (a URL
    pattern, per language; a page and its sub-URLs by their shape), and what fills the route
    again with other values. None for a path nothing answers."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        return "page:" + re.sub(r"\d+", "N", path), None, "/", {}
    language = "en/" if path.startswith("/en/") else ""
    values = {name: quote_segment(str(value)) for name, value in match.kwargs.items()}
    return language + match.route, match.route, "/" + language, values


CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


def fill(route, values=None):
    """A path for a route: each parameter from `values` (by name) or a plain stand-in.
    Routes whose regular expressions cannot be filled this way give None."""
    values = values or {}
    if route.startswith("^") or "(?P<" in route:
        text = route.replace("^", "").replace("$", "")
        text = GROUP.sub(lambda m: values.get(m.group("name"), stand_in_for_group(m.group("body"))), text)
        if re.search(r"[()\\\[\]*+?]", text):
            return None
        return "/" + text
    return "/" + CONVERTER.sub(lambda m: values.get(m.group("name"), stand_in(m.group("kind") or "str")), route)


def stand_in(kind):
    return {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}[kind]


def stand_in_for_group(body):
    return {r"\d{4}-\d{2}-\d{2}": "2026-12-07", r"\d{4}": "2026", r"\d{1,2}": "12", r"\d+": "1"}.get(body, "x")


def combinations(visit, path_values=None):
    """Odd values for a visit's path parameters: each parameter alone, and, where there are two
    or three, together (a year-1 date is harmless at noon and overflows at midnight)."""
    found = parameters(visit.route)
    for name, odd in found:
        for value in path_values or odd:
            yield {name: value}
    if 2 <= len(found) <= 3 and not path_values:
        names = [name for name, _odd in found]
        # Each parameter's own value is one of its choices: a real room with an odd day and time.
        choices = [[visit.values[name], *odd] if name in visit.values else odd for name, odd in found]
        for values in itertools.product(*choices):
            yield dict(zip(names, values, strict=True))


def parameters(route):
    """(name, odd values) for each parameter of a route."""
    found = []
    if not (route.startswith("^") or "(?P<" in route):
        for match in CONVERTER.finditer(route):
            found.append(
                (match.group("name"), ODD_PATH_VALUES.get(match.group("kind") or "str", ODD_PATH_VALUES["str"]))
            )
    for match in GROUP.finditer(route):
        found.append((match.group("name"), ODD_GROUP_VALUES.get(match.group("body"), ODD_PATH_VALUES["str"])))
    return found


def page_routes():
    """(host, path prefix, sub-route) for every live page that has routable sub-URLs."""
    found = []
    sites = {site.pk: site for site in Site.objects.all()}
    for page in Page.objects.live().specific():
        if not isinstance(page, RoutablePageMixin):
            continue
        site_id, _root, path = page.get_url_parts() or (None, None, None)
        if path is None:
            continue
        host = sites[site_id].hostname if site_id in sites else "localhost"
        for pattern in page.get_subpage_urls():
            found.append((host, path, str(pattern.pattern)))
    return found


# The walk


@dataclass
class Visit:
    host: str
    path: str  # the address as requested normally
    query: str = ""
    route: str | None = None  # what its path parameters are replayed through (None: a page)
    prefix: str = "/"  # what stands before the route: a language, or a routable page's address
    values: dict = field(default_factory=dict)  # the path parameters as requested normally
    keys: set = field(default_factory=set)  # the query keys the view read
    view: object = None  # what answered: a view's class or function, or a page's class

    def path_with(self, values):
        filled = fill(self.route, {**self.values, **{name: quote_segment(value) for name, value in values.items()}})
        return filled and self.prefix.rstrip("/") + filled


@dataclass
class Walk:
    client: object
    hosts: list
    watch: str = ""  # a text no answer may contain (lower case), such as another area's marker
    within: tuple = ("/",)  # the addresses the crawl follows
    visits: dict = field(default_factory=dict)  # key (resolved()): Visit
    forms: dict = field(default_factory=dict)  # (action path's key, field names): (host, Form)
    failures: list = field(default_factory=list)
    requests: int = 0

    def request(self, host, method, path, data=None, query=""):
        """One request, rolled back; returns the response, or None after an exception (which,
        like an answer of 500 or more, is recorded as a failure)."""
        self.requests += 1
        _reads.keys = set()
        target = path + (f"?{query}" if query else "")
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(target, HTTP_HOST=host)
                else:
                    response = self.client.post(target, data or {}, HTTP_HOST=host)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - every exception is a finding
            self.failures.append(f"{method} {host}{shorten(target)} {shorten_data(data)} raised {error!r:.300}")
            return None
        finally:
            keys, _reads.keys = _reads.keys, None
        if response.status_code >= 500:
            self.failures.append(
                f"{method} {host}{shorten(target)} {shorten_data(data)} answered {response.status_code}"
            )
        if self.watch and not response.streaming and self.watch in response.content.decode(errors="replace").lower():
            self.failures.append(f"{method} {host}{shorten(target)} {shorten_data(data)} showed {self.watch!r}")
        response.keys_read = keys
        return response

    def visit(self, key, visit):
        self.visits[key] = visit
        response = self.request(visit.host, "GET", visit.path, query=visit.query)
        if response is not None:
            visit.keys = response.keys_read
            visit.view = answered_by(response)
        return response

    def crawl(self, seeds):
        """Follow links from the seeds ((host, address) pairs), visiting each key once."""
        queue = list(seeds)
        while queue and len(self.visits) < MAX_CRAWL:
            host, url = queue.pop(0)
            parts = urlsplit(url)
            host = parts.hostname or host
            if not parts.path.startswith(self.within) or parts.path.startswith(SKIPPED_PATHS) or host not in self.hosts:
                continue
            found = resolved(parts.path)
            if found is None or found[0] in self.visits:
                continue
            key, route, prefix, values = found
            response = self.visit(key, Visit(host, parts.path, parts.query, route, prefix, values))
            if response is None:
                continue
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                parser = PageParser()
                parser.feed(response.content.decode(errors="replace"))
                queue.extend((host, link) for link in parser.links)
                for form in parser.forms:
                    form.action = urlsplit(form.action).path or parts.path
                    action = resolved(form.action)
                    if action is not None:
                        self.forms.setdefault((action[0], tuple(sorted(form.fields))), (host, form))
            elif response.status_code in (301, 302) and response.get("Location"):
                queue.append((host, response["Location"]))

    def cover(self, pages=True):
        """Give every URL pattern (within the walk's addresses) and every routable page's
        sub-URL that links did not reach a made-up address of its own, so nothing goes
        unreplayed."""
        for route, _pattern in url_patterns():
            if route.startswith("^((?:") or not ("/" + route).startswith(self.within):
                continue
            if ("/" + route).startswith(SKIPPED_PATHS):
                continue
            languages = ("",) if route.startswith(("admin/", "api/", "documents/", "large-mode/")) else ("", "en/")
            for language in languages:
                path = fill(language + route)
                if path is not None and language + route not in self.visits:
                    self.visit(language + route, Visit(self.hosts[0], path, "", route, "/" + language))
        if not pages:
            return
        for host, page_path, sub_route in page_routes():
            key = f"page-route:{host}{page_path}{sub_route}"
            path = fill(sub_route)
            if path is not None and key not in self.visits:
                self.visit(key, Visit(host, page_path.rstrip("/") + path, "", sub_route, page_path))

    def replay(self, values=None, path_values=None):
        """Each query key a view read, and each path parameter, with each odd value (or with
        `values` and, for every path parameter, `path_values`). A key is replayed once per view
        (a listing and its results, a page in either language, read it alike)."""
        replayed = set()
        for visit in list(self.visits.values()):
            base = dict(parse_qsl(visit.query, keep_blank_values=True))
            for key in sorted(visit.keys):
                if visit.view is not None:
                    if (visit.view, key) in replayed:
                        continue
                    replayed.add((visit.view, key))
                for value in values or ODD_VALUES:
                    self.request(visit.host, "GET", visit.path, query=urlencode({**base, key: value}))
            if visit.route is None:
                continue
            for values in combinations(visit, path_values):
                path = visit.path_with(values)
                if path:
                    self.submit_form_of(visit.host, path, self.request(visit.host, "GET", path))

    def submit_form_of(self, host, path, response):
        """A page reached with odd values in its address: its own form, filled in and sent (a
        booking form for year 9999 is where times overflow)."""
        if (
            response is None
            or response.status_code != 200
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return
        parser = PageParser()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            if (urlsplit(form.action).path or path) == path:
                self.request(host, "POST", path, form.filled(timezone.localdate()))

    def submit_forms(self):
        """Each form as it stands and filled in, then with each field in turn set to each odd
        value (the others filled in)."""
        today = timezone.localdate()
        for host, form in list(self.forms.values()):
            filled = form.filled(today)
            self.request(host, "POST", form.action, dict(form.fields))
            self.request(host, "POST", form.action, filled)
            for name in form.fields:
                if name == "csrfmiddlewaretoken":
                    continue
                for value in ODD_VALUES:
                    self.request(host, "POST", form.action, {**filled, name: value})


def answered_by(response):
    """The view that answered (its class, for class-based views), or the page's class."""
    from django.urls import Resolver404

    try:
        match = response.resolver_match
        url_name = match.url_name  # the test client resolves the path only now
    except (AttributeError, Resolver404):
        return None
    if url_name == "wagtail_serve":
        page = (response.context or {}).get("page") if hasattr(response, "context") else None
        return type(page) if page is not None else None
    return getattr(match.func, "view_class", match.func)


def quote_segment(value):
    return value if "%" in value else quote(value, safe="-:")


def shorten(text):
    return text if len(text) < 160 else text[:150] + f"…({len(text)} characters)"


def shorten_data(data):
    if not data:
        return ""
    return "{" + ", ".join(f"{key}={shorten(str(value))!r}" for key, value in data.items() if value) + "}"
