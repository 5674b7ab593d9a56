from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Room booking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from booking import rules
        from portal.privacy import account_closed

        account_closed.connect(rules.release_closed_account, dispatch_uid="booking.release_closed_account")
