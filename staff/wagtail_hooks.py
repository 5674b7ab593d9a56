"""The "Staff and duty" menu of the admin: the weekly duty plan and the staff members (the
training matrix joins it from services through the menu's hook), and the dashboard's warning
that next week's plan is not published."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.permissions import register_permission_policy

from portal.areas import AreaPermissionPolicy, may_change_in_area
from staff.admin_views import (
    PublishView,
    RegenerateView,
    ShiftCancelView,
    ShiftCreateView,
    ShiftEditView,
    StaffMemberViewSet,
    WeekView,
    next_week_warning,
    reads_shifts,
)
from staff.models import ScheduleWeek, Shift, StaffMember

# Registered before any view asks for them (Wagtail would otherwise create unscoped ones).
register_permission_policy(StaffMember, AreaPermissionPolicy(StaffMember, "area"))
register_permission_policy(ScheduleWeek, AreaPermissionPolicy(ScheduleWeek, "area"))
register_permission_policy(Shift, AreaPermissionPolicy(Shift, "week__area"))


class ShiftReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_shifts(request.user)


class StaffWeekViewSet(ViewSet):
    name = "staff_week"
    url_prefix = "staff/week"
    icon = "time"
    menu_label = gettext_lazy("Weekly duty plan")
    menu_item_class = ShiftReadersMenuItem

    def get_urlpatterns(self):
        return [
            path("", WeekView.as_view(), name="index"),
            path("regenerate/", RegenerateView.as_view(), name="regenerate"),
            path("publish/", PublishView.as_view(), name="publish"),
            path("shifts/new/", ShiftCreateView.as_view(), name="add_shift"),
            path("shifts/<int:pk>/", ShiftEditView.as_view(), name="edit_shift"),
            path("shifts/<int:pk>/cancel/", ShiftCancelView.as_view(), name="cancel_shift"),
        ]


class StaffViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Staff and duty")
    menu_icon = "group"
    menu_order = 270
    submenu_hook = "register_staff_menu_item"  # services/wagtail_hooks.py adds the training matrix
    items = (StaffWeekViewSet, StaffMemberViewSet)


@hooks.register("register_admin_viewset")
def register_staff_viewsets():
    return StaffViewSetGroup()


class NextWeekPanel(Component):
    """On the dashboard: next week's plan is not published yet."""

    name = "staff_next_week"
    order = 90
    template_name = "staff/admin/staff_next_week.html"

    def __init__(self, warning):
        self.warning = warning

    def get_context_data(self, parent_context=None):
        return {"next_week": self.warning, "panel": True}


@hooks.register("construct_homepage_panels")
def warn_next_week_unpublished(request, panels):
    user = request.user
    if user.area_id and may_change_in_area(user, ScheduleWeek, "change", user.area):
        if warning := next_week_warning(user, user.area):
            panels.append(NextWeekPanel(warning))
