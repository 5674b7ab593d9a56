"""The API says what it does: schemathesis runs every operation of /api/v1/ (but logout, which would
end the run's own sign-in) through its examples, coverage and fuzzing phases, in process over
WSGI, signed in as a resident whose area has rooms, bookings and an activity (built here), and
checks every answer against the published schema (status codes, content types, shapes, no 5xx,
invalid input refused, valid input accepted).

Bounded and repeatable: at most 40 fuzzed cases per operation (the examples and coverage phases
run their fixed cases), Hypothesis derandomized, no example database.
"""

import datetime as dt
import io
import typing

import pydantic
import pytest
import schemathesis
from django.core import signals
from django.core.files.images import ImageFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from PIL import Image as Picture
from wagtail.images import get_image_model

from booking import rules
from portal import localtime
from portal.api import api
from portal.models import ApiToken
from tests import schedules
from tests.factories import RoomFactory

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
def area_to_walk(resident, piano, reading, counseling, multi_function, wanliu, make_activity, tuesday):
    """What the resident's area holds, so that answers come with rows to check against the schema:
    its four rooms (the piano room with a photo and equipment), a confirmed booking of the resident
    and one waiting for approval, a room of another area, and an activity meeting weekly in the
    multi-function room."""
    data = io.BytesIO()
    Picture.new("RGB", (960, 640), "#c49668").save(data, "JPEG")
    piano.photo = get_image_model().objects.create(
        title="钢琴活动室", collection=piano.area.collection, file=ImageFile(data, name="piano-room.jpg")
    )
    piano.equipment = "钢琴、镜子、音响"
    piano.save()
    RoomFactory(area=wanliu, slug="reading-room", name="阅览室")
    day = timezone.localdate() + dt.timedelta(days=2)
    while day.weekday() > 4:  # the counseling room opens Monday to Friday
        day += dt.timedelta(days=1)
    for room, start in ((piano, "15:00"), (counseling, "09:00")):
        begins = localtime.at(day, dt.time.fromisoformat(start))
        rules.book(room=room, start=begins, end=begins + dt.timedelta(hours=1), resident=resident)
    make_activity(
        "太极拳",
        "taiji",
        room=multi_function,
        schedules=[schedules.weekly(1, 3, first=tuesday, starts="07:00", ends="08:00", count=4, skip_holidays=False)],
    )


@pytest.fixture
def resident_key(resident, area_to_walk, keep_connection, settings):
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
