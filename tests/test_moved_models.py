"""An installation from before a model moved between apps keeps its rows and its content type
(portal/moved_models.py): the type's id stays, so permissions, pages, revisions and log
entries that point at it follow.

Runs ``manage.py`` on a database file of its own, as an operator upgrading would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (old app, model, new app, the new app's migration before it took the model over)
MOVES = [
    ("booking", "holiday", "portal", "0012_claim_pending"),
]

BEFORE_THE_MOVE = """
import json
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

old_app, model, new_app = {old_app!r}, {model!r}, {new_app!r}
# migrate ran post_migrate with today's models; an old installation had the old label instead.
ContentType.objects.filter(app_label=new_app, model=model).delete()
content_type, _ = ContentType.objects.get_or_create(app_label=old_app, model=model)
permission, _ = Permission.objects.get_or_create(content_type=content_type, codename="view_" + model, defaults={{"name": "Can view"}})
Group.objects.create(name="old staff").permissions.add(permission)
with connection.cursor() as cursor:
    cursor.execute("INSERT INTO booking_holiday (date, name, kind) VALUES ('2031-10-01', '国庆节', 'day_off')")
print(json.dumps(content_type.pk))
"""

AFTER_THE_MOVE = """
import json
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

model = apps.get_model({new_app!r}, {model!r})
print(json.dumps({{
    "labels": list(ContentType.objects.filter(model={model!r}).values_list("pk", "app_label")),
    "rows": model.objects.count(),
    "table": model._meta.db_table,
    "group_can": sorted(Group.objects.get(name="old staff").permissions.values_list(
        "content_type__app_label", "codename")),
}}))
"""


def manage(database, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.pop("PORTAL_TEST_NOW", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("old_app, model, new_app, before", MOVES)
def test_a_moved_model_keeps_its_rows_and_content_type(tmp_path, old_app, model, new_app, before):
    database = tmp_path / "old.sqlite3"
    # Today's schema, then back to where the model still belonged to the old app.
    manage(database, "migrate", "--no-input")
    manage(database, "migrate", new_app, before, "--no-input")
    script = BEFORE_THE_MOVE.format(old_app=old_app, model=model, new_app=new_app)
    content_type = json.loads(manage(database, "shell", "-c", script).strip().splitlines()[-1])

    manage(database, "migrate", "--no-input")

    after = json.loads(
        manage(database, "shell", "-c", AFTER_THE_MOVE.format(model=model, new_app=new_app)).strip().splitlines()[-1]
    )
    assert after["labels"] == [[content_type, new_app]]
    assert after["rows"] == 1
    assert after["table"] == f"{new_app}_{model}"
    assert after["group_can"] == [[new_app, f"view_{model}"]]
