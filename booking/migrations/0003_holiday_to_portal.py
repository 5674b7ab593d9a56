"""The holiday calendar now belongs to portal (portal 0013 took its table)."""

from django.db import migrations

from portal.moved_models import let_go


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_room_time_guard"),
        ("portal", "0013_holiday_from_booking"),
    ]

    operations = let_go("Holiday")
