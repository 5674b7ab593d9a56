"""The public-holiday calendar in the admin: every area's staff read it, superusers correct it,
and admin pages whose dates skip holidays warn when a coming year has not been entered."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.area_admin import NoUnusedViewsMixin
from portal.areas import policy
from portal.models import Holiday

register_permission_policy(Holiday, ModelPermissionPolicy(Holiday))


class HolidayWarningMixin:
    """Warn that a coming year has no public holidays entered (docs/architecture.md, holidays)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        missing = Holiday.missing_years(today, dt.date(today.year + 1, 12, 31))
        context["missing_holiday_years"] = "、".join(str(year) for year in sorted(missing))
        context["can_add_holidays"] = policy(Holiday).user_has_permission(self.request.user, "add")
        return context


class HolidayIndexView(HolidayWarningMixin, generic.IndexView):
    pass


class HolidayViewSet(NoUnusedViewsMixin, ModelViewSet):
    """The public-holiday calendar: every area's staff read it, superusers correct it."""

    model = Holiday
    name = "holidays"
    url_prefix = "booking/holidays"
    icon = "calendar-alt"
    menu_label = _("Public holidays")
    index_view_class = HolidayIndexView
    index_template_name = "portal/admin/index_with_holiday_warning.html"
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = ["date", "name", Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind")]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = "-date"
    list_per_page = 50
