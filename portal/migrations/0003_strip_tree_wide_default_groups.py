"""Wagtail creates "Editors" and "Moderators" with rights over the whole page tree and
the root media collection, i.e. over every residents' area. Rights here come per area
(portal.roles), so those tree-wide grants are removed; the groups stay for workflows."""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]


def strip_tree_wide_rights(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission.objects.filter(group__name__in=WAGTAIL_DEFAULT_GROUPS, page__depth=1).delete()
    GroupCollectionPermission.objects.filter(group__name__in=WAGTAIL_DEFAULT_GROUPS, collection__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_area_areasettings"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(strip_tree_wide_rights, migrations.RunPython.noop)]
