from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save, pre_save

        from portal import area_admin, roles

        # Every app: the permissions it grants are created by the apps migrated after ours.
        post_migrate.connect(roles.ensure_supervisor_group)
        post_migrate.connect(roles.ensure_guide_editors)
        post_migrate.connect(roles.refresh_areas)
        post_save.connect(roles.grant_area_on_new_locale_root)
        post_save.connect(roles.require_approval_on_new_notice_board, sender="home.NoticeIndexPage")
        post_save.connect(roles.grant_guide_editors_on_new_library, sender="home.ServiceLibraryPage")
        pre_save.connect(area_admin.note_the_area, sender="wagtailcore.ModelLogEntry")
