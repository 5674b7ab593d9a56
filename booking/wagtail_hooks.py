"""The "Room booking" menu of the Wagtail admin: the approval queue, reservations, booking
on a resident's behalf, rooms, closures and public holidays.

Area staff reach their own area's rows only; supervisors read every area's; superusers
do everything. See booking/admin_views.py for how.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from booking import admin_views as views
from booking import closure_admin
from booking.admin_forms import RoomForm
from booking.models import Closure, Reservation, Room
from portal.area_admin import (
    NoUnusedViewsMixin,
    ScopedEditView,
    ScopedHistoryView,
    ScopedUsageView,
)
from portal.areas import AreaPermissionPolicy, policy
from portal.holiday_admin import HolidayViewSet

# Registered before any view asks for them (Wagtail would otherwise create unscoped ones).
register_permission_policy(Room, AreaPermissionPolicy(Room, "area"))
register_permission_policy(Reservation, AreaPermissionPolicy(Reservation, "room__area"))
register_permission_policy(Closure, AreaPermissionPolicy(Closure, "area"))


class RoomViewSet(NoUnusedViewsMixin, ModelViewSet):
    model = Room
    name = "rooms"
    url_prefix = "booking/rooms"
    icon = "home"
    menu_label = _("Rooms")
    index_view_class = views.RoomIndexView
    edit_view_class = ScopedEditView
    inspect_view_class = views.RoomInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    index_template_name = "portal/admin/index_with_holiday_warning.html"
    inspect_view_enabled = True
    copy_view_enabled = False
    absent_views = ("delete",)  # rooms keep their bookings' history; nothing is deleted
    list_display = ["name", "location", "capacity", BooleanColumn("needs_approval", label=_("Needs approval"))]
    search_fields = ["name", "location"]
    ordering = ["area", "sort_order", "name"]
    edit_handler = ObjectList([FieldPanel("area"), *Room.panels], base_form_class=RoomForm)
    inspect_view_fields = [
        "area",
        "name",
        "location",
        "capacity",
        "equipment",
        "accessibility",
        "opening_hours",
        "slot_minutes",
        "min_minutes",
        "max_minutes",
        "window_days",
        "notice_minutes",
        "buffer_minutes",
        "cancel_cutoff_minutes",
        "check_in_grace_minutes",
        "max_active_bookings",
        "max_hours_per_week",
        "needs_approval",
        "hide_bookings",
        "open_on_holidays",
        "photo",
    ]


class ReservationViewSet(NoUnusedViewsMixin, ModelViewSet):
    """Reservations are read here and changed only through booking.rules (the buttons)."""

    model = Reservation
    name = "reservations"
    url_prefix = "booking/reservations"
    icon = "date"
    menu_label = _("Reservations")
    index_view_class = views.ReservationIndexView
    inspect_view_class = views.ReservationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # a write on the booking path must stay small
    absent_views = ("add", "edit", "delete", "history", "usage", "copy")
    search_fields = ["room__name"]
    list_per_page = 30
    list_export = [
        "area",
        "room",
        "start",
        "end",
        "kind",
        "status",
        "resident",
        "phone",
        "label",
        "headcount",
        "checked_in_at",
    ]
    export_headings = {
        "area": _("Residents' area"),
        "room": _("Room"),
        "start": _("Start"),
        "end": _("End"),
        "kind": _("Kind"),
        "status": _("Status"),
        "resident": _("Resident (masked)"),
        "phone": _("Mobile number (masked)"),
        "label": _("Public label"),
        "headcount": _("Number of people"),
        "checked_in_at": _("Checked in at"),
    }
    export_filename = "reservations"

    @property
    def url_finder_class(self):
        # Wagtail's "edit" links (in logs, search, ...) lead to the detail page.
        return type("ReservationURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
            path("<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
        ]


class StaffOnlyMenuItem(MenuItem):
    """Shown to those who may change their area's reservations (not to read-only supervisors)."""

    def is_shown(self, request):
        return policy(Reservation).user_has_permission(request.user, "change")


class ApprovalQueueViewSet(ViewSet):
    name = "approvals"
    url_prefix = "booking/approvals"
    icon = "tasks"
    menu_label = _("Waiting for approval")
    menu_item_class = StaffOnlyMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.ApprovalQueueView.as_view(), name="index"),
            path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
            path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
        ]


class StaffBookingViewSet(ViewSet):
    name = "book_for_resident"
    url_prefix = "booking/book-for-resident"
    icon = "plus"
    menu_label = _("Book for a resident")
    menu_item_class = StaffOnlyMenuItem

    def get_urlpatterns(self):
        return [path("", views.StaffBookingView.as_view(), name="index")]


class ClosureViewSet(NoUnusedViewsMixin, ModelViewSet):
    """Closures are entered (through booking.rules.close) and listed; never edited, since
    they already hold room time and cancelled what they overlapped."""

    model = Closure
    name = "closures"
    url_prefix = "booking/closures"
    icon = "lock"
    menu_label = _("Closures")
    index_view_class = closure_admin.ClosureIndexView
    copy_view_enabled = False
    add_to_reference_index = False
    absent_views = ("edit", "delete", "history", "usage", "copy")
    search_fields = ["reason", "room__name"]
    ordering = "-start"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", closure_admin.ClosureCreateView.as_view(), name="add"),
        ]

    @property
    def url_finder_class(self):
        return type("ClosureURLFinder", (ModelAdminURLFinder,), {"construct_edit_url": lambda self, instance: None})


class BookingViewSetGroup(ViewSetGroup):
    menu_label = _("Room booking")
    menu_icon = "date"
    menu_order = 250
    items = (
        ApprovalQueueViewSet,
        ReservationViewSet,
        StaffBookingViewSet,
        RoomViewSet,
        ClosureViewSet,
        HolidayViewSet,
    )


@hooks.register("register_admin_viewset")
def register_booking_viewsets():
    return BookingViewSetGroup()
