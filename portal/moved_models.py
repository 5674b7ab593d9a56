"""Migration operations for a model that moves from one app to another, keeping its rows.

The new app takes the model over in Django's state only (its table stays), the old app lets
go of it in state only, and the table is then renamed to the new app's name. The model's
content type is relabelled in place, in the same migration, before ``post_migrate`` could
create a second one: its id stays, so pages, revisions, log entries, permissions, the
reference index and search entries that point at it follow. docs/architecture.md tells the
story of the apps these moves came from.
"""

from django.db import migrations


def take_over(from_app, to_app, models):
    """Operations for the new app: the models (``CreateModel`` operations whose ``options`` name
    the old table in ``db_table``) in state, their content types relabelled, then the tables
    renamed to the new app's default names."""

    def relabel(source, target):
        def run(apps, schema_editor):
            ContentType = apps.get_model("contenttypes", "ContentType")
            for operation in models:
                name = operation.name.lower()
                if not ContentType.objects.filter(app_label=target, model=name).exists():
                    ContentType.objects.filter(app_label=source, model=name).update(app_label=target)

        return run

    return [
        migrations.SeparateDatabaseAndState(state_operations=list(models)),
        migrations.RunPython(relabel(from_app, to_app), relabel(to_app, from_app), elidable=False),
        *(migrations.AlterModelTable(name=operation.name, table=None) for operation in models),
    ]


def let_go(*names):
    """Operations for the old app: forget the models in state only (the new app has their tables)."""
    return [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name) for name in names])]
