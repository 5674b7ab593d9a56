"""Who may use a resident's account: proving a number, and taking the account back.

An account is opened with a number nobody has proven yet: whoever signs up types a number,
a password and their details, then enters the code texted to that number. Until the code is
entered, what they typed is only a *claim* (``User.claim_pending``). When the number is proven in the same browser
session that made the claim (the sign-up, or a sign-in with that password), the claim stands.
When it is proven anywhere else (the number's owner signing in by code, on the web or through
the API), the claim is dropped: the password goes, and so do the details, unless staff had
confirmed them in person. So a stranger who signed up with someone else's number never keeps a
way into the owner's account, and the owner is never held up by the stranger's sign-up.

A number can also be proven on another page's flow (portal/phone_codes.py: filing a suggestion
signed out). The owner is then the resident of that number, as if they had signed in by code; a
number without an account gets one that has nothing but the number, its area and the agreement
to the privacy notice given on that page, and whoever proved it gives their name and home (and
agrees again, to what the account is for) before anything else, as after a dropped claim.

A new password (changed, reset or cleared) ends every app's sign-in (``User.save``); browsers'
sessions end with it, as Django ties them to the password. ``sign_out_everywhere`` does both
without a new password.
"""

import logging

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.contrib.auth import update_session_auth_hash
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.models import User
from portal.privacy import record_consent

logger = logging.getLogger(__name__)

CLAIM_SESSION_KEY = "portal_account_claim"


def claim_digest(user):
    """Stands for the account's current password in the session, without the hash itself."""
    return salted_hmac("portal.accounts.claim", user.password, algorithm="sha256").hexdigest()


def note_claim(request, user):
    """This browser session typed the password of ``user``, whose number is not yet proven."""
    if request is not None and hasattr(request, "session") and user.claim_pending:
        request.session[CLAIM_SESSION_KEY] = {"user": user.pk, "password": claim_digest(user)}


def _claimed_here(request, user):
    claim = (
        request.session.pop(CLAIM_SESSION_KEY, None) if request is not None and hasattr(request, "session") else None
    )
    return (
        bool(claim)
        and claim.get("user") == user.pk
        and constant_time_compare(claim.get("password", ""), claim_digest(user))
    )


@transaction.atomic
def prove_number(request, user, phone):
    """A code texted to ``phone`` was entered for ``user``. The first proof of a signed-up
    account's number keeps what was claimed only if this session made the claim; an account
    staff opened has no claim to drop."""
    if user.phone != phone or user.phone_verified:
        return
    if user.claim_pending and not _claimed_here(request, user):
        drop_claim(user)
    user.phone_verified = True
    user.claim_pending = False
    user.save()


def drop_claim(user):
    """Forget what was typed before the number was proven: the password always; the name,
    home and consent unless staff confirmed them at the desk or on a visit. (Not saved.)"""
    from allauth.account.models import EmailAddress

    if user.has_usable_password():
        logger.warning("account %s: number proven outside the sign-up; its password was dropped", user.pk)
    user.set_unusable_password()
    if user.residency_verified_at is None:
        user.first_name = user.last_name = user.email = ""
        user.building = user.room_number = ""
        user.privacy_consent_version = ""
        user.privacy_consent_at = None
        if user.pk:
            EmailAddress.objects.filter(user=user).delete()


def resident_with_proven_number(request, phone, area, *, agreed):
    """The resident whose number a code texted to it has just proven: their account, the number
    now proven on it (a claim made elsewhere is dropped, as when they sign in by code); for a
    number without an account, a new one in `area`, which records the agreement to the privacy
    notice whoever proved it gave (`agreed`) when it is opened: an existing account's stays as it
    is. None for a number that opens nothing on the residents' site: staff's, or an account an
    administrator switched off."""
    adapter = get_adapter(request)
    user = adapter.get_user_by_phone(phone)
    if user is None and not User.objects.filter(phone=phone).exists():
        user = _open_with_proven_number(request, phone, area, agreed)
    if user is None or not user.is_active:
        return None
    adapter.set_phone_verified(user, phone)
    return user


def _open_with_proven_number(request, phone, area, agreed):
    """An account with the number, its area and the agreement to the privacy notice only: no
    password (a code opens it), and no details yet (needs_details)."""
    user = User(phone=phone, phone_verified=True, area=area)
    get_adapter(request).populate_username(request, user)
    user.set_unusable_password()
    if agreed:
        record_consent(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same number proven at the same moment in another browser
        return get_adapter(request).get_user_by_phone(phone)
    return user


def sign_in_by_code(request, user, phone, redirect_url):
    """Sign in the resident whose number a code just proved, as allauth's sign-in by code
    does (the same record of how, the same hooks); the response goes on to `redirect_url`."""
    record_authentication(request, user, method="code", phone=phone)
    return perform_login(request, Login(user=user, redirect_url=redirect_url))


def needs_details(user):
    """A resident who has not yet given their own details and consent: after a dropped claim, or
    with an account opened by proving its number (which has no name yet)."""
    if not (user.is_authenticated and user.phone):
        return False
    return user.privacy_consent_at is None or not user.get_full_name()


def sign_out_everywhere(user, request=None):
    """End every browser session and app sign-in of the account; the session of ``request``
    (the resident's own, pressing the button) stays signed in."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    user.resident_tokens.active().revoke()
    if request is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


def reset_at_desk(user):
    """Staff, having checked the resident's identity in person: sign the account out
    everywhere and clear its password, so only a code texted to the number opens it."""
    user.session_epoch += 1
    user.set_unusable_password()
    user.save(update_fields=["session_epoch", "password"])
    # set_unusable_password revoked the apps' tokens when it was saved.
