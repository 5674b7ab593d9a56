"""The bench's server settings: production's, with the collected static files and media in the
bench's own temporary folder (BENCH_DIR), so a run leaves nothing in the checkout."""

import os
from pathlib import Path

from portal.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_DIR"]) / "static"
MEDIA_ROOT = Path(os.environ["BENCH_DIR"]) / "media"
# Two bench runs at once (on different ports) share the Redis database, not its keys.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "portal")  # noqa: F405
