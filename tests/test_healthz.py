"""/healthz, as a load balancer sees it: 200 when the database, cache, migrations and worker are
fine, 503 naming what is not; never a redirect, whatever host or scheme it is asked by."""

import datetime as dt

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from portal import health, heartbeat

# A port of this machine where nothing listens (the helpers' range for this work).
NOTHING_LISTENS = "redis://127.0.0.1:8119/0"


def probe(client, **extra):
    return client.get("/healthz", **extra)


def test_healthy_answers_200_with_what_was_checked(client, db):
    response = probe(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == body["cache"] == body["migrations"] == "ok"
    assert body["worker"] == {"heartbeat_age": None, "checked": False}  # no limit set outside production
    assert "no-store" in response["Cache-Control"]


def test_never_redirects_or_refuses_the_probes_address(client, db, settings):
    # Production: HTTPS only, a list of host names; load balancers probe by address over HTTP.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["xuhuiyuan.example.cn"]
    response = probe(client, HTTP_HOST="10.0.0.7:8000", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # other addresses still refused


def test_cache_down_is_503_naming_the_cache(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOTHING_LISTENS,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    settings.HEALTHZ_WORKER_MAX_AGE = 120
    response = probe(client)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache", "worker"]  # the heartbeat lives in the cache
    assert "ConnectionError" in body["cache"]
    assert body["database"] == "ok"


def test_unapplied_migrations_are_503(client, db, monkeypatch):
    # The code is one migration ahead of the database: a deploy that skipped `migrate`.
    ahead = health.migrations_on_disk() | {("booking", "9999_not_yet_applied")}
    monkeypatch.setattr(health, "migrations_on_disk", lambda: ahead)
    response = probe(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert "booking.9999_not_yet_applied" in response.json()["migrations"]


def test_the_code_and_the_test_database_agree():
    assert ("portal", "0001_initial") in health.migrations_on_disk()


class Unreachable:
    """A database connection whose server does not answer."""

    def cursor(self):
        raise OperationalError("connection refused")


def test_database_down_is_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "connection", Unreachable())
    response = probe(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "migrations"]


@pytest.mark.parametrize(
    ("last_beat", "status", "age"),
    [(None, 503, None), (dt.timedelta(seconds=60), 200, 60), (dt.timedelta(seconds=300), 503, None)],
)
def test_the_workers_heartbeat_counts_where_a_limit_is_set(client, db, settings, last_beat, status, age):
    settings.HEALTHZ_WORKER_MAX_AGE = 120
    if last_beat is not None:
        heartbeat.beat(timezone.now() - last_beat)
    response = probe(client)
    assert response.status_code == status
    body = response.json()
    if status == 200:
        assert body["worker"] == {"heartbeat_age": age, "checked": True}
    else:
        assert body["failed"] == ["worker"]
        assert ("no heartbeat" if last_beat is None else "300 s ago") in body["worker"]


def test_a_failure_is_logged_once(client, db, settings, caplog):
    settings.HEALTHZ_WORKER_MAX_AGE = 120
    probe(client)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.getMessage() for r in errors] == ["Health check failed: worker"]
