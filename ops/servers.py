"""What the operations scripts share (docs/operations.md): the production environment in one
place, and starting (and always stopping) databases, gunicorn, nginx and a PostgreSQL server of
their own, plus a small HTTP client. Loopback only; every server on a port of OPS_PORTS.

Environment (defaults in brackets):
  OPS_PG_URL     the shared PostgreSQL server the scripts make their databases on [postgres://postgres@127.0.0.1:5432]
  OPS_REDIS_URL  the Redis database the app servers share; flushed at the start [redis://127.0.0.1:6379/7]
  OPS_PORTS      the first of ten ports the scripts may use [8190]
  OPS_PG_PORT    the port of the scripts' own PostgreSQL server (make faults) [55440]
  OPS_GUNICORN_CONFIG  a gunicorn config file (-c) to start the app servers with, if any
"""

import contextlib
import hashlib
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SHARED_PG = os.environ.get("OPS_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("OPS_REDIS_URL", "redis://127.0.0.1:6379/7")
FIRST_PORT = int(os.environ.get("OPS_PORTS", "8190"))
PG_PORT = int(os.environ.get("OPS_PG_PORT", "55440"))
GUNICORN_CONFIG = os.environ.get("OPS_GUNICORN_CONFIG", "")
PG_BIN = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
HOSTS = "localhost,.localhost,127.0.0.1"


class Failed(Exception):
    """A check that did not hold, in words for the operator."""


def summary(what, results, started):
    """Print how many of the checks (name, passed, ...) passed; the exit status: 0 if all did."""
    failed = [name for name, passed, *_ in results if not passed]
    print(
        f"\n{what}: {len(results) - len(failed)} of {len(results)} checks passed in {time.monotonic() - started:.0f} s"
    )
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


def main_of(what, main):
    """Run a script's main() as the command line's: its status, or 1 with the reason it stopped."""
    try:
        sys.exit(main())
    except Failed as failure:
        print(f"\n{what} FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


def production_env(database_url, *, base_url, sms_file, **extra):
    """The environment of an app server with the production settings, on loopback HTTP.
    Everything the scripts give production lives here, so it changes in one place."""
    return {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOSTS,
        "WAGTAILADMIN_BASE_URL": base_url,
        # Plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag, no HSTS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url,
        # Codes land in a file the scripts read, as a resident reads their phone.
        "SMS_SENDER": "portal.sms.FileSender",
        "SMS_FILE_PATH": str(sms_file),
        **extra,
    }


def dev_env(database_url, **extra):
    """The development settings (which allow the demo data) on the same database."""
    return {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url,
        **extra,
    }


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, *, env=None, timeout=180, what=None):
    """Run a command to its end; Failed with its output if it fails."""
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise Failed(f"{what or args[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def manage(*args, env, timeout=180):
    return run([PYTHON, "manage.py", *args], env=env, timeout=timeout, what=f"manage.py {args[0]}")


class Stack(contextlib.ExitStack):
    """Everything a script starts, stopped in reverse order when it ends, whether it passes, fails,
    is interrupted (Ctrl-C, SIGTERM) or runs past its time limit (SIGALRM)."""

    def __init__(self, time_limit):
        super().__init__()
        self.time_limit = time_limit
        self.scratch = Path(tempfile.mkdtemp(prefix="portal-ops-"))
        os.chmod(self.scratch, 0o755)

    def __enter__(self):
        super().__enter__()

        def stop(signum, frame):
            raise Failed(f"stopped by signal {signal.Signals(signum).name}")

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)

        def out_of_time(signum, frame):
            raise Failed(f"ran past its limit of {self.time_limit} s")

        signal.signal(signal.SIGALRM, out_of_time)
        signal.alarm(self.time_limit)
        self.callback(signal.alarm, 0)
        self.callback(shutil.rmtree, self.scratch, ignore_errors=True)
        return self

    def process(self, name, args, *, env=None, log=None):
        """Start a long-running process in its own process group; stopped (TERM, then KILL) at the end."""
        log_file = open(log or self.scratch / f"{name}.log", "ab")
        process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = Path(log_file.name)
        self.callback(log_file.close)
        self.callback(stop_process, process)
        return process

    def database(self, name):
        """A new, empty database on the shared PostgreSQL server, dropped at the end."""
        run(["createdb", "--maintenance-db", SHARED_PG + "/postgres", name], what="createdb")
        self.callback(drop_database, SHARED_PG, name)
        return f"{SHARED_PG}/{name}"


def stop_process(process, grace=10):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def drop_database(server, name):
    subprocess.run(
        ["psql", server + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
        capture_output=True,
        timeout=60,
    )


def sql(database_url, query):
    """The rows of a query, as lists of strings (psql, unaligned)."""
    out = run(["psql", database_url, "-XAt", "-F", "\t", "-c", query], what="psql")
    return [line.split("\t") for line in out.splitlines() if line]


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def load_demo(database_url):
    """Migrate a new database and load the demo areas into it (development settings: production
    refuses the demo data, which is right). Migrating and loading take a minute or more, so the
    result is kept as a backup (manage.py backup) for the day, for as long as the migrations and
    the demo's code stay the same, and restored from it (seconds) on later runs."""
    env = dev_env(database_url)
    key = hashlib.sha256(time.strftime("%Y-%m-%d").encode())
    for path in sorted(
        [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/demo*.py"), *ROOT.glob("*/management/commands/seed_demo.py")]
    ):
        key.update(path.read_bytes())
    cached = ROOT / ".ops-cache" / f"demo-{key.hexdigest()[:16]}.tar"
    if cached.is_file():
        manage("restore", str(cached), env=env)
        return "restored from " + str(cached.relative_to(ROOT))
    manage("migrate", "--no-input", "-v0", env=env, timeout=300)
    manage("seed_demo", env=env, timeout=300)
    for old in cached.parent.glob("demo-*.tar"):
        old.unlink()
    manage("backup", "--output", str(cached), env=env)
    return "migrated and seeded (kept in " + str(cached.relative_to(ROOT)) + ")"


def collect_static(env):
    """The hashed static files production settings name in pages (STATIC_ROOT)."""
    manage("collectstatic", "--no-input", "-v0", env=env)


def gunicorn(stack, name, port, env, *, workers=2, timeout=30):
    config = ["-c", GUNICORN_CONFIG] if GUNICORN_CONFIG else []
    return stack.process(
        name,
        [
            str(BIN / "gunicorn"),
            *config,
            "portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--timeout={timeout}",
            f"--name=portal-{name}",
            "--access-logfile=-",
            "--access-logformat=%(h)s %(m)s %(U)s %(s)s %(b)s %(M)sms",
        ],
        env=env,
    )


def wait_until_serving(base_url, process=None, timeout=60):
    """Wait for a server to answer: /healthz where it exists (200), else the home page."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise Failed(f"{base_url} exited ({process.returncode}); its log:\n{tail(process.log_path)}")
        for path in ("/healthz", "/"):
            try:
                answer = Client(base_url).get(path, timeout=10)
            except OSError as error:
                last = error
                break
            if answer.status == 200:
                return path
            last = f"{path}: {answer.status}"
        time.sleep(0.5)
    raise Failed(f"{base_url} did not start serving within {timeout} s ({last})")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


NGINX_CONF = """\
worker_processes 1;
pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {scratch}/nginx-access.log;
    client_body_temp_path {scratch}/body;
    proxy_temp_path {scratch}/proxy;
    fastcgi_temp_path {scratch}/fastcgi;
    uwsgi_temp_path {scratch}/uwsgi;
    scgi_temp_path {scratch}/scgi;
    types {{ text/css css; application/javascript js; image/svg+xml svg; image/png png; image/jpeg jpg; font/woff2 woff2; }}

    upstream portal {{
{servers}
    }}
    # No page cache here, as in deploy/nginx/portal.conf: the application keeps pages in Redis.

    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; expires 1y; }}
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that is restarting or cannot reach the database: try the other one.
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


def nginx(stack, port, upstream_ports):
    if shutil.which("nginx") is None:
        raise Failed("nginx is not installed (apt install nginx)")
    conf = stack.scratch / "nginx.conf"
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    conf.write_text(NGINX_CONF.format(scratch=stack.scratch, servers=servers, port=port, static=ROOT / "staticfiles"))
    return stack.process("nginx", ["nginx", "-p", str(stack.scratch), "-c", str(conf), "-g", "daemon off;"])


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.text[:200]!r}>"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser of sorts: keeps cookies (a jar that may be shared), follows no redirects,
    answers every status as an Answer. Sends X-Forwarded-For when given an address (the app
    then counts its rate limits per client, as behind nginx)."""

    def __init__(self, base_url, *, jar=None, address=None, token=None):
        self.base_url = base_url.rstrip("/")
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.headers = {"User-Agent": "portal-ops", "Accept-Language": "zh-hans"}
        if address:
            self.headers["X-Forwarded-For"] = address
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects)

    def request(self, method, path, *, form=None, json_body=None, headers=None, timeout=30):
        data = None
        headers = {**self.headers, **(headers or {})}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def form_post(self, path, fields, *, page=None):
        """Post a form the way a browser does: fetch its page for the CSRF token first."""
        self.get(page or path)
        return self.post(path, form={"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **fields})


def sms_code(sms_file, phone, template, *, after=0, timeout=10):
    """The code in the newest text of this template to this number (+86…), as its owner reads it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            for line in reversed(Path(sms_file).read_text(encoding="utf-8").splitlines()[after:]):
                with contextlib.suppress(ValueError):
                    message = json.loads(line)
                    if message["phone"] == phone and message["template"] == template:
                        return message["params"]["code"]
        time.sleep(0.2)
    raise Failed(f"no {template} text reached {phone} within {timeout} s")


def pss_kb(pid):
    """A process's proportional set size (its share of the memory it uses), in kB."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise Failed(f"no Pss for process {pid}")


def workers_of(master_pid):
    """The pids of a gunicorn master's workers."""
    children = set()
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        with contextlib.suppress(OSError):
            children.update(int(pid) for pid in (task / "children").read_text().split())
    return sorted(children)
