from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Suggestions and visit records")
    default_auto_field = "django.db.models.BigAutoField"
    # Staff handle their own area's suggestions and residents' requests for a correction
    # (portal/roles.py; which rows is the area policy's business). Supervisors read every area's.
    # Answer templates: staff keep their area's, supervisors the ones shared by every area, which
    # belong to no area (portal.areas.SharedRowsPolicy).
    TEMPLATES = ["view_answertemplate", "add_answertemplate", "change_answertemplate", "delete_answertemplate"]
    staff_permissions = [
        "view_suggestion",
        "change_suggestion",
        "add_suggestion",
        "view_correctionrequest",
        "change_correctionrequest",
        *TEMPLATES,
    ]
    supervisor_permissions = ["view_suggestion", "view_correctionrequest", *TEMPLATES]

    def ready(self):
        from outreach import privacy, signals  # noqa: F401

        privacy.register()
