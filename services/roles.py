"""The subdistrict's guide editors: one group keeps the one shared set of service guides right
for every area, in every language, with a media collection of its own."""

from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission

from portal.roles import MEDIA_PERMISSIONS, grant_pages, permissions_of
from services.models import ServiceLibraryPage

# Group names are data an operator sees in the admin, in the admin's language.
GUIDE_EDITOR_GROUP_NAME = "街道办事指南编辑"
GUIDE_COLLECTION_NAME = "办事指南"


def ensure_guide_editors(apps=None, **kwargs):
    """The guide editors edit and publish the service guide library, in every language."""
    if apps is not None and "servicelibrarypage" not in apps.all_models.get("services", {}):
        return  # after migrating back past the library (post_migrate runs with what is left)
    group, _created = Group.objects.get_or_create(name=GUIDE_EDITOR_GROUP_NAME)
    group.permissions.add(*permissions_of("wagtailadmin", ["access_admin"]))
    group.permissions.add(*permissions_of("simple_translation", ["submit_translation"]))
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
        for permission in permissions_of(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group


def grant_guide_editors_on_new_library(sender, instance, created, raw=False, **kwargs):
    if not raw and created:
        ensure_guide_editors()
