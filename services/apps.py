from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Service guides")
    default_auto_field = "django.db.models.BigAutoField"
    # Staff record who is trained on which service (portal/roles.py); the guides themselves
    # are pages the guide editors keep (services/roles.py).
    staff_permissions = [
        "add_servicetraining",
        "change_servicetraining",
        "delete_servicetraining",
        "view_servicetraining",
    ]
    supervisor_permissions = ["view_servicetraining"]
    # Every area's editors may link to the shared guides (portal's page choosers).
    shared_page_models = ["ServiceLibraryPage", "ServiceGuidePage"]

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from services import roles
        from services.models import ServiceLibraryPage

        post_migrate.connect(roles.ensure_guide_editors)
        post_save.connect(roles.grant_guide_editors_on_new_library, sender=ServiceLibraryPage)
