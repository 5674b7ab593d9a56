from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"
    # What each role may do with this app's rows (portal/roles.py collects every app's).
    staff_permissions = ["view_holiday", "view_outboundmessage"]
    supervisor_permissions = ["view_area", "view_every_area", "view_holiday", "view_outboundmessage"]

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, post_save, pre_save

        from portal import area_admin, locales, page_cache, restrictions, roles
        from portal.models import Area

        # Every app: the permissions it grants are created by the apps migrated after ours.
        post_migrate.connect(roles.ensure_supervisor_group)
        post_migrate.connect(roles.refresh_areas)
        post_save.connect(roles.grant_area_on_new_locale_root)
        post_save.connect(roles.set_up_saved_area, sender=Area)
        pre_save.connect(area_admin.note_the_area, sender="wagtailcore.ModelLogEntry")
        connection_created.connect(page_cache.watch_writes)
        locales.keep_locales()
        restrictions.keep_restrictions()
