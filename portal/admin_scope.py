"""Keep each area's staff inside their own area in the Wagtail admin.

Staff hold permissions on two roots (the Chinese home page and its English sibling),
so Wagtail's explorable root is the tree root and it would list any page's title and
breadcrumbs on request. These views answer 403 for pages outside the user's areas.

Wagtail's site history report lists the log entries of every object of a model the user
has a permission on; SiteHistoryView keeps those of area-scoped models to the rows the user
may read (their own area's, or every area's for supervisors).
"""

from functools import wraps

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry


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


def area_scoped_models():
    """The models whose permission policy reaches only some areas' rows."""
    from booking.admin_views import AreaPermissionPolicy

    return [
        model
        for model in apps.get_models()
        if isinstance(policy_registry.get_by_type(model, fallback=False), AreaPermissionPolicy)
    ]


class SiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is not ModelLogEntry:
            return queryset  # page entries already follow the user's page permissions
        from booking.admin_views import readable

        hidden = Q()
        for model in area_scoped_models():
            # Log entries keep the object's id as text.
            rows = readable(model, self.request.user)
            readable_ids = rows.annotate(id_text=Cast("pk", CharField())).values("id_text")
            hidden |= Q(content_type=ContentType.objects.get_for_model(model)) & ~Q(object_id__in=readable_ids)
        return queryset.exclude(hidden) if hidden else queryset
