import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
except KeyError:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs a long random secret in the "
        "SECRET_KEY environment variable."
    ) from None

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the areas' host names, comma-separated, "
        "e.g. ALLOWED_HOSTS=xuhuiyuan.example.cn,.example.cn"
    )
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() in ("1", "true", "yes")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that proxy, the client's address is the last one it adds to X-Forwarded-For; the sign-in
# rate limits count per client address, so they must not see every resident as the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
# ".example.cn" in ALLOWED_HOSTS means every subdomain; CSRF spells that "*.example.cn".
CSRF_TRUSTED_ORIGINS = [f"https://*{h}" if h.startswith(".") else f"https://{h}" for h in ALLOWED_HOSTS if h != "*"]

# Hashed file names, so a browser never keeps a stale stylesheet after an upgrade.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
DEMO_DATA_ALLOWED = False
