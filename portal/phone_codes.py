"""Proving a mobile number on a page of another flow (filing a suggestion signed out): a code
texted to the number and typed back on the same page (docs/architecture.md, phone login).

Everything but where the code is kept is allauth's, as in signing in by code (and in
portal/api_auth.py for the API): its code format, its phone verification's lifetime and
attempt limit, its rate limit on code requests per number and per address (the
"request_login_code" counters signing in uses too), and our adapter's text, counted against the
SMS caps (portal/sms.py). The code is kept in the browser's session beside the number it went
to, so only the browser that asked for it can use it.
"""

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.code_verification import AbstractCodeVerificationProcess
from allauth.core import ratelimit
from allauth.core.exceptions import RateLimited
from allauth.core.internal.cryptokit import compare_user_code

SESSION_KEY = "portal_phone_code:"


class PhoneCode(AbstractCodeVerificationProcess):
    """One code texted to one number for one purpose (such as "suggestion")."""

    def __init__(self, request, purpose, state):
        self.request = request
        self.key = SESSION_KEY + purpose
        super().__init__(
            max_attempts=app_settings.PHONE_VERIFICATION_MAX_ATTEMPTS,
            timeout=app_settings.PHONE_VERIFICATION_TIMEOUT,
            state=state,
        )

    @classmethod
    def send_to(cls, request, purpose, phone):
        """Text a new code to `phone` (stored form, +86…), replacing any code sent before.
        RateLimited when the number or the address has asked too often, or the SMS caps are spent."""
        if not ratelimit.consume(request, action="request_login_code", key=phone):
            raise RateLimited
        code = cls(request, purpose, cls.initial_state(user=None, phone=phone))
        code.send()
        return code

    @classmethod
    def resume(cls, request, purpose):
        """The code this session was sent for `purpose` and may still use, or None."""
        state = request.session.get(SESSION_KEY + purpose)
        return cls(request, purpose, state).abort_if_invalid() if state else None

    @property
    def phone(self):
        return self.state["phone"]

    def send(self):
        adapter = get_adapter(self.request)
        self.state["code"] = adapter.generate_phone_verification_code(user=None, phone=self.phone)
        adapter.send_verification_code_sms(user=None, phone=self.phone, code=self.code)
        self.persist()

    def check(self, typed):
        """Whether `typed` is the code: a right one proves the number once and is used up; the
        last wrong one allowed ends it too (a new code must be asked for)."""
        if not self.is_valid():
            self.abort()
            return False
        if compare_user_code(actual=typed or "", expected=self.code):
            self.abort()
            return True
        self.record_invalid_attempt()
        return False

    def persist(self):
        self.request.session[self.key] = self.state

    def abort(self):
        self.request.session.pop(self.key, None)
