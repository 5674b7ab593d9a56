"""The area boundary: which residents' areas a user reaches, and which rows of an area's model.

One set of questions every app asks, and one permission policy every area-scoped model registers:

- ``areas_for(user)``: the areas whose records the user reads (every area for superusers and
  subdistrict supervisors, their own for staff);
- ``sees_every_area(user)``: superusers and supervisors;
- ``may_change_in_area(user, model, action, area)``: may add or change the model's rows of that area;
- ``staff_area(user)``: the area whose staff the user is (None for residents and supervisors);
- ``AreaPermissionPolicy``: model permissions say what a user may do, the area to which rows;
  ``readable(model, user)`` and ``changeable(model, user)`` ask it for a queryset;
  ``SharedRowsPolicy`` the same for rows that may also be shared by every area.

The Wagtail admin's own screens are held to the same boundary in ``portal/area_admin.py``.
"""

import functools
import operator

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from portal.models import Area

EVERY_AREA = "portal.view_every_area"


def sees_every_area(user):
    return user.is_superuser or user.has_perm(EVERY_AREA)


def areas_for(user):
    """The areas whose records the user reads."""
    if sees_every_area(user):
        return Area.objects.all()
    return Area.objects.filter(pk=user.area_id) if user.area_id else Area.objects.none()


def staff_area(user):
    """The area whose staff this user is: their area, if they are in its staff group.
    None for residents, supervisors and administrators. One query, asked on every admin page
    (the menu), so it is counted in every admin page's query budget."""
    if not user.is_authenticated or user.area_id is None:
        return None
    return Area.objects.filter(pk=user.area_id, staff_group__user=user).first()


def request_staff_area(request):
    """staff_area(request.user), asked once per request: every menu item asks it."""
    if not hasattr(request, "_portal_staff_area"):
        request._portal_staff_area = staff_area(request.user)
    return request._portal_staff_area


def may_change_in_area(user, model, action, area):
    """Whether the user may `action` (add, change) the model's rows of this area."""
    if not policy(model).user_has_permission(user, action):
        return False
    return user.is_superuser or (area is not None and area.pk == user.area_id)


class AreaPermissionPolicy(ModelPermissionPolicy):
    """Model permissions say what a user may do; the area says to which rows.

    Superusers reach every row. Users who may read every area (subdistrict supervisors)
    read every row, and change only what their other rights and area allow. Everyone
    else reaches the rows of their own area only.
    """

    def __init__(self, model, area_field):
        super().__init__(model)
        self.area_field = area_field  # the path from the model to its Area, such as "room__area"

    def _reaches_every_area(self, user, allowed):
        return user.is_superuser or ("view" in allowed and user.has_perm(EVERY_AREA))

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = {action for action in actions if self.user_has_permission(user, action)}
        queryset = self.model._default_manager.all()
        if not allowed:
            return queryset.none()
        if self._reaches_every_area(user, allowed):
            return queryset
        if user.area_id is None:
            return queryset.none()
        return queryset.filter(**{f"{self.area_field}_id": user.area_id})

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = {action for action in actions if self.user_has_permission(user, action)}
        if not allowed:
            return False
        if self._reaches_every_area(user, allowed):
            return True
        return user.area_id is not None and self.area_id_of(instance) == user.area_id

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def area_id_of(self, instance):
        *path, last = self.area_field.split("__")
        for name in path:
            instance = getattr(instance, name)
        return getattr(instance, f"{last}_id")


class SharedRowsPolicy(AreaPermissionPolicy):
    """For a model whose rows are one area's, or shared by every area (its `area` empty), such
    as answer templates: staff read their area's rows and the shared ones and change their
    area's; those who read every area (supervisors) read all and change the shared ones only;
    superusers change all."""

    def __init__(self, model):
        super().__init__(model, "area")

    def _rows(self, user, action):
        """The filter of the rows `user` may `action`; None for every row."""
        if user.is_superuser or (action == "view" and user.has_perm(EVERY_AREA)):
            return None
        shared = Q(area__isnull=True)
        if user.has_perm(EVERY_AREA):
            return shared
        own = Q(area_id=user.area_id) if user.area_id else Q(pk__in=[])
        return own | shared if action == "view" else own

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        filters = [self._rows(user, action) for action in actions if self.user_has_permission(user, action)]
        if not filters:
            return queryset.none()
        if None in filters:
            return queryset
        return queryset.filter(functools.reduce(operator.or_, filters))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self._reaches(user, action, instance) for action in actions if self.user_has_permission(user, action)
        )

    def _reaches(self, user, action, instance):
        if user.is_superuser:
            return True
        if user.has_perm(EVERY_AREA):
            return action == "view" or instance.area_id is None
        if instance.area_id is None:
            return action == "view"
        return user.area_id is not None and instance.area_id == user.area_id


def policy(model):
    return policy_registry.get_by_type(model)


def area_policy(model):
    """The model's permission policy if it reaches only some areas' rows, else None."""
    found = policy_registry.get_by_type(model, fallback=False)
    return found if isinstance(found, AreaPermissionPolicy) else None


def readable(model, user):
    return policy(model).instances_user_has_any_permission_for(user, ["add", "change", "delete", "view"])


def changeable(model, user):
    return policy(model).instances_user_has_permission_for(user, "change")
