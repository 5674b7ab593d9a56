"""Migration operations for a model that moves from one app to another, keeping its rows.

The new app takes the model over in Django's state only (its table stays), the old app lets
go of it in state only, and the table is then renamed to the new app's name. The model's
content type is relabelled in place, in the same migration, before ``post_migrate`` could
create a second one: its id stays, so pages, revisions, log entries, permissions, the
reference index and search entries that point at it follow. docs/architecture.md tells the
story of the apps these moves came from.
"""

from django.db import migrations


def take_over(from_app, to_app, operations):
    """Operations for the new app: ``operations`` (what makemigrations wrote for the models:
    ``CreateModel``, ``AddField``, ``AddConstraint``, ``AddIndex``) applied to the state only,
    on the old app's tables (``<from_app>_<model>``, Django's default names); the content types
    relabelled; then the tables renamed to the new app's default names."""
    created = [operation for operation in operations if isinstance(operation, migrations.CreateModel)]
    for operation in created:
        operation.options = {**operation.options, "db_table": f"{from_app}_{operation.name_lower}"}

    def relabel(source, target):
        def run(apps, schema_editor):
            ContentType = apps.get_model("contenttypes", "ContentType")
            for operation in created:
                moving = ContentType.objects.filter(app_label=source, model=operation.name_lower).first()
                if moving is None:
                    continue  # a new database: post_migrate creates the type under its new label
                early = ContentType.objects.filter(app_label=target, model=operation.name_lower).first()
                if early is not None:
                    # Code already running the new version asked for the type before migrating.
                    if _in_use(early):
                        raise RuntimeError(
                            f"Both {source}.{operation.name_lower} and {target}.{operation.name_lower} content "
                            f"types exist and the second is in use: stop the app servers and timers, then "
                            f"migrate (README, upgrading)."
                        )
                    early.delete()
                moving.app_label = target
                moving.save(update_fields=["app_label"])

        return run

    return [
        migrations.SeparateDatabaseAndState(state_operations=list(operations)),
        migrations.RunPython(relabel(from_app, to_app), relabel(to_app, from_app), elidable=False),
        *(migrations.AlterModelTable(name=operation.name, table=None) for operation in created),
    ]


def _in_use(content_type):
    """Whether any row points at a content type (pages, permissions, log entries, ...)."""
    for relation in content_type._meta.related_objects:
        if relation.many_to_one or relation.one_to_one:
            if relation.related_model._default_manager.filter(**{relation.field.name: content_type}).exists():
                return True
    return False


def let_go(*names):
    """Operations for the old app: forget the models in state only (the new app has their
    tables). Name a model before those it points at."""
    return [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name) for name in names])]
