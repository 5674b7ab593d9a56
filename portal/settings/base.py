"""Settings shared by every environment. See dev.py, test.py and production.py."""

import base64
import hashlib
import os
import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# The apps are layers, bottom up (docs/architecture.md): each imports only from those above it here.
# The page every area's site starts from. Pages of the layers below home that live directly
# under it name it through this setting, as models name settings.AUTH_USER_MODEL.
PORTAL_HOME_PAGE = "home.HomePage"

INSTALLED_APPS = [
    "portal",
    "booking",
    "staff",
    "services",
    "activities",
    "outreach",
    "home",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "django.contrib.sitemaps",  # the template of wagtail.contrib.sitemaps' view
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps_users.UsersAppConfig",  # Wagtail's Users admin, with phone and area
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "recurrence",
    "allauth",
    "allauth.account",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves its docs page's own static files (no CDN)
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "portal.request_log.RequestIdMiddleware",  # first: every log line of the request names it
    "portal.health.HealthzMiddleware",  # /healthz before any redirect or host check (portal/health.py)
    "django.middleware.security.SecurityMiddleware",
    # Around everything below, so every page gets its policy, refusals and redirects too.
    "portal.csp.PortalCSPMiddleware",
    # Before the session and the language are looked at: a kept page needs neither (portal/page_cache.py).
    "portal.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.page_cache.KnownSiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.two_factor.AdminTwoFactorMiddleware",  # /admin/ wants the second factor (portal/two_factor.py)
    "portal.middleware.IdsInRangeMiddleware",
    "portal.area_admin.PageBoundaryMiddleware",  # admin URLs naming a page of another area: 403
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.BadRequestMiddleware",
    "portal.middleware.PrivateWhenSignedInMiddleware",
    "portal.middleware.RateLimitedMiddleware",
    "portal.middleware.ResidentDetailsMiddleware",
    "portal.middleware.VaryOnDisplayPreferenceMiddleware",
    # Last, so that only the view and its templates are watched (portal/page_cache.py).
    "portal.page_cache.SignedInPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.display",
                "portal.context_processors.fragments",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "portal.auth_backend.ModelBackend",  # Django's, with permissions kept between requests
    "allauth.account.auth_backends.AuthenticationBackend",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Database: SQLite in the project root unless DATABASE_URL says otherwise.
# Connections are kept for a minute and checked before reuse, so a restarted database server
# costs no request an error once it is back (docs/operations.md).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers
        # are serialised and a check made inside the transaction stays true.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Cache: Redis when REDIS_URL is set, otherwise this process's memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Residents' accounts (django-allauth, docs/architecture.md, phone login). Residents sign in with their mobile number,
# by a code sent by SMS or with an optional password; staff keep signing in to the admin with their
# username (Wagtail's login, Django's ModelBackend). Codes and notices go out through portal.sms.
ACCOUNT_ADAPTER = "portal.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1"]  # plus name, building, room, area, consent: portal.account_forms
ACCOUNT_FORMS = {
    "login": "portal.account_forms.LoginForm",
    "signup": "portal.account_forms.SignupForm",
    "confirm_login_code": "portal.account_forms.ConfirmLoginCodeForm",
    "verify_phone": "portal.account_forms.VerifyPhoneForm",
}
ACCOUNT_USER_DISPLAY = "portal.account_adapter.user_display"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60  # SMS can take a while; the text says "valid for 5 minutes"
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True  # a mistyped number at sign-up can be corrected
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}  # what Chinese SMS codes look like
ACCOUNT_CHANGE_EMAIL = True  # one optional address, for .ics attachments; a new one replaces it once confirmed
ACCOUNT_SESSION_REMEMBER = True  # phones are personal; no "remember me" box to puzzle over
ACCOUNT_SIGNUP_REDIRECT_URL = "account_welcome"
LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL  # pages for signed-in readers only
LOGIN_REDIRECT_URL = "account_my_data"
# Rate limits (kept in the cache, so shared by all processes only with Redis). Text messages cost
# money and can pester a number: at most 3 codes a minute and 10 a day per number.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key,10/d/key",
    "verify_phone": "1/30s/key,3/m/ip",
    "signup": "20/m/ip",
    # Staff signing in to the admin (portal/admin_auth.py): failed attempts only.
    "admin_login_failed": "5/15m/key,20/15m/ip",
    # Guesses at the password of a page shared with one (portal/views.py).
    "page_password": "10/m/ip,50/h/ip",
}
# Proxies in front of the application that append to X-Forwarded-For (portal/network.py):
# 0 without any, 1 behind nginx alone, 2 behind a load balancer and nginx.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Where those proxies connect from (comma-separated networks, such as 10.0.0.0/8); unset, loopback
# and the private ranges. A request from anywhere else is counted by its own address.
TRUSTED_PROXY_NETWORKS = [
    n.strip() for n in os.environ.get("TRUSTED_PROXY_NETWORKS", "").split(",") if n.strip()
] or None
# Texts with codes cost money whoever asks: besides the limits per number above, at most this
# many code texts a day for one address, and this many an hour for the whole site (portal/sms.py).
SMS_CODES_PER_ADDRESS_PER_DAY = int(os.environ.get("SMS_CODES_PER_ADDRESS_PER_DAY", "30"))
SMS_CODES_PER_HOUR = int(os.environ.get("SMS_CODES_PER_HOUR", "600"))
# Text messages: see portal/sms.py. Production points this at a gateway's sender.
SMS_SENDER = os.environ.get("SMS_SENDER", "portal.sms.ConsoleSender")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", BASE_DIR / "sms.jsonl"))  # for portal.sms.FileSender

# Background work (portal/outbox.py, docs/architecture.md "Background work"). Wagtail's own tasks
# (search and reference index, renditions) run at once on "default"; our messages go through the
# "portal" backend, kept in the database for the worker: manage.py db_worker --backend portal.
# dev.py and test.py run it at once too, so `make run` needs no worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "portal": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
MESSAGES_MAX_ATTEMPTS = int(os.environ.get("MESSAGES_MAX_ATTEMPTS", "10"))  # 1+2+4+…+60 minutes: about 5 hours
# Seconds a message may stay "sending" before it is "uncertain": longer than a gateway call can take.
MESSAGES_STALE_AFTER = int(os.environ.get("MESSAGES_STALE_AFTER", "600"))
MESSAGES_KEPT_DAYS = int(os.environ.get("MESSAGES_KEPT_DAYS", "90"))

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Our own catalog, then the zh_Hans strings Wagtail 8 does not ship (kept apart so
# that makemessages on our apps never marks them obsolete).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
# Django's zh_Hans DATE_INPUT_FORMATS contain an invalid directive; ours accept
# 2026-03-05, 2026/3/5 and 2026年3月5日 and show 24-hour times in both languages.
FORMAT_MODULE_PATH = ["portal.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Residents' photos of what they report: never under MEDIA_URL, served only by views that
    # check who asks (outreach/views.py).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BASE_DIR / "private-media", "base_url": "/private-media-is-not-served/"},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Residents' committee portal")
# The domain part of calendar UIDs; keep it once feeds are subscribed to, or apps see new events.
ICAL_UID_DOMAIN = os.environ.get("ICAL_UID_DOMAIN", "juweihui-portal")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Wagtail's database backend with Chinese word segmentation (portal/search, docs/architecture.md, Chinese search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always go through Wagtail's serve view, which enforces collection privacy (an
# area's internal documents); a storage address would let anyone holding it download them.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Nothing leaves the site: no Gravatar lookups for staff avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

LARGE_MODE_COOKIE = "large_mode"

# Content-Security-Policy (django-csp, portal/csp.py). Public pages: nothing inline and nothing
# from another host, and no nonces (anonymous pages are cached whole); scripts are static files.
# The one inline style allowed is the self-contained 500 page's, by its hash.
_ERROR_PAGE_STYLE = re.search(r"<style>(.*?)</style>", (BASE_DIR / "templates" / "500.html").read_text(), re.S)[1]
_ERROR_PAGE_STYLE_HASH = base64.b64encode(hashlib.sha256(_ERROR_PAGE_STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", f"'sha256-{_ERROR_PAGE_STYLE_HASH}'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],  # the admin's preview shows pages in a frame
    }
}
# The Wagtail admin: its widgets use inline scripts and styles, and image uploads preview as blob:.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
    }
}

# /healthz (portal/health.py): how old, in seconds, the background worker's heartbeat may be
# before the site counts as unhealthy; None: reported, not checked.
HEALTHZ_WORKER_MAX_AGE = None

# Logs: every record names its request (portal/request_log.py). Production writes them one JSON
# object a line (production.py); here, plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "portal.request_log.RequestContextFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # Django's own loggers write through the root's handler only, so nothing is written twice.
    "loggers": {"django": {"handlers": [], "level": "INFO"}},
}

# How long a page is kept for anonymous visitors (portal/page_cache.py); 0 turns it off. At most a
# minute: some blocks change with the clock ("on reception duty now").
PAGE_CACHE_SECONDS = 60

# Demo accounts must never reach production: only dev and test settings allow seed_demo.
DEMO_DATA_ALLOWED = False

# Booking: missed bookings within this many days ...
BOOKING_NO_SHOW_WINDOW_DAYS = 90
# ... this many times pause a resident's booking for this many days (staff can lift it).
BOOKING_NO_SHOW_LIMIT = 3
BOOKING_PAUSE_DAYS = 30

# The version of the privacy notice residents agree to at sign-up (recorded with the time).
# Change it whenever templates/portal/privacy_notice.html changes; "My data" then asks residents to read it.
# One zone for everyone (docs/architecture.md, time zones): the admin offers no other.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]

PRIVACY_NOTICE_VERSION = "2026-12"

# How long the residents' committee's own records keep what identifies a resident, in days
# (1096: three years, a leap day included). `manage.py outreach_retention`, run daily, then
# anonymises them (outreach/retention.py); the privacy notice states these periods.
OUTREACH_RETENTION = {
    "visits": 1096,  # a home visit, from the day of the visit
    "reception_cases": 1096,  # a case at the reception desk, from its day
    "suggestions": 1096,  # from the day it was closed (dealt with, not accepted, transferred, merged)
    "record_accesses": 1096,  # the log of who opened, exported or changed a visit or case
    "correction_requests": 1096,  # a resident's request for a correction, from the day it was answered
}

# Two-step verification for the admin (portal/two_factor.py, django-otp's TOTP devices).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.two_factor.AdminLoginForm"
OTP_TOTP_ISSUER = "居委会服务门户"  # the name authenticator apps show; a plain str (a lazy one is ignored)
