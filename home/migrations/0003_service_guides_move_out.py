"""The service guide pages now belong to services (services 0001 took their tables)."""

from django.db import migrations

from portal.moved_models import let_go


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_notices_and_service_guides"),
        ("services", "0001_initial"),
        # activities' ServiceTraining points at the guides until it has moved too.
        ("activities", "0005_staff_and_training_move_out"),
    ]

    operations = let_go("ServiceGuidePage", "ServiceIndexPage", "ServiceLibraryPage")
