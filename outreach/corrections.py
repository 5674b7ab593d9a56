"""Residents' requests to correct what a record says about them (PIPL: the right to correction),
and staff's replies. A request goes to the staff of the resident's own area, and only they
answer it; the resident reads the reply on "My data" and is told by SMS.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import CorrectionRequest
from portal import outbox
from portal.areas import staff_area
from portal.refusals import Refused

TEXT_LIMIT = 2000
# Requests of one resident waiting at once: enough for any real need, and an inbox no script fills.
OPEN_LIMIT = 5


def _text(text, field):
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        message = _("Please keep it to %(limit)s characters (this has %(count)s).") % {
            "limit": TEXT_LIMIT,
            "count": len(text),
        }
        raise Refused(_("Please check what you entered."), {field: [message]})
    return text


def ask(resident, text, *, now=None):
    """File a resident's request with the staff of their area."""
    text = _text(text, "text")
    if not text:
        raise Refused(_("Please check what you entered."), {"text": [_("Please say what should be corrected.")]})
    if resident.area_id is None:
        raise Refused(
            _("Your account belongs to no residents' area yet: please ask at the reception desk."), status=409
        )
    waiting = CorrectionRequest.objects.filter(resident=resident, handled_at__isnull=True).count()
    if waiting >= OPEN_LIMIT:
        raise Refused(
            _("You have %(count)s requests waiting for an answer. Staff will answer those first.") % {"count": waiting},
            status=429,
        )
    return CorrectionRequest.objects.create(
        area_id=resident.area_id, resident=resident, text=text, at=now or timezone.now()
    )


def may_handle(user, correction):
    """Staff of the request's area; supervisors read it and answer none."""
    area = staff_area(user)
    return area is not None and area.pk == correction.area_id


def handle(correction, staff, reply, *, now=None):
    """Staff say what they corrected (or why not): the request is handled and the resident told."""
    if not may_handle(staff, correction):
        raise Refused(_("Only the staff of the resident's area answer this request."), status=403)
    reply = _text(reply, "reply")
    if not reply:
        raise Refused(_("Please check what you entered."), {"reply": [_("Say what was corrected, or why it was not.")]})
    with transaction.atomic():
        current = CorrectionRequest.objects.select_for_update().select_related("resident").get(pk=correction.pk)
        if current.handled_at:
            raise Refused(_("This request has been answered already."), status=409)
        current.handled_at, current.handled_by, current.reply = now or timezone.now(), staff, reply
        current.save(update_fields=["handled_at", "handled_by", "reply"])
        resident = current.resident
        if resident.is_active and resident.phone:
            outbox.text(resident.phone, "correction_answered", {}, area_id=resident.area_id)
    return current
