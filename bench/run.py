"""`make bench`: the portal under gunicorn with the production settings, measured against a
one-view Django app (bench/hello.py) on the same server set-up, interleaved A B A B, with wrk.

    python -m bench.run [--quick] [--areas N] [--pages home,search] [--database postgres]

It builds the demo in a temporary folder (SQLite, or a PostgreSQL database of its own), collects
the static files, serves both apps with 2 sync workers each, and prints a markdown table: for
each page requests per second, p50 and p99 latency, SQL queries per request and the ratio to
hello, for an anonymous visitor and for a signed-in resident; then booking POSTs through the
JSON API from 8 clients and a check for double bookings, memory per worker (PSS) and the weight
of each public page at phone size, with the issue's targets marked pass or fail.
docs/performance.md says what each figure means and how it is taken.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH = Path(__file__).resolve().parent

# Everything the servers are started with, in one place (production may come to need more).
SERVER_ENV = {
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "localhost,.localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "REDIS_URL": "redis://127.0.0.1:6379/4",
}
WORKERS = 2
PHONE = {"width": 390, "height": 844}

# The issue's targets.
ANONYMOUS_RATIO = 0.5
SIGNED_IN_RATIO = 0.1
MAX_QUERIES = 15
BOOKING_P99_MS = 100
MAX_PSS_MB = 250
MAX_PAGE_BYTES = 200 * 1024

SEARCH = "/search/?" + urllib.parse.urlencode({"q": "旗袍"})

PAGES = {
    # name: what the table calls it
    "home": "home",
    "activity": "activity page",
    "month": "month view",
    "guide": "service guide",
    "search": "search 旗袍",
    "room": "room page",
    "notice": "notice page",
    "activities": "activity index",
    "staff": "staff schedule",
    "notices": "notice board",
    "services": "services page",
    "rooms": "room list",
    "room-day": "a room's day",
    "suggestions": "suggestion board",
    "availability": "availability API",
}


def say(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One wrk run."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    statuses: dict = field(default_factory=dict)

    @property
    def rps(self):
        return self.requests / self.seconds


@dataclass
class Figures:
    """A page's interleaved runs against hello's."""

    page: list
    hello: list

    @property
    def rps(self):
        return sum(r.requests for r in self.page) / sum(r.seconds for r in self.page)

    @property
    def hello_rps(self):
        return sum(r.requests for r in self.hello) / sum(r.seconds for r in self.hello)

    @property
    def ratio(self):
        # Each round's page against the hello run just before it: the machine is shared, so
        # a ratio of neighbours says more than a ratio of averages.
        return statistics.median(p.rps / h.rps for p, h in zip(self.page, self.hello, strict=True))

    @property
    def p50_ms(self):
        return statistics.median(r.p50_ms for r in self.page)

    @property
    def p99_ms(self):
        return max(r.p99_ms for r in self.page)

    @property
    def errors(self):
        return sum(r.errors for r in self.page)


def wrk(url, seconds, headers=(), script=BENCH / "report.lua", connections=8, env=None):
    # wrk gives up on a request after 2 s unless told, and leaves it out of the latencies.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    answer = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    line = next(line for line in answer.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        statuses=data.get("statuses", {}),
    )


class Servers:
    """The portal and hello under gunicorn, 2 sync workers each, on two ports."""

    def __init__(self, port, env, workdir):
        self.port, self.hello_port, self.env, self.workdir = port, port + 1, env, workdir
        self.processes = []

    def gunicorn(self, app, port, settings, name):
        command = [PYTHON, "-m", "gunicorn", app, "--workers", str(WORKERS), "--worker-class", "sync"]
        command += ["--bind", f"127.0.0.1:{port}"]
        config = ROOT / "portal" / "gunicorn.conf.py"
        if name == "portal" and config.exists():  # the production config, where it exists; these flags win
            command += ["--config", str(config)]
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, "DJANGO_SETTINGS_MODULE": settings}, stdout=log, stderr=log
        )
        self.processes.append((process, log))
        return process

    def __enter__(self):
        self.portal = self.gunicorn("portal.wsgi:application", self.port, "bench.settings", "portal")
        self.hello = self.gunicorn("django.core.wsgi:get_wsgi_application()", self.hello_port, "bench.hello", "hello")
        for port, process, name in ((self.port, self.portal, "portal"), (self.hello_port, self.hello, "hello")):
            self.wait(port, process, name)
        return self

    def wait(self, port, process, name):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit(f"{name} did not start: see {self.workdir / (name + '.log')}\n" + self.log(name))
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.3)
        sys.exit(f"{name} did not answer on port {port} within a minute\n" + self.log(name))

    def log(self, name):
        return (self.workdir / f"{name}.log").read_text()[-3000:]

    def workers(self, process):
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def __exit__(self, *exc):
        for process, _log in self.processes:
            process.send_signal(signal.SIGTERM)
        for process, log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def pss_mb(pid):
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", text, re.M).group(1)) / 1024


def build(args, env, workdir):
    """Migrate and seed the demo: the seconds seeding took (None for a given database)."""
    # Built with this process's own cache: nothing the build caches can reach the servers.
    seed_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_seed", "REDIS_URL": ""}
    manage = [PYTHON, "manage.py"]
    if args.database_url:  # built already
        return None
    say("migrating")
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=seed_env, check=True)
    started = time.monotonic()
    say("building the demo" + (f" with {args.areas} areas" if args.areas else ""))
    seed = [*manage, "seed_demo", "--port", str(args.port)]
    if args.areas:
        seed += ["--areas", str(args.areas)]
    subprocess.run(seed, cwd=ROOT, env=seed_env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def collectstatic(env):
    say("collecting static files")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        check=True,
    )


def database(args, workdir):
    """The DATABASE_URL to build on, and how to drop it afterwards."""
    if args.database_url:
        return args.database_url, lambda: None
    if args.database == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    name = args.database_name or f"bench_{os.getpid()}"
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["createdb", *pg, name], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}", lambda: subprocess.run(
        ["dropdb", *pg, "--if-exists", "--force", name], check=False
    )


def flush_redis(url, prefix):
    """Empty this run's part of the cache (bench/settings.py: a prefix per port, so two runs at
    once on different ports keep apart)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class Portal:
    """The portal in this process, with the servers' settings: finds the pages' addresses,
    counts their queries, signs a resident in and prepares the booking clients."""

    def __init__(self, port):
        import django

        django.setup()
        from django.test import Client

        self.host = f"localhost:{port}"
        self.client = Client(HTTP_HOST=self.host)

    def urls(self, names):
        from activities.models import ActivityIndexPage, ActivityPage
        from booking.models import Room
        from home.models import NoticeIndexPage, NoticePage
        from portal.models import Area
        from services.models import ServiceGuidePage, ServiceIndexPage
        from staff.models import StaffSchedulePage

        area = Area.objects.get(site__is_default_site=True)
        root = area.site.root_page

        def path(model, **filters):
            page = model.objects.live().descendant_of(root).filter(**filters).order_by("path").first()
            return page.get_url_parts()[2]

        activities = path(ActivityIndexPage)
        room = Room.objects.filter(area=area).order_by("sort_order").first()
        day = next_weekday()
        guide = ServiceGuidePage.objects.live().filter(locale__language_code="zh-hans").order_by("path").first()
        self.room = room
        wanted = {
            "home": lambda: "/",
            "activity": lambda: path(ActivityPage),
            "month": lambda: f"{activities}month/",
            "guide": lambda: f"/guide/{guide.slug}/",
            "search": lambda: SEARCH,
            "room": lambda: f"/rooms/{room.slug}/",
            "notice": lambda: path(NoticePage),
            "activities": lambda: activities,
            "staff": lambda: path(StaffSchedulePage),
            "notices": lambda: path(NoticeIndexPage),
            "services": lambda: path(ServiceIndexPage),
            "rooms": lambda: "/rooms/",
            "room-day": lambda: f"/rooms/{room.slug}/{day.isoformat()}/",
            "suggestions": lambda: "/suggestions/",
            "availability": lambda: f"/api/v1/rooms/{room.pk}/availability?date={day.isoformat()}",
        }
        urls = {}
        for name in names:
            url = wanted[name]()
            if name != "availability":
                # The address a visitor ends up on: wrk measures that page, not a redirect.
                answer = self.client.get(url, follow=True)
                if answer.status_code != 200:
                    sys.exit(f"{name}: {url} answers {answer.status_code}")
                if answer.redirect_chain:
                    url = answer.redirect_chain[-1][0]
            urls[name] = url
        return urls

    def resident(self):
        from portal.models import User

        return User.objects.get(phone="+8613900000001")

    def session_cookie(self):
        """A signed-in resident's session, made as signing in makes it."""
        from django.conf import settings
        from django.test import Client

        client = Client(HTTP_HOST=self.host)
        client.force_login(self.resident(), backend=settings.AUTHENTICATION_BACKENDS[0])
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def token(self, user=None):
        from portal.models import ApiToken

        return ApiToken.objects.issue(user or self.resident(), client="bench")[1]

    def queries(self, url, headers):
        """SQL queries of one request: the first (cold caches) and the next (warm)."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(HTTP_HOST=self.host, headers=headers)
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                answer = client.get(url)
            if answer.status_code != 200:
                sys.exit(f"{url} answers {answer.status_code} in-process")
            counts.append(len(captured))
        return counts

    def booking_requests(self, path, residents=200, days=13):
        """`residents` confirmed residents of the first area with API tokens, and a file of
        booking requests: each free-looking slot of its bookable rooms on the next `days` days,
        asked for by two residents (one of them must be refused)."""
        from django.utils import timezone

        from booking.models import Room
        from portal.models import User

        model = self.resident()
        users = []
        for number in range(1, residents + 1):
            user, _created = User.objects.get_or_create(
                phone=f"+861380000{number:04d}",
                defaults={
                    "username": f"bench-{number:04d}",
                    "password": model.password,
                    "last_name": "测",
                    "first_name": f"试{number}",
                    "area": model.area,
                    "phone_verified": True,
                    "building": model.building,
                    "room_number": model.room_number,
                    "residency_verified_at": model.residency_verified_at,
                    "privacy_consent_version": model.privacy_consent_version,
                    "privacy_consent_at": model.privacy_consent_at,
                },
            )
            users.append(user)
        tokens = [self.token(user) for user in users]
        rooms = list(Room.objects.filter(area=model.area, needs_approval=False).order_by("sort_order"))
        today = timezone.localdate()
        lines, n = [], 0
        for day in range(1, days + 1):
            date = today + dt.timedelta(days=day)
            for minutes in range(9 * 60, 20 * 60, 30):
                for room in rooms:
                    start = dt.datetime.combine(date, dt.time(minutes // 60, minutes % 60))
                    body = {
                        "room": room.pk,
                        "start": start.isoformat(),
                        "end": (start + dt.timedelta(minutes=60)).isoformat(),
                        "purpose": "bench",
                    }
                    for _twice in range(2):
                        lines.append(f"{tokens[n % len(tokens)]}\tbench-{n}\t{json.dumps(body)}")
                        n += 1
        Path(path).write_text("\n".join(lines) + "\n")
        return len(lines)

    def double_bookings(self):
        """Pairs of rows holding the same room's time at once (there must be none)."""
        from django.db.models import Exists, OuterRef

        from booking.models import Reservation

        holding = Reservation.objects.holding()
        clash = holding.filter(
            room=OuterRef("room"),
            pk__gt=OuterRef("pk"),
            held_start__lt=OuterRef("held_end"),
            held_end__gt=OuterRef("held_start"),
        )
        return holding.filter(Exists(clash)).count()

    def bench_bookings(self):
        from booking.models import Reservation

        return Reservation.objects.filter(purpose="bench").holding().count()


def next_weekday():
    day = dt.date.today() + dt.timedelta(days=1)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


def measure(url, hello_url, rounds, seconds, headers=()):
    page_runs, hello_runs = [], []
    for _ in range(rounds):
        hello_runs.append(wrk(hello_url, seconds))
        page_runs.append(wrk(url, seconds, headers))
    return Figures(page_runs, hello_runs)


def page_weight(base, urls, workdir):
    """Bytes each page and all it loads take over the wire at phone size, and any host other
    than this server it asks for. Static files and media the application does not serve are
    served from the bench's folders, as nginx would in front of it (counted the same way)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    ours = {urllib.parse.urlsplit(base).hostname, "127.0.0.1"}
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        for name, path in urls.items():
            context = browser.new_context(
                viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
            )
            page = context.new_page()
            seen, foreign, from_disk = [], set(), []

            def files(route, request, from_disk=from_disk):
                answer = route.fetch()
                if answer.status != 404:
                    return route.fulfill(response=answer)
                local = local_file(urllib.parse.urlsplit(route.request.url).path, workdir)
                if local is None:
                    return route.fulfill(response=answer)
                from_disk.append(route.request.url)
                return route.fulfill(path=local)

            page.route(re.compile(r".*/(static|media)/.*"), files)
            page.on("request", lambda request, seen=seen: seen.append(request))
            try:
                page.goto(base + path, wait_until="networkidle")
            except Exception as error:  # noqa: BLE001 (reported in the table, and a failed target)
                results[name] = {"bytes": 0, "requests": len(seen), "foreign": [], "from_disk": 0, "error": str(error)}
                context.close()
                continue
            total = 0
            for request in seen:
                host = urllib.parse.urlsplit(request.url).hostname
                if request.url.startswith(("data:", "blob:")):
                    continue
                if host not in ours:
                    foreign.add(host)
                    continue
                response = request.response()
                if response is None:
                    continue
                sizes = request.sizes()
                body = sizes["responseBodySize"]
                if body <= 0:  # fulfilled from disk: Chromium does not count those bytes
                    try:
                        body = len(response.body())
                    except Exception:  # noqa: BLE001 (a redirect has no body)
                        body = 0
                total += body + sizes["responseHeadersSize"]
            results[name] = {
                "bytes": total,
                "requests": len(seen),
                "foreign": sorted(foreign),
                "from_disk": len(from_disk),
            }
            context.close()
        browser.close()
    return results


def local_file(path, workdir):
    for prefix, folder in (("/static/", workdir / "static"), ("/media/", workdir / "media")):
        if path.startswith(prefix):
            local = folder / urllib.parse.unquote(path[len(prefix) :])
            if local.is_file():
                return str(local)
    return None


def mark(ok):
    return "pass" if ok else "**FAIL**"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test of the bench itself")
    parser.add_argument("--areas", type=int, default=0, help="build a subdistrict of N areas (seed_demo --areas)")
    parser.add_argument("--pages", default="", help="comma-separated: " + ",".join(PAGES))
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default="", help="an existing, migrated and seeded database")
    parser.add_argument(
        "--database-name", default="", help="with --database postgres: the new database's name (bench_<pid>)"
    )
    parser.add_argument(
        "--redis-url", default=SERVER_ENV["REDIS_URL"], help="the Redis database the servers use (db 4)"
    )
    parser.add_argument(
        "--workdir", default="", help="with --database-url: the folder whose media/ it was seeded with (kept)"
    )
    parser.add_argument("--port", type=int, default=8140, help="the portal's port; hello gets the next")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds per page (3; quick 1)")
    parser.add_argument("--seconds", type=int, default=None, help="seconds per wrk run (10; quick 3)")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: signed-in,booking,weight")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = args.seconds or (3 if args.quick else 10)
    names = [n.strip() for n in args.pages.split(",") if n.strip()] or list(PAGES)
    unknown = set(names) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="portal-bench-"))
    url, drop = database(args, workdir)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")},
        **SERVER_ENV,
        "WAGTAILADMIN_BASE_URL": f"http://localhost:{args.port}",
        "DATABASE_URL": url,
        "BENCH_DIR": str(workdir),
        "BENCH_CACHE_PREFIX": f"bench-{args.port}",
        "REDIS_URL": args.redis_url,
        "PYTHONPATH": str(ROOT),
    }
    try:
        flush_redis(env["REDIS_URL"], env["BENCH_CACHE_PREFIX"])
        built = build(args, env, workdir)
        collectstatic(env)
        os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "bench.settings"})
        sys.path.insert(0, str(ROOT))
        portal = Portal(args.port)
        urls = portal.urls(names)
        token = portal.token()
        base, hello = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}/"
        host = [f"Host: localhost:{args.port}"]
        api_headers = {"Authorization": f"Bearer {token}"}
        report = {"built_s": built, "urls": urls, "database": url.split(":")[0], "areas": args.areas}
        with Servers(args.port, env, workdir) as servers:
            report["anonymous"] = {}
            for name in names:
                if name == "availability":
                    continue  # the API answers residents only: measured with them below
                queries = portal.queries(urls[name], {})
                say(f"anonymous {name}: {urls[name]}")
                figures = measure(base + urls[name], hello, rounds, seconds, host)
                report["anonymous"][name] = (figures, queries)
            if "signed-in" not in skip:
                cookie = portal.session_cookie()
                report["signed_in"] = {}
                for name in names:
                    # The API has no session: a resident signs in to it with a bearer token.
                    sent = api_headers if name == "availability" else {"Cookie": cookie}
                    queries = portal.queries(urls[name], sent)
                    say(f"signed-in {name}")
                    figures = measure(
                        base + urls[name], hello, rounds, seconds, [*host, *(f"{k}: {v}" for k, v in sent.items())]
                    )
                    report["signed_in"][name] = (figures, queries)
            # After a warm-up that took in search (and every page measured).
            if "search" not in names:
                wrk(base + SEARCH, seconds, host)
            report["pss"] = [pss_mb(pid) for pid in servers.workers(servers.portal)]
            report["hello_pss"] = [pss_mb(pid) for pid in servers.workers(servers.hello)]
            if "booking" not in skip:
                say("booking POSTs from 8 clients")
                requests_file = workdir / "bookings.tsv"
                report["booking_requests"] = portal.booking_requests(requests_file)
                run = wrk(
                    base + "/api/v1/reservations",
                    max(seconds, 5),
                    host,
                    script=BENCH / "book.lua",
                    env={"BENCH_BOOKINGS": str(requests_file), "BENCH_THREADS": "2"},
                )
                report["booking"] = run
                report["double_bookings"] = portal.double_bookings()
                report["booked"] = portal.bench_bookings()
            if "weight" not in skip:
                say("page weight at phone size")
                public = {n: u for n, u in urls.items() if n != "availability"}
                # Chromium on this machine does not reach localhost: the address, and the default site.
                report["weight"] = page_weight(base, public, workdir)
        print(render(report, rounds, seconds))
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        drop()
        flush_redis(env["REDIS_URL"], env["BENCH_CACHE_PREFIX"])
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def render(report, rounds, seconds):
    lines = []
    add = lines.append
    data = f"the demo ({report['areas']} areas)" if report["areas"] else "the demo"
    add(f"## Bench: {data} on {report['database']}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    add("")
    add(
        f"gunicorn, {WORKERS} sync workers each; `wrk -t2 -c8`, {rounds} interleaved round(s) of "
        f"{seconds} s hello then {seconds} s page. Ratio: median over rounds of page ÷ the hello run just before."
    )
    if report["built_s"] is not None:
        areas = f" --areas {report['areas']}" if report["areas"] else ""
        add(f"`seed_demo{areas}` took {report['built_s']:.0f} s (machine shared).")
    verdicts = []
    for key, title, target in (
        ("anonymous", "Anonymous visitor", ANONYMOUS_RATIO),
        ("signed_in", "Signed-in resident", SIGNED_IN_RATIO),
    ):
        if key not in report:
            continue
        add("")
        add(f"### {title} (target ≥ {target}× hello, ≤ {MAX_QUERIES} SQL queries)")
        add("")
        add("| page | req/s | hello req/s | × hello | p50 ms | p99 ms | SQL (warm / first) | errors |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, (figures, queries) in report[key].items():
            add(
                f"| {PAGES[name]} | {figures.rps:.0f} | {figures.hello_rps:.0f} | {figures.ratio:.3f} | "
                f"{figures.p50_ms:.1f} | {figures.p99_ms:.1f} | {queries[1]} / {queries[0]} | {figures.errors} |"
            )
        slow = [n for n, (f, q) in report[key].items() if f.ratio < target]
        heavy = [n for n, (f, q) in report[key].items() if q[1] > MAX_QUERIES]
        verdicts.append((f"{title}: every page ≥ {target}× hello", not slow, ", ".join(slow) or "all"))
        verdicts.append((f"{title}: ≤ {MAX_QUERIES} SQL queries per page", not heavy, ", ".join(heavy) or "all"))
    add("")
    pss = report["pss"]
    add(
        f"Memory per portal worker (PSS, after the runs above, search included): "
        f"{', '.join(f'{m:.0f} MB' for m in pss)}; hello's: {', '.join(f'{m:.0f} MB' for m in report['hello_pss'])}."
    )
    verdicts.append((f"memory per worker ≤ {MAX_PSS_MB} MB", max(pss) <= MAX_PSS_MB, f"{max(pss):.0f} MB"))
    if "booking" in report:
        run = report["booking"]
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(run.statuses.items()))
        add("")
        add(
            f"Booking POSTs, 8 clients, {run.seconds:.0f} s ({report['booking_requests']} prepared requests, each "
            f"slot asked for twice{', sent again once all were sent' if run.requests > report['booking_requests'] else ''}): "
            f"{run.rps:.0f} req/s, p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms; "
            f"answers {statuses}; {report['booked']} bookings made; double bookings: {report['double_bookings']}."
        )
        on_pg = report["database"].startswith("postgres")
        verdicts.append(
            (
                f"booking POST p99 < {BOOKING_P99_MS} ms (target on PostgreSQL)",
                run.p99_ms < BOOKING_P99_MS if on_pg else None,
                f"{run.p99_ms:.0f} ms" + ("" if on_pg else " on SQLite: run with --database postgres"),
            )
        )
        verdicts.append(("zero double bookings", report["double_bookings"] == 0, str(report["double_bookings"])))
    if "weight" in report:
        add("")
        add(f"### Page weight at phone size ({PHONE['width']}×{PHONE['height']}, the page and all it loads)")
        add("")
        add("| page | KB | requests | other hosts |")
        add("| --- | ---: | ---: | --- |")
        for name, w in report["weight"].items():
            size = "did not load" if "error" in w else f"{w['bytes'] / 1024:.0f}"
            add(f"| {PAGES[name]} | {size} | {w['requests']} | {', '.join(w['foreign']) or 'none'} |")
        served = sum(w["from_disk"] for w in report["weight"].values())
        if served:
            add("")
            add(f"({served} static or media files the application did not serve were served from disk, as by nginx.)")
        heavy = [n for n, w in report["weight"].items() if w["bytes"] > MAX_PAGE_BYTES or "error" in w]
        foreign = [n for n, w in report["weight"].items() if w["foreign"]]
        verdicts.append(("every public page ≤ 200 KB at phone size", not heavy, ", ".join(heavy) or "all"))
        verdicts.append(("no request to another host", not foreign, ", ".join(foreign) or "none"))
    add("")
    add("### Targets")
    add("")
    add("| target | result | |")
    add("| --- | --- | --- |")
    for target, ok, detail in verdicts:
        add(f"| {target} | {'n/a' if ok is None else mark(ok)} | {detail} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
