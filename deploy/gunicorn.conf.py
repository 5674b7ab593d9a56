"""gunicorn's settings for the portal, from the environment (docs/deploy.md):

    gunicorn -c deploy/gunicorn.conf.py portal.wsgi

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2), GUNICORN_TIMEOUT (30 s).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Sync workers: each request has a process to itself, as the booking transactions assume. Two
# per core is plenty on a small server; each holds one database connection.
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
# A worker is replaced after this many requests (jittered, so not all at once): memory stays flat.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Django, Wagtail and the Chinese word lists are loaded once, before forking, and shared.
preload_app = True

# The application's own log lines go to stderr as JSON (portal/settings/production.py); gunicorn's
# access log names the request id the application answered with, as nginx's does.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# Behind nginx on the same machine or network: its X-Forwarded-Proto is believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def pre_fork(server, worker):
    """Whatever loading the application opened (a database connection) is closed in the master
    before forking, so no two workers share a socket and each opens its own. (Closing in each
    worker instead would end the one session they all share.) Redis needs nothing: redis-py
    opens new connections in a process whose id has changed."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
