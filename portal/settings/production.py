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

# Hashed file names, so a browser never keeps a stale stylesheet after an upgrade.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
DEMO_DATA_ALLOWED = False
