"""Telling residents what happened to their bookings: SMS always, e-mail with an .ics
file where they gave an address. Sent only after the transaction commits, so nobody is
told about a booking that was rolled back."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from portal import sms


def after_commit(reservation, template):
    # robust: a gateway failure is logged and never turns a made booking into an error page.
    transaction.on_commit(lambda: send(reservation, template), robust=True)


def send(reservation, template):
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
        if resident.phone:
            sms.send(resident.phone, template, **params)
        if resident.email:
            text = sms.render(template, params)
            message = EmailMessage(subject=text[:60], body=text, to=[resident.email])
            if reservation.is_holding:
                message.attach("booking.ics", reservation_ics(reservation), "text/calendar")
            message.send(fail_silently=True)


def paused(resident):
    from portal.localtime import show_day

    if resident.phone:
        # Written now, in the message's language: the callback runs after the override has ended.
        until = sms.in_message_language(show_day, resident.booking_paused_until)
        transaction.on_commit(lambda: sms.send(resident.phone, "booking_paused", until=until), robust=True)
