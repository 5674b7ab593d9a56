"""Signing in to the residents' JSON API: a code by SMS or a password gives a bearer token (docs/architecture.md, our API beside Wagtail's).

The mini-program client keeps no browser session, so allauth's login-by-code process (which lives
in the session) cannot carry the code from one request to the next. The code is kept in the cache
under the phone number instead; everything else is allauth's: its code format, lifetime and attempt
limit, its password authentication, its SMS hooks (our adapter) and its rate limits ("login",
"login_failed", "request_login_code"), so the API and the web pages share one set of counters.

Other routers protect their routes with ``auth=ResidentTokenAuth()``; ``request.auth`` is then the
resident's ``User``.
"""

import hashlib
from datetime import datetime, timedelta

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from allauth.core.internal.cryptokit import compare_user_code
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from portal import accounts
from portal.api import ApiError, ErrorOut
from portal.models import ApiToken
from portal.phones import normalize_phone

# Writing last_used_at on every request would serialise readers on SQLite; this is precise enough.
LAST_USED_PRECISION = timedelta(minutes=5)


class ResidentTokenAuth(HttpBearer):
    """A resident's bearer token from POST /api/v1/auth/token: active, unexpired, unrevoked,
    of an account that is active and not closed."""

    def authenticate(self, request, key):
        token = ApiToken.objects.for_key(key)
        if token is None or not usable(token.user):
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.api_token = token
        return token.user


def usable(user):
    """An account the API may act for: open, with its number proven and its details given."""
    return user.is_active and not user.anonymised_at and user.phone_verified and not accounts.needs_details(user)


router = Router(tags=["sign in"])


class PhoneIn(Schema):
    phone: str


class TokenIn(Schema):
    phone: str
    password: str | None = None
    code: str | None = None


class CodeSentOut(Schema):
    detail: str
    expires_in: int


class TokenOut(Schema):
    token: str
    expires_at: datetime


def clean_phone(value):
    if not (value or "").strip():
        raise ApiError(400, _("Please check what was sent."), {"phone": [_("Please enter your mobile number.")]})
    try:
        return normalize_phone(value)
    except ValidationError as error:
        raise ApiError(400, _("Please check what was sent."), {"phone": error.messages}) from None


def too_many_attempts():
    return ApiError(429, get_adapter().error_messages["too_many_login_attempts"])


def code_cache_key(phone):
    return "api-login-code:" + hashlib.sha256(phone.encode()).hexdigest()


@router.post("/code", response={202: CodeSentOut, 400: ErrorOut, 429: ErrorOut})
def request_code(request, payload: PhoneIn):
    """Text a sign-in code to the number. The answer is the same whether or not the number has
    an account (a number without one is told so by SMS), so nobody can probe who is signed up."""
    phone = clean_phone(payload.phone)
    if not ratelimit.consume(request, action="request_login_code", key=phone):
        raise too_many_attempts()
    adapter = get_adapter(request)
    user = adapter.get_user_by_phone(phone)
    if user is not None and user.is_active:
        code = adapter.generate_phone_verification_code(user=user, phone=phone)
        cache.set(code_cache_key(phone), {"code": code, "failed": 0}, allauth_settings.LOGIN_BY_CODE_TIMEOUT)
        adapter.send_verification_code_sms(user=user, phone=phone, code=code, reauthentication=False)
    else:
        adapter.send_unknown_account_sms(phone)
    detail = _("If this number has an account, a code is on its way by text message.")
    return Status(202, {"detail": detail, "expires_in": allauth_settings.LOGIN_BY_CODE_TIMEOUT})


def user_by_code(request, phone, code):
    key = code_cache_key(phone)
    state = cache.get(key)
    if state is None:
        return None
    if compare_user_code(actual=code, expected=state["code"]):
        cache.delete(key)
        adapter = get_adapter(request)
        user = adapter.get_user_by_phone(phone)
        if user is not None:
            adapter.set_phone_verified(user, phone)  # the code reached this phone
        return user
    state["failed"] += 1
    if state["failed"] >= allauth_settings.LOGIN_BY_CODE_MAX_ATTEMPTS:
        cache.delete(key)
    else:
        cache.set(key, state, allauth_settings.LOGIN_BY_CODE_TIMEOUT)
    return None


def user_by_password(request, phone, password):
    try:
        return get_adapter(request).authenticate(request, phone=phone, password=password)
    except ValidationError:  # allauth's "login_failed" limit for this number or address
        raise too_many_attempts() from None


@router.post("/token", response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def issue_token(request, payload: TokenIn):
    """A bearer token for 30 days, for {"phone", "code"} (from POST /auth/code) or {"phone", "password"}.

    403: the number has not been proven yet (sign in with a code instead), or the account's
    details are missing (the resident gives them on the website first)."""
    phone = clean_phone(payload.phone)
    if bool(payload.code) == bool(payload.password):
        raise ApiError(400, _("Send either the code from the text message or your password."))
    if not ratelimit.consume(request, action="login"):
        raise too_many_attempts()
    if payload.code:
        user = user_by_code(request, phone, payload.code)
    else:
        user = user_by_password(request, phone, payload.password)
    if user is None or not user.is_active:
        raise ApiError(401, _("The mobile number and code or password do not match. Please try again."))
    if not user.phone_verified:
        raise ApiError(403, _("This mobile number has not been confirmed yet. Sign in with a code sent to it instead."))
    if accounts.needs_details(user):
        raise ApiError(
            403, _("Please finish opening your account on the website first: your name, home and agreement.")
        )
    token, key = ApiToken.objects.issue(user, client=request.headers.get("User-Agent", ""))
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return {"token": key, "expires_at": token.expires_at}


@router.post("/logout", auth=ResidentTokenAuth(), response={204: None, 401: ErrorOut})
def logout(request):
    """Revoke the token this request was made with."""
    ApiToken.objects.filter(pk=request.api_token.pk).revoke()
    return Status(204, None)
