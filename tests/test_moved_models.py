"""An installation from before models moved between apps keeps their rows and content types
(portal/moved_models.py): a type's id stays, so permissions, pages, revisions and log entries
that point at it follow.

Runs ``manage.py`` on a database file of its own, as an operator upgrading would: today's
schema, migrated back to before a move, given what an old installation had, then migrated
forward again.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

HOLIDAY = "INSERT INTO booking_holiday (date, name, kind) VALUES ('2031-10-01', '国庆节', 'day_off')"
STAFF = (
    "INSERT INTO activities_staffmember (area_id, name, name_en, role, role_en, work_phone, sort_order, active)"
    " SELECT id, '老吴', '', '社工', '', '', 0, true FROM portal_area LIMIT 1"
)
AREA = (
    "INSERT INTO wagtailcore_site (hostname, port, site_name, root_page_id, is_default_site)"
    " VALUES ('old.example', 80, '旧小区', 1, false);"
    "INSERT INTO portal_area (name, slug, subdistrict, site_id) SELECT '旧小区', 'old', '', id FROM wagtailcore_site"
    " WHERE hostname = 'old.example'"
)

SCENARIOS = {
    # new app and its migration before the move: [(old app, model, new app, rows to insert)]
    "holidays to portal": (
        ("portal", "0012_claim_pending"),
        [("booking", "holiday", "portal", [HOLIDAY])],
    ),
    "staff and services out of activities and home": (
        ("staff", "zero"),
        [
            ("activities", "staffmember", "staff", [AREA, STAFF]),
            ("activities", "shift", "staff", []),
            ("activities", "staffschedulepage", "staff", []),
            ("activities", "servicetraining", "services", []),
            ("home", "serviceguidepage", "services", []),
        ],
    ),
}

BEFORE_THE_MOVE = """
import json
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

ids = {{}}
group = Group.objects.create(name="old staff")
for old_app, model, new_app, rows in {moves!r}:
    # migrate ran post_migrate with today's models; an old installation had the old labels. The
    # new label is left without its permissions, as when code of the new version asked for the
    # type before the migrations ran: the move takes the old type's place.
    Permission.objects.filter(content_type__app_label=new_app, content_type__model=model).delete()
    content_type, _ = ContentType.objects.get_or_create(app_label=old_app, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_" + model, defaults={{"name": "Can view"}}
    )
    group.permissions.add(permission)
    with connection.cursor() as cursor:
        for statements in rows:
            for statement in statements.split(";"):
                cursor.execute(statement)
    ids[model] = content_type.pk
print(json.dumps(ids))
"""

AFTER_THE_MOVE = """
import json
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

found = {{}}
for old_app, model, new_app, rows in {moves!r}:
    current = apps.get_model(new_app, model)
    found[model] = {{
        "labels": list(ContentType.objects.filter(model=model).values_list("pk", "app_label")),
        "rows": current.objects.count(),
        "table": current._meta.db_table,
    }}
found["group_can"] = sorted(
    Group.objects.get(name="old staff").permissions.values_list("content_type__app_label", "codename")
)
print(json.dumps(found))
"""


@pytest.fixture
def database_url(tmp_path):
    """A database of its own, on the server the suite runs on: a file beside the test's on
    SQLite, a scratch database on PostgreSQL (dropped afterwards)."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"moves_{uuid.uuid4().hex[:12]}"
    server = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.pop("PORTAL_TEST_NOW", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_moved_models_keep_their_rows_and_content_types(database_url, scenario):
    (app, before), moves = SCENARIOS[scenario]
    database = database_url
    manage(database, "migrate", "--no-input")
    manage(database, "migrate", app, before, "--no-input")
    content_types = last_json(manage(database, "shell", "-c", BEFORE_THE_MOVE.format(moves=moves)))

    manage(database, "migrate", "--no-input")

    after = last_json(manage(database, "shell", "-c", AFTER_THE_MOVE.format(moves=moves)))
    for _old_app, model, new_app, rows in moves:
        assert after[model]["labels"] == [[content_types[model], new_app]], model
        assert after[model]["table"] == f"{new_app}_{model}"
        assert after[model]["rows"] == (1 if rows else 0), model
    assert after["group_can"] == sorted([new_app, f"view_{model}"] for _old, model, new_app, _rows in moves)
