"""Groups and permissions: each area's staff, and the subdistrict's supervisors.

Kept in code rather than fixtures so that a new area, or a new English home page of
an existing one, gets exactly the same permissions as the demo.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
# Staff run their own area's rooms; what a row belongs to is checked by the admin's
# permission policies (booking/wagtail_hooks.py), these only say what kind of row.
STAFF_MODEL_PERMISSIONS = {
    "portal": ["view_holiday"],
    "booking": [
        "add_room",
        "change_room",
        "view_room",
        "view_reservation",
        "change_reservation",
        "add_closure",
        "view_closure",
    ],
    # Activity pages themselves go through page permissions; sessions and sign-ups are
    # produced by publishing and by residents, so staff read them. Categories are shared by
    # the whole subdistrict: superusers edit them, staff choose from them.
    "activities": [
        "view_activitycategory",
        "view_occurrence",
        "view_signup",
        "add_staffmember",
        "change_staffmember",
        "view_staffmember",
        "add_dutyrota",
        "change_dutyrota",
        "view_dutyrota",
        "delete_dutyrota",
        "view_scheduleweek",
        "change_scheduleweek",
        "add_shift",
        "change_shift",
        "view_shift",
        "add_servicetraining",
        "change_servicetraining",
        "delete_servicetraining",
        "view_servicetraining",
    ],
}
# Leads approve and publish notices their staff draft (home.models.NoticePermissionTester).
LEAD_PERMISSIONS = {"home": ["publish_notice"]}
SUPERVISOR_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "portal": ["view_area", "view_every_area", "view_holiday"],
    "booking": ["view_room", "view_reservation", "view_closure"],
    "activities": [
        "view_activitycategory",
        "view_occurrence",
        "view_signup",
        "view_staffmember",
        "view_dutyrota",
        "view_scheduleweek",
        "view_shift",
        "view_servicetraining",
    ],
}


def _permissions(app_label, codenames):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


# Group names are data an operator sees in the admin, in the admin's language.
SUPERVISOR_GROUP_NAME = "街道督导"
# The subdistrict's editors keep the one shared set of service guides right for every area.
GUIDE_EDITOR_GROUP_NAME = "街道办事指南编辑"
GUIDE_COLLECTION_NAME = "办事指南"
INTERNAL_COLLECTION_NAME = "内部资料"


def staff_group_name(area):
    return f"{area.name}工作人员"


def lead_group_name(area):
    return f"{area.name}负责人"


def set_up_area(area):
    """Give an area its staff and lead groups, media collection, permissions and notice
    workflow. Idempotent."""
    from home.models import NoticeIndexPage
    from portal.models import Area

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
    group.permissions.add(*_permissions("wagtailadmin", ["access_admin"]))
    # Staff write the English versions of their own pages (the Translate action).
    group.permissions.add(*_permissions("simple_translation", ["submit_translation"]))
    for app_label, codenames in STAFF_MODEL_PERMISSIONS.items():
        group.permissions.add(*_permissions(app_label, codenames))
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        grant_pages(group, locale_root)
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=area.collection, permission=permission
            )
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=area.internal_collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    restriction.groups.add(area.staff_group, area.lead_group)
    for permission in _permissions("portal", ["change_areasettings"]):
        GroupSitePermission.objects.get_or_create(group=group, site=area.site, permission=permission)
    # A lead is staff who also approves: the lead group alone lets them into the admin and the area's pages.
    lead_group = area.lead_group
    lead_group.permissions.add(*_permissions("wagtailadmin", ["access_admin"]))
    for app_label, codenames in LEAD_PERMISSIONS.items():
        lead_group.permissions.add(*_permissions(app_label, codenames))
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        grant_pages(lead_group, locale_root)
    for locale_root in area.site.root_page.get_translations(inclusive=True):
        for index in NoticeIndexPage.objects.child_of(locale_root):
            require_notice_approval(area, index)


def require_notice_approval(area, index):
    """Put the area's notice board under its workflow: a staff member submits, a lead approves."""
    workflow, created = Workflow.objects.get_or_create(name=f"{area.name}通知审核")
    if created:
        task = GroupApprovalTask.objects.create(name=f"{lead_group_name(area)}审核")
        task.groups.set([area.lead_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def grant_pages(group, page):
    for permission in _permissions("wagtailcore", PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_area_on_new_locale_root(sender, instance, created, raw=False, **kwargs):
    """A translation of an area's home page is a sibling of it (a new tree root for
    that language), so the area's staff need permissions on it too."""
    if raw or not created or not isinstance(instance, Page) or instance.depth != 2:
        return
    from portal.models import Area

    for area in Area.objects.filter(site__root_page__translation_key=instance.translation_key).exclude(
        staff_group=None
    ):
        grant_pages(area.staff_group, instance)
        if area.lead_group is not None:
            grant_pages(area.lead_group, instance)


def require_approval_on_new_notice_board(sender, instance, created, raw=False, **kwargs):
    from portal.models import Area

    if raw or not created:
        return
    area = Area.objects.for_page(instance)
    if area is not None and area.lead_group is not None:
        require_notice_approval(area, instance)


def ensure_guide_editors(**kwargs):
    """The guide editors edit and publish the service guide library, in every language."""
    from home.models import ServiceLibraryPage

    group, _created = Group.objects.get_or_create(name=GUIDE_EDITOR_GROUP_NAME)
    group.permissions.add(*_permissions("wagtailadmin", ["access_admin"]))
    group.permissions.add(*_permissions("simple_translation", ["submit_translation"]))
    for library in ServiceLibraryPage.objects.all():
        grant_pages(group, library)
    root = Collection.get_first_root_node()
    if root is None:  # a flushed database (transactional tests), refilled afterwards
        return group
    # A collection of their own: rights on the root collection would reach every area's media.
    collection = root.get_children().filter(name=GUIDE_COLLECTION_NAME).first() or root.add_child(
        name=GUIDE_COLLECTION_NAME
    )
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group


def grant_guide_editors_on_new_library(sender, instance, created, raw=False, **kwargs):
    if not raw and created:
        ensure_guide_editors()


def ensure_supervisor_group(**kwargs):
    """Supervisors read every area's records and reports and edit nothing."""
    group, _created = Group.objects.get_or_create(name=SUPERVISOR_GROUP_NAME)
    for app_label, codenames in SUPERVISOR_PERMISSIONS.items():
        group.permissions.add(*_permissions(app_label, codenames))
    return group


def refresh_areas(**kwargs):
    """After a migration, give existing areas what a newer version grants staff (idempotent)."""
    from portal.models import Area

    for area in Area.objects.select_related("site__root_page", "staff_group"):
        set_up_area(area)
