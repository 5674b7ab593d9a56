"""The outgoing messages in the Wagtail admin (portal/outbox.py): what went, what waits for a retry,
what failed, and what is "uncertain" (the worker stopped while handing it to the gateway: staff
ask the resident rather than have it sent twice). Read-only; numbers and addresses masked. Rows
come from the model's permission policy: an area's staff read their area's messages, supervisors
and superusers every area's, and messages of no area (to staff) only those who read every area."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal import sms
from portal.area_admin import NoUnusedViewsMixin, ScopedIndexView
from portal.areas import AreaPermissionPolicy
from portal.models import OutboundMessage
from portal.phones import mask_phone

register_permission_policy(OutboundMessage, AreaPermissionPolicy(OutboundMessage, "area"))


def masked_recipient(message):
    """138****5678, or w***@example.com."""
    if message.channel == OutboundMessage.Channel.SMS:
        return mask_phone(message.recipient)
    name, _at, domain = message.recipient.partition("@")
    return f"{name[:1]}***@{domain}"


def text_sent(message):
    """What the resident reads (in Chinese, as sent), or the template's name if it is gone."""
    try:
        return sms.render(message.template, message.params)
    except (KeyError, TypeError, ValueError):
        return message.template


def local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class MessageIndexView(ScopedIndexView):
    select_related = ("area",)
    area_accessor = staticmethod(lambda message: message.area.name if message.area else "")

    def own_columns(self):
        return [
            Column("created_at", label=_("Created"), accessor=lambda m: local(m.created_at), sort_key="created_at"),
            Column("recipient", label=_("To"), accessor=masked_recipient),
            Column("channel", label=_("Channel"), accessor="get_channel_display"),
            Column("template", label=_("Message"), accessor=text_sent),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column("attempts", label=_("Attempts")),
            Column("next_attempt_at", label=_("Next attempt"), accessor=self.next_attempt),
            Column("last_error", label=_("Last error"), accessor=lambda m: m.last_error[:80]),
        ]

    def next_attempt(self, message):
        return local(message.next_attempt_at) if message.status == OutboundMessage.Status.QUEUED else ""


class MessageViewSet(NoUnusedViewsMixin, ModelViewSet):
    model = OutboundMessage
    name = "outgoing_messages"
    url_prefix = "messages"
    icon = "mail"
    menu_label = _("Outgoing messages")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = MessageIndexView
    copy_view_enabled = False
    add_to_reference_index = False  # personal data stays out of every index
    absent_views = ("add", "edit", "delete", "history", "usage", "copy", "inspect")
    form_fields = []  # read-only: no form is ever drawn
    list_filter = ["status", "channel"]
    ordering = "-created_at"
    list_per_page = 50
