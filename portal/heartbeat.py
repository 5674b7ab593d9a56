"""The background worker's heartbeat: the worker beats while it runs, /healthz reads it.

Kept in the shared cache (Redis in production), which every app server and the worker reach.
"""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

KEY = "portal:worker-heartbeat"


def beat(now=None):
    """Say the worker is alive at `now` (default: the current time)."""
    cache.set(KEY, (now or timezone.now()).isoformat(), timeout=None)


def last_beat():
    """When the worker last said it was alive, or None if it never has (or the cache forgot)."""
    value = cache.get(KEY)
    return dt.datetime.fromisoformat(value) if value else None
