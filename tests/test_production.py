"""The production settings, as an operator meets them: what they refuse to start without, and
what they choose (a shared cache, sessions, static files, media, log lines)."""

import json

from tests.conftest import django_says, run_project
from tests.test_headers import PRODUCTION

SETTINGS = {"settings_module": "portal.settings.production", **PRODUCTION}
WITHOUT_REDIS = {k: v for k, v in SETTINGS.items() if k != "REDIS_URL"}


def test_production_refuses_to_start_without_a_shared_cache():
    said = django_says("settings.CACHES", **WITHOUT_REDIS)
    assert "ImproperlyConfigured: REDIS_URL is not set" in said
    assert "sign-in codes, sessions and rate limits" in said


def test_a_one_process_server_may_keep_the_cache_in_memory_and_is_told_so():
    result = run_project(
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        PORTAL_LOCAL_CACHE="1",
        **WITHOUT_REDIS,
    )
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    assert "PORTAL_LOCAL_CACHE" in result.stderr and "exactly one process" in result.stderr


def test_production_shares_sessions_and_serves_hashed_static_files():
    said = django_says(
        "[settings.SESSION_ENGINE, settings.STORAGES['staticfiles']['BACKEND'], settings.MIDDLEWARE[:5], "
        "settings.CACHES['default']['BACKEND'], settings.HEALTHZ_WORKER_MAX_AGE, settings.STORAGES['default']]",
        **SETTINGS,
    )
    assert "'django.contrib.sessions.backends.cached_db'" in said
    assert "'whitenoise.storage.CompressedManifestStaticFilesStorage'" in said
    # whitenoise right after SecurityMiddleware, ahead of sessions and everything else.
    assert "'django.middleware.security.SecurityMiddleware', 'whitenoise.middleware.WhiteNoiseMiddleware'" in said
    assert "RedisCache" in said and ", 300," in said
    assert "FileSystemStorage" in said  # media on this server unless S3 is configured


def production_storages(**env):
    """STORAGES as the production settings module sets them (django-storages is optional, so
    Django itself is not set up)."""
    result = run_project("-c", "from portal.settings import production; print(production.STORAGES)", **env)
    return result.stdout + result.stderr


def test_media_go_to_s3_when_configured_and_residents_photos_to_a_bucket_of_their_own():
    s3 = {"MEDIA_S3_BUCKET": "portal-media", "MEDIA_S3_ENDPOINT_URL": "http://10.0.0.5:9000", **SETTINGS}
    assert "MEDIA_S3_PRIVATE_BUCKET is not set" in production_storages(**s3)
    said = production_storages(MEDIA_S3_PRIVATE_BUCKET="portal-private", **s3)
    assert said.count("portal.s3.ProxiedS3Storage") == 2
    assert "'bucket_name': 'portal-media'" in said and "'bucket_name': 'portal-private'" in said


def test_production_writes_one_json_object_a_line_naming_the_request():
    code = (
        "import django, logging; django.setup(); from portal import request_log; "
        "request_log.request_id.set('nginx-0123456789abcdef'); "
        "log = logging.getLogger('portal.test')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('它坏了')"
    )
    result = run_project("-c", code, **SETTINGS)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # the traceback is inside the one line
    record = json.loads(lines[0])
    assert record["level"] == "ERROR" and record["logger"] == "portal.test"
    assert record["message"] == "它坏了" and record["request_id"] == "nginx-0123456789abcdef"
    assert "ZeroDivisionError" in record["exc_info"]
