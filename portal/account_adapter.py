"""django-allauth on our User: residents sign in with a mainland mobile number (docs/architecture.md, phone login).

allauth keeps phone numbers wherever the project says; ours are ``User.phone`` (stored +86…) and
``User.phone_verified``. Codes go out as text messages through ``portal.sms``.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from portal import accounts, sms
from portal.models import User
from portal.network import client_address
from portal.phones import PhoneFormField, normalize_phone


def user_display(user):
    """How allauth names the user in its messages ("signed in as …")."""
    return user.get_full_name() or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("This code is not right. Check the text message and type its 6 digits again."),
        "phone_password_mismatch": _(
            "The mobile number or the password is not right. No password? Leave it empty to get a code."
        ),
    }

    def phone_form_field(self, **kwargs):
        # allauth's PhoneField demands +86…; ours also takes the 11 digits residents type.
        kwargs["label"] = _("Mobile number")
        kwargs.setdefault("help_text", _("11 digits, such as 13812345678."))
        return PhoneFormField(**kwargs)

    def clean_phone(self, phone):
        return normalize_phone(phone)

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone):
        # A code reached the number: what was claimed before stands only for the claimant.
        accounts.prove_number(context.request, user, phone)

    def get_user_by_phone(self, phone):
        """The resident with this number. Staff, supervisors and administrators sign in to the
        admin only (with their password, and a second factor where their role needs one): their
        number opens nothing on the residents' site."""
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        user = User.objects.filter(phone=phone).first()
        if user is not None and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
            return None
        return user

    # Every text a code request sends, whether or not the number has an account, is counted
    # against the address's and the site's caps first.

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        sms.spend_code_allowance(context.request)
        # allauth passes `reauthentication` only when the code is for signing in.
        template = "login_code" if "reauthentication" in kwargs else "verification_code"
        sms.send(phone, template, code=code)

    def send_unknown_account_sms(self, phone, **kwargs):
        sms.spend_code_allowance(context.request)
        sms.send(phone, "unknown_account")

    def send_account_already_exists_sms(self, phone):
        sms.spend_code_allowance(context.request)
        sms.send(phone, "account_exists")

    def get_client_ip(self, request):
        # Rate limits count per client address, behind the proxies settings name (portal/network.py).
        return client_address(request)

    def populate_username(self, request, user):
        # Usernames appear in log labels and admin lists, so a resident's carries nothing personal.
        if not user.username:
            user.username = f"resident-{get_random_string(10, 'abcdefghijkmnpqrstuvwxyz23456789')}"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per email or username; with phone logins every number
        # would share one counter, and five wrong passwords anywhere would lock out everybody.
        if credentials.get("phone"):
            return f"phone:{credentials['phone']}"
        return super()._get_login_attempts_cache_key(request, **credentials)
