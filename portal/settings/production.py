import logging
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
except KeyError:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs a long random secret in the SECRET_KEY environment variable."
    ) from None

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the areas' host names, comma-separated, "
        "e.g. ALLOWED_HOSTS=xuhuiyuan.example.cn,.example.cn"
    )


def flag(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes")


# Links in the admin's notifications and previews; there is no sensible guess in production.
try:
    WAGTAILADMIN_BASE_URL = os.environ["WAGTAILADMIN_BASE_URL"]
except KeyError:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL is not set. Give the admin's address, e.g. https://xuhuiyuan.example.cn"
    ) from None

SECURE_SSL_REDIRECT = flag("SECURE_SSL_REDIRECT", "true")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browsers that have seen the site once refuse plain HTTP for this long. Start low (3600) while
# trying HTTPS out; 0 switches it off.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = flag("SECURE_HSTS_PRELOAD", "false")
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list binds every subdomain for years: the operator's
    # decision (README, "Security"), not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind nginx, the client's address is the one it adds to X-Forwarded-For; the sign-in rate
# limits count per client address, so they must not see every resident as the proxy.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
# Residents reach the site over HTTPS even where TLS ends before the application.
SESSION_COOKIE_SECURE = flag("SECURE_COOKIES", "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# ".example.cn" in ALLOWED_HOSTS means every subdomain; CSRF spells that "*.example.cn".
CSRF_TRUSTED_ORIGINS = [f"https://*{h}" if h.startswith(".") else f"https://{h}" for h in ALLOWED_HOSTS if h != "*"]

# The cache holds what every process must share: sign-in codes (stored by one worker, checked by
# another), sessions (cached_db) and rate limits. A per-process cache breaks all three as soon as
# there are two workers, so production needs Redis, or an explicit PORTAL_LOCAL_CACHE=1 for a
# server with one single process.
if not os.environ.get("REDIS_URL"):
    if not flag("PORTAL_LOCAL_CACHE", "false"):
        raise ImproperlyConfigured(
            "REDIS_URL is not set. Production keeps sign-in codes, sessions and rate limits in a cache every "
            "process shares: set REDIS_URL=redis://127.0.0.1:6379/0, or PORTAL_LOCAL_CACHE=1 for a server "
            "running one single process."
        )
    logging.getLogger("portal.settings").warning(
        "PORTAL_LOCAL_CACHE: sign-in codes, sessions and rate limits are kept in this process's memory "
        "(LocMemCache). Run exactly one process (gunicorn --workers 1), or codes fail at random."
    )
else:
    # A Redis that does not answer fails a request within seconds rather than hanging it.
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 2, "socket_timeout": 2}  # noqa: F405

# Sessions in the database, read through the cache: Redis may lose everything without signing anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Static files served by the application itself (whitenoise), compressed, under hashed names that
# may be cached for ever (a new version has new names); nginx may cache them too.
STATIC_ROOT = os.environ.get("STATIC_ROOT", STATIC_ROOT)  # noqa: F405 (collectstatic writes here)
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
if os.environ.get("PRIVATE_MEDIA_ROOT"):
    STORAGES["private"]["OPTIONS"]["location"] = os.environ["PRIVATE_MEDIA_ROOT"]  # noqa: F405
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1  # noqa: F405
MIDDLEWARE.insert(_after_security, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

# Media: files on this server by default. With several app servers, S3-compatible storage the
# subdistrict runs itself (MinIO), through django-storages (docs/deploy.md). Documents are still
# served through Wagtail's view (WAGTAILDOCS_SERVE_METHOD), which checks collection privacy.
if os.environ.get("MEDIA_S3_BUCKET"):

    def s3(bucket, **options):
        return {
            "BACKEND": "portal.s3.ProxiedS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL"),  # e.g. http://10.0.0.5:9000 (MinIO)
                "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY"),
                "secret_key": os.environ.get("MEDIA_S3_SECRET_KEY"),
                "region_name": os.environ.get("MEDIA_S3_REGION", "us-east-1"),
                "file_overwrite": False,
                "default_acl": None,
                **options,
            },
        }

    STORAGES["default"] = s3(os.environ["MEDIA_S3_BUCKET"])  # noqa: F405
    # Residents' photos: a bucket of their own that nginx does not proxy; views hand them out.
    try:
        STORAGES["private"] = s3(os.environ["MEDIA_S3_PRIVATE_BUCKET"])  # noqa: F405
    except KeyError:
        raise ImproperlyConfigured(
            "MEDIA_S3_PRIVATE_BUCKET is not set. With media on S3, residents' photos need a bucket of their "
            "own that is never served (e.g. MEDIA_S3_PRIVATE_BUCKET=portal-private)."
        ) from None

# /healthz fails when the worker has not beaten for this long (seconds); empty: not checked.
HEALTHZ_WORKER_MAX_AGE = int(os.environ.get("HEALTHZ_WORKER_MAX_AGE", "300") or 0) or None

# One JSON object a line on stderr (systemd's journal keeps it): every record names its request;
# errors carry path, method and user, once (Django's django.request logger; gunicorn logs none).
LOGGING["formatters"]["json"] = {  # noqa: F405
    "()": "portal.request_log.OneLineJsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
}
LOGGING["handlers"]["stderr"]["formatter"] = "json"  # noqa: F405
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
# 4xx answers are in the access log; only server errors are worth a record of their own.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # noqa: F405

DEMO_DATA_ALLOWED = False
