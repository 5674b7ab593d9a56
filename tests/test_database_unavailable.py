"""While the database cannot be reached (restarting, failing over), readers get a 503 asking
them to try again shortly, in their language, wherever the request failed; an ordinary fault
stays the 500 page (portal/views.py, server_error)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError

from portal.models import ApiToken


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def sessions_fail(monkeypatch):
    """Reading the session (in the middleware, before any view runs) fails with this error."""

    def fail_with(error):
        def load(self):
            raise error

        monkeypatch.setattr(SessionStore, "load", load)

    return fail_with


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_a_page_asks_to_try_again_shortly_when_the_database_is_away(client, xhy, sessions_fail, error):
    sessions_fail(error)
    client.cookies["sessionid"] = "a-session"

    answer = client.get("/")

    assert answer.status_code == 503
    assert answer["Retry-After"] == "5"
    assert "Please try again in a moment" in answer.content.decode() or "请稍后再试" in answer.content.decode()
    assert "Traceback" not in answer.content.decode()


def test_the_page_speaks_the_readers_language(client, xhy, sessions_fail):
    sessions_fail(OperationalError("the database system is starting up"))
    client.cookies["sessionid"] = "a-session"

    answer = client.get("/en/")

    assert answer.status_code == 503
    assert '<html lang="en">' in answer.content.decode()
    assert "Please try again in a moment" in answer.content.decode()


def test_the_api_answers_503_in_its_error_shape(client, resident_token, monkeypatch):
    def for_key(key):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(ApiToken.objects, "for_key", for_key)

    answer = client.get("/api/v1/reservations", headers={"Authorization": f"Bearer {resident_token}"})

    assert answer.status_code == 503
    assert answer.json()["detail"] and answer.json()["errors"] == {}


def test_any_other_fault_is_still_the_500_page(client, xhy, sessions_fail):
    sessions_fail(ValueError("a bug"))
    client.cookies["sessionid"] = "a-session"

    answer = client.get("/")

    assert answer.status_code == 500
    assert "Server error" in answer.content.decode()
