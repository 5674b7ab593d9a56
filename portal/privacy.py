"""Residents' personal data (PIPL): masking, the resident's own copy, and closing an account."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.views.decorators.cache import never_cache

#: Sent inside the transaction that anonymises a closed account, with ``user``: receivers release
#: what the account still holds (future bookings, ...) in the same transaction.
account_closed = Signal()


def personal(view):
    """A page with the signed-in resident's own data: sign-in required, never kept by a
    browser's or a proxy's cache (Cache-Control: private, no-store), and kept out of search
    engines (X-Robots-Tag, which also covers files such as a booking's .ics)."""
    guarded = never_cache(login_required(view))

    @wraps(view)
    def not_indexed(request, *args, **kwargs):
        response = guarded(request, *args, **kwargs)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return not_indexed


def mask_name(name):
    """张*明: the first and last characters only (张* for two-character names)."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# Full-width digits and letters read as their ASCII twins, one character for one, so a match's
# place in the folded text is its place in what was typed.
FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
SEPARATOR = r"[ \-‐–—]?"
MOBILE = re.compile(
    r"(?<!\d)(?:(?:\+|00)?86" + SEPARATOR + r")?1[3-9]\d" + SEPARATOR + r"\d{4}" + SEPARATOR + r"\d{4}(?!\d)"
)
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}" + SEPARATOR + r"\d{7,8}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d{4}[\dXx](?![\dA-Za-z])")


def _masked_digits(typed, head, tail):
    """Keep the first `head` and the last `tail` digits of a typed number, star the rest."""
    digits = [i for i, char in enumerate(typed.translate(FOLD)) if char.isdigit() or char in "Xx"]
    keep = set(digits[:head] + digits[-tail:])
    return "".join("*" if i in digits and i not in keep else char for i, char in enumerate(typed))


def _mobile_head(typed):
    """The country code (if typed) and the mobile network's three digits stay visible."""
    return sum(char.isdigit() for char in typed.translate(FOLD)) - 8


def mask_text(text, names=()):
    """Free text with phone numbers (mobile and landline, with +86, spaces or dashes, full-width
    too) and ID numbers masked, and each of `names` (people the portal knows) as 张*明."""
    folded = text.translate(FOLD)
    kept = {
        ID_NUMBER: lambda typed: (2, 2),
        MOBILE: lambda typed: (_mobile_head(typed), 4),
        LANDLINE: lambda typed: (3, 4),
    }
    spans = sorted(
        (match.start(), match.end(), kept[pattern]) for pattern in kept for match in pattern.finditer(folded)
    )
    masked, last = [], 0
    for start, end, keep in spans:
        if start < last:
            continue
        typed = text[start:end]
        masked += [text[last:start], _masked_digits(typed, *keep(typed))]
        last = end
    masked.append(text[last:])
    result = "".join(masked)
    for name in sorted({name for name in names if len(name) >= 2}, key=len, reverse=True):
        result = result.replace(name, mask_name(name))
    return result


@dataclass(frozen=True)
class Section:
    """What an app above portal keeps about a resident: ``data(user)`` gives the keys it adds to
    the resident's download, and "My data" shows ``template`` with what ``context(user)`` gives."""

    data: Callable
    template: str = ""
    context: Callable | None = None


#: The sections of apps above portal, by name: portal may not import them (docs/architecture.md,
#: layers), so each app registers its own with ``contributes`` when it is ready.
personal_data_sections = {}


def contributes(name, section):
    """Add (or replace) an app's section of a resident's data."""
    personal_data_sections[name] = section


def moment(value):
    """A date and time as the download writes it (ISO 8601, with its offset), or None."""
    return value.isoformat() if value else None


# Words jieba tags as names that say how someone is addressed, not who they are.
FORMS_OF_ADDRESS = {"阿姨", "叔叔", "大爷", "大妈", "阿婆", "爷爷", "奶奶", "师傅", "老师", "先生", "女士", "小姐"}


def possible_names(text):
    """Words of `text` that jieba's part-of-speech tagging takes for people's names (flag "nr"),
    of two characters or more and not masked already, in order: offered to staff to mask,
    never masked without them (jieba also tags words such as 李 or 高明 this way)."""
    from jieba import posseg  # its tag table loads on first use, like the dictionary

    from portal.search.text import dictionary

    dictionary()
    found = []
    for word, flag in posseg.dt.cut(text):
        if flag == "nr" and len(word) >= 2 and "*" not in word and word not in FORMS_OF_ADDRESS and word not in found:
            found.append(word)
    return found


def personal_data(user):
    """Everything the portal holds about a resident, as the resident downloads it: the account,
    its bookings and sign-ups, and each app's section."""
    data = {
        "name": user.get_full_name(),
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        "email": user.email or None,
        "building": user.building,
        "room_number": user.room_number,
        "area": user.area.name if user.area else None,
        "residency_confirmed_at": moment(user.residency_verified_at),
        "privacy_notice_version": user.privacy_consent_version,
        "privacy_notice_agreed_at": moment(user.privacy_consent_at),
        "booking_paused_until": moment(user.booking_paused_until),
        "account_created_at": moment(user.date_joined),
        "last_login_at": moment(user.last_login),
        "room_bookings": [
            {
                "room": booking.room.name,
                "start": moment(booking.start),
                "end": moment(booking.end),
                "status": booking.status,
                "people": booking.headcount,
                "purpose": booking.purpose,
                "booked_at": moment(booking.created_at),
            }
            for booking in user.reservations.select_related("room").order_by("start")
        ],
        "activity_sign_ups": [
            {
                "activity": signup.occurrence.activity.title,
                "start": moment(signup.occurrence.start),
                "status": signup.status,
                "signed_up_at": moment(signup.created_at),
                "cancelled_at": moment(signup.cancelled_at),
            }
            for signup in user.signups.select_related("occurrence__activity").order_by("occurrence__start")
        ],
    }
    for section in personal_data_sections.values():
        data.update(section.data(user))
    data["exported_at"] = moment(timezone.now())
    return data


def page_sections(user):
    """Each app's part of the "My data" page: (template, context) pairs."""
    return [
        (section.template, section.context(user) if section.context else {})
        for section in personal_data_sections.values()
        if section.template
    ]


def record_consent(user, at=None):
    user.privacy_consent_version = settings.PRIVACY_NOTICE_VERSION
    user.privacy_consent_at = at or timezone.now()


@transaction.atomic
def close_account(user):
    """Withdraw consent and close the account: clear everything that identifies the resident and
    keep the row (area, dates, residency check) so that booking statistics stay whole."""
    from allauth.account.models import EmailAddress

    user.first_name = user.last_name = user.email = ""
    user.phone = None
    user.phone_verified = False
    user.building = user.room_number = ""
    user.booking_paused_until = None
    user.username = f"closed-{user.pk}"
    user.set_unusable_password()  # also ends its other sessions and its apps' sign-ins
    user.is_active = False
    user.anonymised_at = timezone.now()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    account_closed.send(sender=type(user), user=user)
