"""Keep each area's staff inside their own area in the Wagtail admin.

Staff hold permissions on two roots (the Chinese home page and its English sibling),
so Wagtail's explorable root is the tree root and it would list any page's title and
breadcrumbs on request. These views answer 403 for pages outside the user's areas.

Wagtail's site history report lists the log entries of every object of a model the user
has a permission on; SiteHistoryView keeps those of area-scoped models to the user's own
area's objects (supervisors see every area's), including objects deleted since.
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


def area_policy(model):
    """The model's permission policy if it reaches only some areas' rows, else None."""
    from booking.admin_views import AreaPermissionPolicy

    policy = policy_registry.get_by_type(model, fallback=False)
    return policy if isinstance(policy, AreaPermissionPolicy) else None


def note_the_area(sender, instance, raw=False, **kwargs):
    """pre_save of ModelLogEntry: an entry about an area's object keeps that area's id in its
    data, so the report still knows whose it was once the object is deleted."""
    if raw or instance.pk:
        return
    model = instance.content_type.model_class()
    policy = area_policy(model) if model else None
    if policy is None:
        return
    objects = model._base_manager.filter(pk=instance.object_id)
    area = objects.values_list(policy.area_field, flat=True).first()
    if area is not None:
        instance.data = {**(instance.data or {}), "area": area}


class SiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        from booking.admin_views import readable, sees_every_area

        queryset = super().filter_queryset(queryset)
        user = self.request.user
        # Page entries already follow the user's page permissions.
        if queryset.model is not ModelLogEntry or sees_every_area(user):
            return queryset
        scoped = [model for model in apps.get_models() if area_policy(model)]
        types = ContentType.objects.get_for_models(*scoped)
        shown = ~Q(content_type__in=types.values())
        for model, content_type in types.items():
            # Log entries keep the object's id as text.
            ids = readable(model, user).annotate(id_text=Cast("pk", CharField())).values("id_text")
            own = Q(object_id__in=ids)
            if user.area_id:
                own |= Q(data__area=user.area_id)  # also what was deleted since
            shown |= Q(content_type=content_type) & own
        return queryset.filter(shown)
