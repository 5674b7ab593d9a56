from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Room booking")
    default_auto_field = "django.db.models.BigAutoField"
    # Staff run their own area's rooms, bookings and closures (portal/roles.py; which rows is
    # the area policy's business, booking/wagtail_hooks.py).
    staff_permissions = [
        "add_room",
        "change_room",
        "view_room",
        "view_reservation",
        "change_reservation",
        "add_closure",
        "view_closure",
    ]
    supervisor_permissions = ["view_room", "view_reservation", "view_closure"]

    def ready(self):
        from booking import rules
        from portal.privacy import account_closed

        account_closed.connect(rules.release_closed_account, dispatch_uid="booking.release_closed_account")
