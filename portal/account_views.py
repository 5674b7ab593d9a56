"""A resident's own pages beside allauth's: after sign-up, "my data", closing the account, the privacy notice."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import accounts, privacy
from portal.account_forms import DetailsForm
from portal.privacy import personal
from portal.redirects import next_url, requested_next


@personal
def welcome(request):
    return render(request, "account/welcome.html")


@personal
def my_data(request):
    paused_until = request.user.booking_paused_until
    if paused_until and paused_until <= timezone.now():
        paused_until = None
    context = {
        "version": settings.PRIVACY_NOTICE_VERSION,
        "paused_until": paused_until,
        "apps": request.user.resident_tokens.active().order_by("-created_at"),
        "sections": privacy.page_sections(request.user),
    }
    return render(request, "account/my_data.html", context)


@personal
@require_POST
def revoke_app(request, pk):
    """Sign one app out (its token ends); the resident's other apps stay signed in."""
    token = get_object_or_404(request.user.resident_tokens.active(), pk=pk)
    request.user.resident_tokens.filter(pk=token.pk).revoke()
    messages.success(request, _("That app is signed out."))
    return redirect("account_my_data")


@personal
@require_POST
def sign_out_everywhere(request):
    """Every other browser and every app is signed out; this one stays signed in."""
    accounts.sign_out_everywhere(request.user, request)
    messages.success(request, _("You are signed out on every other phone, computer and app."))
    return redirect("account_my_data")


@personal
def details(request):
    """A resident's own name, home and agreement, asked for when the account has none (an
    earlier sign-up with this number was never confirmed, so what it typed was dropped)."""
    user = request.user
    after = next_url(request, requested_next(request), "")
    if not accounts.needs_details(user):
        return redirect(after or "account_my_data")
    form = DetailsForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Thank you: your account is ready."))
            return redirect(after or "account_welcome")
        return render(request, "account/details.html", {"form": form, "next": after}, status=400)
    return render(request, "account/details.html", {"form": form, "next": after})


@personal
def my_data_download(request):
    response = JsonResponse(privacy.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@personal
def close_account(request):
    """Withdraw consent and close the account, after a confirmation step. Staff accounts are
    closed by an administrator, not here."""
    user = request.user
    staff = user.has_perm("wagtailadmin.access_admin")
    if request.method == "POST":
        if staff:
            raise PermissionDenied
        privacy.close_account(user)
        logout(request)
        return redirect("account_closed")
    return render(request, "account/close.html", {"staff": staff})


def account_closed(request):
    return render(request, "account/closed.html")


def retention_years():
    """settings.OUTREACH_RETENTION in whole years, as the privacy notice states them."""
    return {kind: round(days / 365) for kind, days in settings.OUTREACH_RETENTION.items()}


def privacy_notice(request):
    """The notice; a resident who agreed to an earlier version agrees to this one here (POST)."""
    user = request.user
    outdated = (
        user.is_authenticated
        and user.privacy_consent_at is not None
        and user.privacy_consent_version != settings.PRIVACY_NOTICE_VERSION
    )
    if request.method == "POST" and outdated:
        privacy.record_consent(user)
        user.save(update_fields=["privacy_consent_version", "privacy_consent_at"])
        messages.success(request, _("Thank you: you have agreed to the current privacy notice."))
        return redirect("account_my_data")
    context = {"version": settings.PRIVACY_NOTICE_VERSION, "outdated": outdated, "years": retention_years()}
    return render(request, "portal/privacy_notice.html", context)
