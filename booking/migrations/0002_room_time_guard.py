"""The database guard against double booking, on PostgreSQL only (docs/architecture.md, race-free booking).

Django's ExclusionConstraint cannot be created on SQLite, so it is not in the model's
Meta: it is added here when the database is PostgreSQL, and the migration state is
left alone so the same models serve both databases. On SQLite, IMMEDIATE transactions
serialise writers instead (portal/settings/base.py).
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

HOLDING = ("pending", "confirmed", "completed", "no_show")
GUARD = "booking_reservation_no_overlap"


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import RangeOperators
    from django.db.models import F, Func, Q, Value

    held = Func(F("held_start"), F("held_end"), Value("[)"), function="TSTZRANGE")
    guard = ExclusionConstraint(
        name=GUARD,
        expressions=[(F("room"), RangeOperators.EQUAL), (held, RangeOperators.OVERLAPS)],
        condition=Q(status__in=HOLDING),
    )
    schema_editor.add_constraint(apps.get_model("booking", "Reservation"), guard)


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE booking_reservation DROP CONSTRAINT IF EXISTS {GUARD}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_guard, remove_guard),
    ]
