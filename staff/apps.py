from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff and duty schedules")
    default_auto_field = "django.db.models.BigAutoField"
    # Staff keep their own area's staff list and week plans (portal/roles.py).
    staff_permissions = [
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
    ]
    supervisor_permissions = ["view_staffmember", "view_dutyrota", "view_scheduleweek", "view_shift"]

    def ready(self):
        from staff import signals  # noqa: F401
