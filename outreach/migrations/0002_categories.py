"""The eight categories residents choose from, with the default deadlines in working days:
accepted within 1, answered within 5; facility repairs within 15, which the area lead may
extend once. Staff may change the numbers afterwards; this migration never overwrites them."""

from django.db import migrations

CATEGORIES = [
    # slug, name, English, working days to answer, extendable
    ("environment", "环境卫生", "Environment and cleanliness", 5, False),
    ("parking", "停车", "Parking", 5, False),
    ("safety", "安全", "Safety", 5, False),
    ("repairs", "设施维修", "Facility repairs", 15, True),
    ("neighbours", "邻里关系", "Neighbours", 5, False),
    ("activities", "活动", "Activities", 5, False),
    ("services", "服务", "Services", 5, False),
    ("other", "其他", "Other", 5, False),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("outreach", "SuggestionCategory")
    for order, (slug, name, name_en, answer_days, extendable) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "accept_working_days": 1,
                "answer_working_days": answer_days,
                "extendable": extendable,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_suggestions")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
