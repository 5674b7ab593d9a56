"""Telling residents what happened to their bookings: SMS always, e-mail with an .ics
file where they gave an address. Kept in the transaction that made the change and sent by
the worker once it commits (portal/outbox.py), so nobody is told about a booking that was
rolled back, and no committed change loses its message."""

from django.conf import settings
from django.utils import translation

from portal import outbox, sms


def after_commit(reservation, template):
    from booking.calendar import reservation_ics
    from portal.localtime import show_when

    resident = reservation.resident
    if resident is None or not resident.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "room": reservation.room.name,
            "when": show_when(reservation.start, reservation.end),
            "reason": reservation.reason,
        }
    _text, names = sms.TEMPLATES[template]
    params = {name: facts[name] for name in names}
    area_id = reservation.room.area_id
    # A reminder is once per booking and time, whoever runs the timer.
    key = f"{template}:{reservation.pk}:{reservation.start.isoformat()}" if template == "booking_reminder" else None
    if resident.phone:
        outbox.text(resident.phone, template, params, area_id=area_id, key=key)
    if resident.email:
        ics = (
            [("booking.ics", reservation_ics(reservation).decode(), "text/calendar")] if reservation.is_holding else []
        )
        outbox.email(resident.email, template, params, attachments=ics, area_id=area_id, key=key)


def paused(resident):
    from portal.localtime import show_day

    if resident.phone:
        until = sms.in_message_language(show_day, resident.booking_paused_until)
        outbox.text(
            resident.phone,
            "booking_paused",
            {"until": until},
            area_id=resident.area_id,
            key=f"booking_paused:{resident.pk}:{resident.booking_paused_until.isoformat()}",
        )
