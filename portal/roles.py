"""Groups and permissions: each area's staff, and the subdistrict's supervisors.

Kept in code rather than fixtures so that a new area, or a new English home page of
an existing one, gets exactly the same permissions as the demo.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.dispatch import Signal
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
)

from portal.models import Area

# Sent with ``area`` when set_up_area has given an area its groups and permissions: apps above
# add what is theirs (home puts the area's notice boards under the leads' approval).
area_set_up = Signal()

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
# What each role may do with the rows of an app is declared by the app, in its AppConfig
# (staff_permissions, lead_permissions, supervisor_permissions): which row of an area a
# permission reaches is the area policy's business (portal/areas.py), these say only what kind.


def declared(role):
    """{app label: [codename, ...]} the installed apps grant ``role`` ("staff_permissions", ...)."""
    return {
        config.label: list(getattr(config, role)) for config in apps.get_app_configs() if getattr(config, role, None)
    }


def permissions_of(app_label, codenames):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


# Group names are data an operator sees in the admin, in the admin's language.
SUPERVISOR_GROUP_NAME = "街道督导"
INTERNAL_COLLECTION_NAME = "内部资料"


def staff_group_name(area):
    return f"{area.name}工作人员"


def lead_group_name(area):
    return f"{area.name}负责人"


def set_up_area(area):
    """Give an area its staff and lead groups, media collections and the permissions every app
    grants them, then tell the apps (``area_set_up``). Idempotent."""
    updates = {}
    if area.staff_group is None:
        group, _created = Group.objects.get_or_create(name=staff_group_name(area))
        updates["staff_group"] = area.staff_group = group
    if area.lead_group is None:
        group, _created = Group.objects.get_or_create(name=lead_group_name(area))
        updates["lead_group"] = area.lead_group = group
    if area.collection is None:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=area.name).first() or root.add_child(name=area.name)
        updates["collection"] = area.collection = collection
    if area.internal_collection is None:
        children = area.collection.get_children()
        internal = children.filter(name=INTERNAL_COLLECTION_NAME).first() or area.collection.add_child(
            name=INTERNAL_COLLECTION_NAME
        )
        updates["internal_collection"] = area.internal_collection = internal
    if updates:
        Area.objects.filter(pk=area.pk).update(**updates)

    group = area.staff_group
    group.permissions.add(*permissions_of("wagtailadmin", ["access_admin"]))
    # Staff write the English versions of their own pages (the Translate action).
    group.permissions.add(*permissions_of("simple_translation", ["submit_translation"]))
    for app_label, codenames in declared("staff_permissions").items():
        group.permissions.add(*permissions_of(app_label, codenames))
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        grant_pages(group, locale_root)
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for permission in permissions_of(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=area.collection, permission=permission
            )
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=area.internal_collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    restriction.groups.add(area.staff_group, area.lead_group)
    for permission in permissions_of("portal", ["change_areasettings"]):
        GroupSitePermission.objects.get_or_create(group=group, site=area.site, permission=permission)
    # A lead is staff who also approves: the lead group alone lets them into the admin and the area's pages.
    lead_group = area.lead_group
    lead_group.permissions.add(*permissions_of("wagtailadmin", ["access_admin"]))
    for app_label, codenames in declared("lead_permissions").items():
        lead_group.permissions.add(*permissions_of(app_label, codenames))
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        grant_pages(lead_group, locale_root)
    area_set_up.send(sender=Area, area=area)


def grant_pages(group, page):
    for permission in permissions_of("wagtailcore", PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_area_on_new_locale_root(sender, instance, created, raw=False, **kwargs):
    """A translation of an area's home page is a sibling of it (a new tree root for
    that language), so the area's staff need permissions on it too."""
    if raw or not created or not isinstance(instance, Page) or instance.depth != 2:
        return
    for area in Area.objects.filter(site__root_page__translation_key=instance.translation_key).exclude(
        staff_group=None
    ):
        grant_pages(area.staff_group, instance)
        if area.lead_group is not None:
            grant_pages(area.lead_group, instance)


def ensure_supervisor_group(**kwargs):
    """Supervisors read every area's records and reports and edit nothing."""
    group, _created = Group.objects.get_or_create(name=SUPERVISOR_GROUP_NAME)
    group.permissions.add(*permissions_of("wagtailadmin", ["access_admin"]))
    for app_label, codenames in declared("supervisor_permissions").items():
        group.permissions.add(*permissions_of(app_label, codenames))
    return group


def set_up_saved_area(sender, instance, raw=False, **kwargs):
    """Every save of an area (a new one, or a renamed one) sets it up again."""
    if not raw:
        set_up_area(instance)


def refresh_areas(**kwargs):
    """After a migration, give existing areas what a newer version grants staff (idempotent)."""
    for area in Area.objects.select_related("site__root_page", "staff_group"):
        set_up_area(area)
