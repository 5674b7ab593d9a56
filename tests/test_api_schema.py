"""The API says what it does: schemathesis runs every operation of /api/v1/ (but logout, which would
end the run's own sign-in) through its examples, coverage and fuzzing phases, in process over
WSGI, signed in as a resident of the demo, and checks every answer against the published schema
(status codes, content types, shapes, no 5xx, invalid input refused, valid input accepted).

Bounded and repeatable: at most 40 fuzzed cases per operation (the examples and coverage phases
run their fixed cases), Hypothesis derandomized, no example database.
"""

import typing

import pydantic
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from portal.api import api
from portal.models import ApiToken

RESIDENT_KEY = "schemathesis-resident-token"

CONFIG = schemathesis.Config.from_dict(
    {
        # The security scheme django-ninja names after the HttpBearer subclass. Given this way, the
        # token is left off the cases that test a missing Authorization header (they expect 401).
        "auth": {"openapi": {"ResidentTokenAuth": {"bearer": RESIDENT_KEY}}},
        "generation": {"max-examples": 40, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            # A schema-valid value can still break a rule (a room of another area, an end before
            # the start, a slot taken): those refusals are right answers. A valid token is sent and
            # the rate limits are off, so 401 and 429 would be failures.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409"]},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG).exclude(
    method="POST", path="/api/v1/auth/logout"
)


@pytest.fixture
def keep_connection():
    """Django's WSGI handler closes the database connection after each request, and with it the
    test's transaction; django.test.Client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def resident_key(resident, keep_connection, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # else most cases would meet a 429 before the view
    ApiToken.objects.create(
        user=resident, key_hash=ApiToken.hash(RESIDENT_KEY), expires_at=timezone.now() + ApiToken.LIFETIME
    )


@pytest.mark.walk
@pytest.mark.timeout(600)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_answers_as_its_schema_says(case, resident_key):
    case.call_and_validate()


def schemas_of(model, found, wrapper=False):
    """Every pydantic model reachable from `model` through its fields (a `wrapper` is ninja's own
    grouping of an operation's parameters or response, not a schema of its own)."""
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)) or model in found:
        return
    if not wrapper:
        found.add(model)
    for field in model.model_fields.values():
        for part in [field.annotation, *typing.get_args(field.annotation)]:
            for inner in [part, *typing.get_args(part)]:
                schemas_of(inner, found)


def test_every_schema_has_a_name_of_its_own():
    """OpenAPI components are found by name: two schemas of one name document one of them twice."""
    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    schemas_of(model, found, wrapper=True)
    names = [model.__name__ for model in found]
    assert sorted({name for name in names if names.count(name) > 1}) == []
    assert len(found) > 10


def test_each_booking_is_documented_with_its_own_room_shape(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    room = schemas["ReservationOut"]["properties"]["room"]["$ref"].rsplit("/", 1)[1]
    assert set(schemas[room]["properties"]) == {"id", "name", "name_en"}
    hours = schemas["OpeningHoursOut"]["properties"]["opens"]
    assert hours.get("format") != "time" and hours["pattern"]
