import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"

# A file, not SQLite's shared in-memory database: concurrent writers get
# "database table is locked" there instead of the real locking behaviour.
# One file per test run, so two runs side by side never share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
SMS_SENDER = "portal.sms.MemorySender"  # messages land in portal.sms.outbox (the sms_outbox fixture)
# Messages are sent at once, through the same rows and task as in production; the tests of the
# worker itself switch "portal" to the database backend (tests/test_background.py).
TASKS = {name: {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"} for name in ("default", "portal")}
# Tests ask for the page cache when they test it (tests/test_page_cache.py): others read
# pages again after moving the clock or changing settings.
PAGE_CACHE_SECONDS = 0
