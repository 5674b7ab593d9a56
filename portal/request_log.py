"""A request id on every response and every log record of a request, and the context an error
needs (path, method, user) on the record that reports it.

nginx sends its own `$request_id` as X-Request-ID (deploy/nginx-portal.conf); a request without a
well-formed one gets a new id here. The id goes back on the response, so a resident's report of a
failed page, nginx's log, gunicorn's access log and our log lines all name the same request.
"""

import contextvars
import logging
import re
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# What nginx's $request_id looks like (32 hex digits), and what other proxies send (UUIDs); anything
# else a client sends could forge or garble log lines, so it is replaced.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,128}")

request_id = contextvars.ContextVar("request_id", default=None)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    """Adds request_id to every record, and path, method and user_id to the records that carry
    the request (Django's `django.request` errors do, as `record.request`)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id.get()
        if request is not None and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
            user = getattr(request, "user", None)
            # request.user is lazy: reading it after a database error must not fail the log line.
            try:
                record.user_id = user.pk if user is not None and user.is_authenticated else None
            except Exception:  # noqa: BLE001
                record.user_id = None
        return True


class OneLineJsonFormatter(JsonFormatter):
    """One JSON object a line, the traceback inside it; the request object itself left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "color_message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"})
        kwargs.setdefault("json_ensure_ascii", False)
        kwargs.setdefault("json_default", str)
        super().__init__(*args, **kwargs)
