"""A resident's own pages beside allauth's: after sign-up, "my data", closing the account, the privacy notice."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal import privacy


@never_cache
@login_required
def welcome(request):
    return render(request, "account/welcome.html")


@never_cache
@login_required
def my_data(request):
    paused_until = request.user.booking_paused_until
    if paused_until and paused_until <= timezone.now():
        paused_until = None
    context = {"version": settings.PRIVACY_NOTICE_VERSION, "paused_until": paused_until}
    return render(request, "account/my_data.html", context)


@never_cache
@login_required
def my_data_download(request):
    response = JsonResponse(privacy.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
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


def privacy_notice(request):
    return render(request, "portal/privacy_notice.html", {"version": settings.PRIVACY_NOTICE_VERSION})
