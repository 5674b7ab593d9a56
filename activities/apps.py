from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"
    # Activity pages go through page permissions; sessions and sign-ups are produced by
    # publishing and by residents, so staff read them. Categories are shared by the whole
    # subdistrict: superusers edit them, staff choose from them (portal/roles.py).
    staff_permissions = ["view_activitycategory", "view_occurrence", "view_signup"]
    supervisor_permissions = ["view_activitycategory", "view_occurrence", "view_signup"]

    def ready(self):
        from activities import signals  # noqa: F401
