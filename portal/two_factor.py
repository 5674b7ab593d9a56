"""A second factor (TOTP, django-otp) for the admin accounts that can do the most harm.

Administrators (superusers), subdistrict supervisors and area leads must sign in to the admin
with their password *and* the 6-digit code of an authenticator app. Anyone else with a device
(ordinary staff who chose to set one up) must use it too.

* The login form (WAGTAILADMIN_USER_LOGIN_FORM) has a code field; for an account with a device
  a wrong or missing code fails like a wrong password (one message, so a guessed password is not
  confirmed), and counts against the same rate limit (portal.admin_auth).
* ``AdminTwoFactorMiddleware`` guards /admin/: a signed-in but unverified session (signed in on
  the residents' site, by ``force_login``, or from before the device existed) is sent to enter a
  code (``verify``); a role that needs a device and has none is sent to set one up (``setup``).
* An administrator can reset a colleague's device (Users admin, ``ResetView``), or on the
  server ``manage.py reset_two_factor <username>`` (for the last administrator).
"""

from base64 import b32encode

from allauth.core import ratelimit
from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.forms.auth import LoginForm
from wagtail.log_actions import log

from portal import admin_auth
from portal.area_admin import AdminPageMixin
from portal.areas import EVERY_AREA
from portal.models import Area
from portal.redirects import next_url, requested_next

LOG_ACTIONS = {
    "portal.user.two_factor_enabled": (
        gettext_lazy("Set up two-step verification"),
        gettext_lazy("Set up an authenticator app for signing in to the admin"),
    ),
    "portal.user.two_factor_reset": (
        gettext_lazy("Reset two-step verification"),
        gettext_lazy("Removed the account's authenticator app; it sets up a new one at its next sign-in"),
    ),
}


# Who


# Whoever holds one of these reaches many residents' records: every area's, or every account.
WIDE_PERMISSIONS = (EVERY_AREA, "portal.change_user")


def lead_groups():
    return Group.objects.filter(pk__in=Area.objects.exclude(lead_group=None).values("lead_group"))


def device_and_lead(user):
    """(has a confirmed device, leads an area), in one query, asked once per user object (a
    request's middleware and menu hooks ask the same question)."""
    if not hasattr(user, "_device_and_lead"):
        user._device_and_lead = _device_and_lead(user)
    return user._device_and_lead


def forget_device(user):
    """After a device is confirmed or reset, ask again."""
    try:
        del user._device_and_lead
    except AttributeError:
        pass


def _device_and_lead(user):
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            lead=Exists(lead_groups().filter(user=OuterRef("pk"))),
        )
        .values_list("device", "lead")
        .get()
    )


def needs_it(user, lead):
    """Administrators, whoever reads every area or manages accounts (subdistrict supervisors,
    however they were given it), and area leads."""
    return user.is_superuser or lead or any(user.has_perm(permission) for permission in WIDE_PERMISSIONS)


def requires_two_factor(user):
    return user.is_authenticated and needs_it(user, device_and_lead(user)[1])


def missing_step(request):
    """Where a signed-in session without the second factor must go first ("portal_2fa_verify"
    when the account has an app, "portal_2fa_setup" when its role needs one), or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    has_device, lead = device_and_lead(user)
    if has_device:
        return "portal_2fa_verify"
    return "portal_2fa_setup" if needs_it(user, lead) else None


def send_to(target, request):
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


# Signing in


class AdminLoginForm(LoginForm):
    """Wagtail's login form with the authenticator code (WAGTAILADMIN_USER_LOGIN_FORM)."""

    otp_token = forms.CharField(
        label=gettext_lazy("Authenticator code"),
        required=False,
        max_length=8,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "placeholder": "123456"}
        ),
        help_text=gettext_lazy("The 6 digits your authenticator app shows. Empty if you have not set one up."),
    )

    error_messages = {
        **LoginForm.error_messages,
        "invalid_login": gettext_lazy(
            "Your %(username_field)s, password or authenticator code didn't match. Please try again."
        ),
    }

    def clean(self):
        cleaned_data = super().clean()  # username and password (raises invalid_login)
        user = self.get_user()
        device = confirmed_device(user) if user is not None else None
        if device is not None:
            token = cleaned_data.get("otp_token") or ""
            # django_otp.verify_token: in a transaction, device row locked, throttling and
            # replay (last_t) enforced. None for a wrong, reused or throttled code.
            if not token or verify_token(user, device.persistent_id, token) is None:
                raise self.get_invalid_login_error()
            # django_otp's user_logged_in receiver stores it in the session: verified.
            user.otp_device = device
        return cleaned_data


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Authenticator code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}),
    )


class SetupForm(TokenForm):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = device

    def clean(self):
        cleaned_data = super().clean()
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=cleaned_data.get("password", "")) is None:
            raise forms.ValidationError(_("That is not your password."), code="password")
        token = cleaned_data.get("otp_token")
        if token and not self.device.verify_token(token):
            self.add_error(
                "otp_token", _("That code is not right. Codes change every 30 seconds: enter the current one.")
            )
        return cleaned_data


def _next_url(request):
    return next_url(request, requested_next(request), reverse("wagtailadmin_home"))


# Guarding the admin


ALWAYS_OPEN = {"wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite"}


class AdminTwoFactorMiddleware:
    """After OTPMiddleware and MessageMiddleware: the admin opens only once the second step is
    done. (Admin accounts cannot sign in on the residents' site, and an area's internal
    documents ask for it too: portal/wagtail_hooks.py.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/admin/"):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in ALWAYS_OPEN:
            return None
        target = missing_step(request)
        if target is None or name == target:
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return HttpResponseForbidden()
        return send_to(target, request)


# Views (register_admin_urls: behind require_admin_access)


class VerifyView(View):
    """Enter the code for a session signed in without one."""

    template_name = "portal/admin/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.device = confirmed_device(request.user)
        if self.device is None or request.user.is_verified():
            return redirect(_next_url(request))
        self.key = admin_auth.account_key(request.user.get_username())
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        context = {"form": form, "next": _next_url(self.request)}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not ratelimit.consume(request, action=admin_auth.ACTION, key=self.key, dry_run=True):
            form.is_valid()
            form.errors.clear()
            form.add_error(None, admin_auth.locked_out())
            return self.render(form, status=429)
        if form.is_valid() and verify_token(request.user, self.device.persistent_id, form.cleaned_data["otp_token"]):
            otp_login(request, self.device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        ratelimit.consume(request, action=admin_auth.ACTION, key=self.key)
        if not form.errors:
            form.add_error(
                "otp_token", _("That code is not right. Codes change every 30 seconds: enter the current one.")
            )
        return self.render(form)


class SetupView(AdminPageMixin, View):
    """Scan a QR code into an authenticator app, then enter a code and the password."""

    template_name = "portal/admin/two_factor_setup.html"
    page_title = gettext_lazy("Two-step verification")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if confirmed_device(request.user) is not None and not request.user.is_verified():
            return redirect("portal_2fa_verify")  # middleware does this too; belt and braces
        return super().dispatch(request, *args, **kwargs)

    def pending_device(self):
        """One unconfirmed device per user, kept until confirmed so that reloading the page
        does not change a code already scanned."""
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=self.request.user, name=_("Authenticator app"), confirmed=False)
        return device

    def get_context_data(self, **kwargs):
        import segno

        device = kwargs["device"]
        context = super().get_context_data(**kwargs)
        context.update(
            has_device=confirmed_device(self.request.user) is not None,
            required=requires_two_factor(self.request.user),
            qr_svg=segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff"),
            secret=_spaced(device),
            next=_next_url(self.request),
        )
        return context

    def get(self, request):
        device = self.pending_device()
        return TemplateResponse(
            request,
            self.template_name,
            self.get_context_data(device=device, form=SetupForm(request=request, device=device)),
        )

    def post(self, request):
        device = self.pending_device()
        key = admin_auth.account_key(request.user.get_username())
        if not ratelimit.consume(request, action=admin_auth.ACTION, key=key, dry_run=True):
            return TemplateResponse(
                request,
                self.template_name,
                self.get_context_data(device=device, form=SetupForm(request=request, device=device)),
                status=429,
            )
        form = SetupForm(request.POST, request=request, device=device)
        if not form.is_valid():
            ratelimit.consume(request, action=admin_auth.ACTION, key=key)
            return TemplateResponse(request, self.template_name, self.get_context_data(device=device, form=form))
        # One device per account: the new one replaces any other.
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        forget_device(request.user)
        otp_login(request, device)
        # log() looks the model up by type(instance): not request.user, a SimpleLazyObject.
        account = get_user_model().objects.get(pk=request.user.pk)
        log(account, "portal.user.two_factor_enabled", user=account)
        messages.success(request, _("Two-step verification is on. Sign in with a code from your app from now on."))
        return redirect(_next_url(request))


def _spaced(device):
    """The base32 secret, in groups of four for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def reset(account, by=None):
    """Remove every device of ``account`` and end its sessions: it sets up a new one at its next
    sign-in (required roles) or signs in with a password alone (others)."""
    from django_otp import devices_for_user

    from portal.accounts import sign_out_everywhere

    for device in list(devices_for_user(account, confirmed=None)):
        device.delete()
    forget_device(account)
    sign_out_everywhere(account)
    log(account, "portal.user.two_factor_reset", user=by)


class ResetView(admin_auth.AccountActionView):
    """An administrator removes a colleague's authenticator (lost or replaced phone)."""

    template_name = "portal/admin/two_factor_reset.html"
    page_title = gettext_lazy("Reset two-step verification")
    header_icon = "key"

    def may(self, user):
        return user.is_superuser

    def post(self, request, pk):
        reset(self.account, by=request.user)
        messages.success(
            request,
            _("%(user)s sets up two-step verification again at their next sign-in.")
            % {"user": self.account.get_username()},
        )
        return redirect("wagtailusers_users:edit", self.account.pk)
