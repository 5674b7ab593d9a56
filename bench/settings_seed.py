"""The settings the bench builds its demo with: seed_demo refuses production's, so the
development settings, writing media to the folder the server (bench/settings.py) reads."""

import os
from pathlib import Path

from portal.settings.dev import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["BENCH_DIR"]) / "media"
