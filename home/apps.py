from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and content pages")
    default_auto_field = "django.db.models.BigAutoField"
    # Leads approve and publish the notices their staff draft (home.models.NoticePermissionTester).
    lead_permissions = ["publish_notice"]

    def ready(self):
        from django.db.models.signals import post_save

        from home import notice_approval
        from home.models import NoticeIndexPage
        from portal.roles import area_set_up

        area_set_up.connect(notice_approval.for_the_area)
        post_save.connect(notice_approval.for_a_new_board, sender=NoticeIndexPage)
