from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and staff schedules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from activities import signals  # noqa: F401
