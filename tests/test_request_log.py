"""A request id on every response and log record of a request; an error logged once, with the
context needed to find it (path, method, user, request id)."""

import json
import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from portal.request_log import OneLineJsonFormatter, RequestContextFilter

log = logging.getLogger("portal.test")


def talks(request):
    log.warning("on the way")
    return HttpResponse("ok")


def breaks(request):
    raise RuntimeError("the room table is on fire")


urlpatterns = [path("talks/", talks), path("breaks/", breaks)]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def caplog(caplog):
    """caplog, its records filtered as production's handler filters them (while the request runs)."""
    caplog.handler.addFilter(RequestContextFilter())
    return caplog


def test_nginxs_request_id_is_kept_and_named_on_every_record(client, db, caplog):
    response = client.get("/talks/", HTTP_X_REQUEST_ID="0f3c9a1e7b2d4c5f8a9b0c1d2e3f4a5b")
    assert response["X-Request-ID"] == "0f3c9a1e7b2d4c5f8a9b0c1d2e3f4a5b"
    [record] = [r for r in caplog.records if r.name == "portal.test"]
    assert record.request_id == "0f3c9a1e7b2d4c5f8a9b0c1d2e3f4a5b"


@pytest.mark.parametrize("given", [None, "", "short", "x" * 200, "two words here", 'id"}\n{"level":"forged'])
def test_a_missing_or_odd_request_id_is_replaced(client, db, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    response = client.get("/talks/", **headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert response["X-Request-ID"] != given


def test_each_request_gets_its_own_id(client, db):
    assert client.get("/talks/")["X-Request-ID"] != client.get("/talks/")["X-Request-ID"]


def test_an_error_is_logged_once_with_its_context(db, resident, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    response = client.post("/breaks/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    [error] = errors
    line = OneLineJsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(error)
    assert "\n" not in line
    record = json.loads(line)
    assert record["logger"] == "django.request" and record["level"] == "ERROR"
    assert (record["method"], record["path"], record["user_id"]) == ("POST", "/breaks/", resident.pk)
    assert record["request_id"] == "req-0123456789" and record["status_code"] == 500
    assert "the room table is on fire" in record["exc_info"]
    assert "request" not in record  # the request object itself stays out of the line
