"""The holiday calendar moves from booking to portal (every deadline counts working days)."""

from django.db import migrations, models

from portal.moved_models import take_over


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0012_claim_pending"),
        ("booking", "0002_room_time_guard"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = take_over(
        "booking",
        "portal",
        [
            migrations.CreateModel(
                name="Holiday",
                fields=[
                    (
                        "id",
                        models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                    ),
                    ("date", models.DateField(unique=True, verbose_name="date")),
                    ("name", models.CharField(help_text="For example 国庆节.", max_length=50, verbose_name="name")),
                    (
                        "kind",
                        models.CharField(
                            choices=[("day_off", "public holiday"), ("workday", "make-up working day")],
                            default="day_off",
                            max_length=10,
                            verbose_name="kind",
                        ),
                    ),
                ],
                options={
                    "verbose_name": "public holiday",
                    "verbose_name_plural": "public holidays",
                    "ordering": ["date"],
                },
            ),
        ],
    )
