"""Signing in to the Wagtail admin: staff's guesses are limited, as residents' are.

Wagtail's login view has no limit of its own. Failed attempts are counted with allauth's rate
limits (the same cache-backed counters the residents' login uses, shared by every process when
the cache is Redis): per account name and per client address ("admin_login_failed" in
ACCOUNT_RATE_LIMITS). Once either is spent, the form answers 429 with a clear message until
the window passes or an administrator unlocks the account (``unlock``: the user's page in the
Users admin, or ``manage.py unlock_admin_login <username>``).
"""

import unicodedata

from allauth.core import ratelimit
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.account import LoginView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from portal.redirects import next_url

ACTION = "admin_login_failed"
LOG_ACTIONS = {
    "portal.user.unlock_sign_in": (
        gettext_lazy("Unlock admin sign-in"),
        gettext_lazy("Let the account sign in to the admin again after too many failures"),
    ),
}


def locked_out():
    return _(
        "Too many failed sign-ins for this account or from this address. Try again in 15 minutes, "
        "or ask an administrator to unlock your account."
    )


def account_key(username):
    """One key per account name however it is spelled: Wagtail's form signs in ｘｈｙ-staff (full
    width) as xhy-staff (NFKC), so the limit counts them together."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def unlock(username="", address=None):
    """Let ``username``, or everyone at ``address``, try again now."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = address or "0.0.0.0"
    ratelimit.clear(request, action=ACTION, key=account_key(username))


class ThrottledLoginView(LoginView):
    def get_redirect_url(self):
        # Django accepts any same-site text ("60"), which redirect() then takes for a view name.
        return next_url(self.request, super().get_redirect_url(), "")

    def post(self, request, *args, **kwargs):
        self.key = account_key(request.POST.get("username"))
        if not ratelimit.consume(request, action=ACTION, key=self.key, dry_run=True):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, locked_out())
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # Only failures count, so a valid sign-in never spends the allowance; it does not
        # reset it either (an attacker with one account could otherwise clear the address's).
        ratelimit.consume(self.request, action=ACTION, key=self.key)
        return super().form_invalid(form)


class AccountActionView(WagtailAdminTemplateMixin, View):
    """An administrator's action on a colleague's account, from the Users admin: a confirmation
    page (GET), then the action (POST) and back to the account."""

    def may(self, user):
        return user.has_perm(f"{get_user_model()._meta.app_label}.change_user")

    def dispatch(self, request, pk):
        if not self.may(request.user):
            raise PermissionDenied
        self.account = get_object_or_404(get_user_model(), pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return TemplateResponse(request, self.template_name, self.get_context_data(account=self.account))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": _("Users")},
            {"url": reverse("wagtailusers_users:edit", args=[self.account.pk]), "label": self.account.get_username()},
            {"url": "", "label": self.get_page_title()},
        ]


class UnlockView(AccountActionView):
    """An administrator lets a locked-out colleague sign in again."""

    template_name = "portal/admin/unlock_sign_in.html"
    page_title = gettext_lazy("Unlock sign-in")
    header_icon = "lock-open"

    def post(self, request, pk):
        unlock(self.account.get_username())
        log(self.account, "portal.user.unlock_sign_in", user=request.user)
        messages.success(request, _("%(user)s can sign in again now.") % {"user": self.account.get_username()})
        return redirect("wagtailusers_users:edit", self.account.pk)
