from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-residents-portal"
# *.localhost resolves to this machine in browsers, so each demo area gets a host name.
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEMO_DATA_ALLOWED = True
# Messages are sent at once, in the process that made them: `make run` needs no worker.
TASKS = {name: {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"} for name in ("default", "portal")}
