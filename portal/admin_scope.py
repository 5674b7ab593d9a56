"""Keep each area's staff inside their own page tree in the Wagtail admin.

Staff hold permissions on two roots (the Chinese home page and its English sibling),
so Wagtail's explorable root is the tree root and it would list any page's title and
breadcrumbs on request. These views answer 403 for pages outside the user's areas.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies.pages import PagePermissionPolicy


def within_explorable_pages(view):
    @wraps(view)
    def wrapper(request, parent_page_id, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            PagePermissionPolicy().explorable_instances(user).filter(pk=parent_page_id).exists()
        ):
            raise PermissionDenied
        return view(request, *args, parent_page_id=parent_page_id, **kwargs)

    return wrapper
