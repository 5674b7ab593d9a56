"""/healthz for load balancers and monitoring: 200 with what was checked, or 503 naming what failed.

Answered by a middleware in front of every other one, so a probe never meets a redirect (HTTPS,
language, trailing slash), a host check (load balancers probe by address, not by host name), a
session or a cache in front: a few queries, nothing more. It tells no more than that the parts
are up; nginx may still keep it to the private network (docs/deploy.md).
"""

import functools
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from portal import heartbeat

PATH = "/healthz"
CACHE_KEY = "portal:healthz"
logger = logging.getLogger(__name__)


@functools.cache
def migrations_on_disk():
    """Every migration the code has, as (app, name): read from disk once per process, since the
    code does not change under a running process (a squash counts as its own name)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_migrations():
    unapplied = migrations_on_disk() - set(MigrationRecorder(connection).applied_migrations())
    if unapplied:
        raise RuntimeError(f"{len(unapplied)} not applied, e.g. {'.'.join(sorted(unapplied)[0])}")
    return "ok"


def check_cache():
    token = timezone.now().isoformat()
    cache.set(CACHE_KEY, token, 30)
    if cache.get(CACHE_KEY) != token:
        raise RuntimeError("what was stored could not be read back")
    return "ok"


def check_worker():
    """The worker's heartbeat: its age in seconds; too old or missing fails only where
    HEALTHZ_WORKER_MAX_AGE says how old it may be."""
    last = heartbeat.last_beat()
    age = None if last is None else round((timezone.now() - last).total_seconds())
    limit = settings.HEALTHZ_WORKER_MAX_AGE
    if limit is not None and (age is None or age > limit):
        raise RuntimeError("no heartbeat" if age is None else f"last heartbeat {age} s ago (at most {limit} s)")
    return {"heartbeat_age": age, "checked": limit is not None}


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "worker": check_worker,
}


def health():
    """({check: result or the reason it failed}, [failed checks])."""
    results, failed = {}, []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failed:
            results[name] = "not checked: no database"
            failed.append(name)
            continue
        if name == "worker" and "cache" in failed:
            results[name] = "not checked: no cache"
            if settings.HEALTHZ_WORKER_MAX_AGE is not None:
                failed.append(name)
            continue
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - whatever fails, the probe answers
            results[name] = f"failed: {error.__class__.__name__}: {error}"
            failed.append(name)
    return results, failed


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        results, failed = health()
        if failed:
            logger.error("Health check failed: %s", ", ".join(failed), extra={"checks": results})
        body = {"status": "fail" if failed else "ok", **({"failed": failed} if failed else {}), **results}
        response = HttpResponse(
            json.dumps(body), status=503 if failed else 200, content_type="application/json; charset=utf-8"
        )
        add_never_cache_headers(response)
        # Logged above with what failed: django.request need not log the 503 again.
        response._has_been_logged = True
        return response
