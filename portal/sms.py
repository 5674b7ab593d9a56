"""Text messages (SMS) to residents' phones, through a pluggable sender.

SMS gateways in mainland China (Aliyun, Tencent Cloud, ...) send only templates approved in
advance, filled with named parameters; so does this module. A caller names a template and gives
its parameters, never free text::

    from portal import outbox

    outbox.text(user.phone, "booking_confirmed", {"room": room.name, "when": when}, area_id=room.area_id)

(``portal.outbox`` keeps the message and the worker sends it once the transaction commits;
``sms.send`` sends at once, for sign-in codes only.)

The texts below are what the console, file and memory senders write, and the wording to submit
for approval at the gateway. ``settings.SMS_SENDER`` is the dotted path of the sender class:

- ``portal.sms.ConsoleSender`` prints each message (development);
- ``portal.sms.FileSender`` appends one JSON line per message to ``settings.SMS_FILE_PATH``;
- ``portal.sms.MemorySender`` keeps them in ``portal.sms.outbox`` (tests; the ``sms_outbox`` fixture).

A real gateway is a subclass of ``Sender`` whose ``send(phone, template, params)`` calls the gateway
with its own code for the template (keep a mapping such as ``{"login_code": "SMS_123456789"}`` in a
setting), passes ``params`` as the template's variables, and raises ``SmsError`` when the gateway
refuses. Point ``SMS_SENDER`` at it; nothing else changes. See the README, "Text messages".
"""

import json
import logging
import sys
import time
from dataclasses import asdict, dataclass

from allauth.core.exceptions import RateLimited
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.network import client_network
from portal.phones import normalize_phone

logger = logging.getLogger(__name__)

# Template id: (text, the parameters it takes). Times and dates arrive already formatted.
TEMPLATES = {
    "login_code": (_("Your sign-in code is %(code)s. It is valid for 5 minutes; do not tell anyone."), {"code"}),
    "verification_code": (
        _("Your verification code is %(code)s. It is valid for 15 minutes; do not tell anyone."),
        {"code"},
    ),
    "unknown_account": (
        _(
            "Someone asked for a sign-in code for this number, but it has no account. To open one, sign up or ask "
            "at the residents' committee."
        ),
        set(),
    ),
    "account_exists": (
        _("Someone tried to sign up with this number, which already has an account. Sign in with a code instead."),
        set(),
    ),
    "move_account_code": (
        _(
            "%(area)s residents' committee is moving your account to its area at your request. Your code is "
            "%(code)s, valid for 10 minutes. If you did not ask for this, ignore this message."
        ),
        {"area", "code"},
    ),
    "booking_received": (
        _("We have received your request for %(room)s at %(when)s. Staff will confirm it soon."),
        {"room", "when"},
    ),
    "booking_confirmed": (_("Your booking of %(room)s at %(when)s is confirmed."), {"room", "when"}),
    "booking_rejected": (
        _("Sorry, your request for %(room)s at %(when)s was not approved: %(reason)s"),
        {"room", "when", "reason"},
    ),
    "booking_cancelled": (
        _("Your booking of %(room)s at %(when)s has been cancelled: %(reason)s"),
        {"room", "when", "reason"},
    ),
    "booking_reminder": (_("Reminder: you have booked %(room)s at %(when)s."), {"room", "when"}),
    "booking_paused": (
        _(
            "After several missed bookings, you can book rooms again from %(until)s. Ask the residents' committee "
            "if this is a mistake."
        ),
        {"until"},
    ),
    "suggestion_accepted": (
        _("Your suggestion %(number)s has been accepted. You will have an answer by %(due)s."),
        {"number", "due"},
    ),
    "suggestion_overdue": (
        _("Suggestion %(number)s was due on %(due)s and is not done yet. Please see to it today."),
        {"number", "due"},
    ),
    "suggestion_escalated": (
        _("Suggestion %(number)s of %(area)s is 3 working days past its deadline of %(due)s."),
        {"number", "area", "due"},
    ),
    "service_to_rate": (
        _(
            "Thank you for your time with the residents' committee today. Tell us how we did under "
            "“Visits and reception cases” on the portal."
        ),
        set(),
    ),
    "suggestion_answered": (
        _("Your suggestion %(number)s has been answered. Read the answer and tell us if it helped on the portal."),
        {"number"},
    ),
    "correction_answered": (
        _(
            "The residents' committee has answered your request for a correction. Read the reply on “My data” on the portal."
        ),
        set(),
    ),
}


class SmsError(Exception):
    """The gateway did not accept a message."""


@dataclass
class Message:
    phone: str
    template: str
    params: dict
    text: str
    sent_at: str


def in_message_language(show, *args):
    """A date or time for a message's parameter, written the way the message is (in Chinese),
    whatever language the request or command that sends it speaks: in_message_language(show_date, day)."""
    with translation.override(settings.LANGUAGE_CODE):
        return show(*args)


def render(template, params):
    """The message's text, in the portal's language (Chinese): what a gateway template says."""
    text, _names = TEMPLATES[template]
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % params


class Sender:
    """The interface every sender implements."""

    def send(self, phone, template, params):
        raise NotImplementedError

    def message(self, phone, template, params):
        return Message(phone, template, params, render(template, params), timezone.now().isoformat())


class ConsoleSender(Sender):
    def send(self, phone, template, params):
        message = self.message(phone, template, params)
        sys.stdout.write(f"[SMS to {message.phone}] {message.text}\n")
        return message


class FileSender(Sender):
    def send(self, phone, template, params):
        message = self.message(phone, template, params)
        with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as file:
            file.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")
        return message


outbox = []


class MemorySender(Sender):
    def send(self, phone, template, params):
        message = self.message(phone, template, params)
        outbox.append(message)
        return message


def get_sender():
    return import_string(settings.SMS_SENDER)()


def send(phone, template, **params):
    """Send the approved text message ``template`` to ``phone``, filled with ``params``.

    ``phone`` is a mainland mobile number, as stored (+86…) or typed (11 digits). ``template`` is a
    key of ``TEMPLATES`` and ``params`` must be exactly the names it takes, as strings ready to show
    (format dates and times before calling: "11月28日 14:00"). A wrong template or parameter is a
    programming error and raises ``KeyError``/``TypeError`` before anything is sent; a gateway that
    refuses raises ``SmsError``. Call it after the transaction that made the news commits
    (``transaction.on_commit``), so nobody is told about a change that was rolled back.
    Returns the ``Message`` sent.

    Only sign-in and verification codes are sent this way, at once and at most once; every other
    message goes through ``portal.outbox.text``, which keeps it and retries it.
    """
    phone, params = checked(phone, template, params)
    return get_sender().send(phone, template, params)


def checked(phone, template, params):
    """The number in its stored form and the parameters as strings, once they fit the template."""
    _text, names = TEMPLATES[template]
    if set(params) != names:
        raise TypeError(f"SMS template {template!r} takes {sorted(names)}, not {sorted(params)}")
    params = {name: str(value) for name, value in params.items()}
    phone = normalize_phone(phone)
    if not phone:
        raise ValueError(f"SMS template {template!r} has no number to go to")
    return phone, params


def spend_code_allowance(request):
    """Count one code text asked for by ``request`` against the caps: per client address a day
    (SMS_CODES_PER_ADDRESS_PER_DAY) and for the whole site an hour (SMS_CODES_PER_HOUR).
    Raises RateLimited (a 429 page, or the API's 429) when either is spent; the first refusal
    of each window is logged, so operators see a flood without a line per request."""
    now = int(time.time())
    caps = [
        (f"sms-codes:address:{client_network(request)}:{now // 86400}", settings.SMS_CODES_PER_ADDRESS_PER_DAY, 86400),
        (f"sms-codes:site:{now // 3600}", settings.SMS_CODES_PER_HOUR, 3600),
    ]
    for key, cap, window in caps:
        count = 1
        if not cache.add(key, count, timeout=window):
            try:
                count = cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.set(key, count, timeout=window)
        if count > cap:
            if count == cap + 1:
                logger.warning("SMS code cap reached (%s a window of %s s): %s", cap, window, key.rsplit(":", 1)[0])
            raise RateLimited
