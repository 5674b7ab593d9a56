"""The resident's side of the visit diary and reception log: the visits and reception cases that
concern them, each rated once (满意 / 基本满意 / 不满意). Staff's notes stay staff's: the resident sees
when, who and what for, not what was written down."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach import records
from outreach.forms import RecordRatingForm
from outreach.models import ReceptionCase, Visit
from outreach.records import KINDS
from portal.privacy import personal
from portal.refusals import Refused


@personal
def mine(request, failed=None, status=200):
    """The resident's visits and reception cases, newest first, with a rating form for each unrated one."""
    visits = Visit.objects.filter(resident=request.user).select_related("staff")[:30]
    cases = ReceptionCase.objects.filter(resident=request.user).select_related("staff", "service")[:30]
    rows = sorted(
        [("visit", v) for v in visits] + [("case", c) for c in cases], key=lambda row: row[1].at, reverse=True
    )
    forms = {
        (kind, record.pk): (
            failed[2] if failed and failed[:2] == (kind, record.pk) else RecordRatingForm(prefix=f"{kind}-{record.pk}")
        )
        for kind, record in rows
        if records.may_be_rated(record)
    }
    entries = [(kind, record, forms.get((kind, record.pk))) for kind, record in rows]
    return render(request, "outreach/my_visits.html", {"entries": entries}, status=status)


@personal
@require_POST
def rate(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    record = get_object_or_404(KINDS[kind].objects.filter(resident=request.user), pk=pk)
    form = RecordRatingForm(request.POST, prefix=f"{kind}-{pk}")
    if not form.is_valid():
        return mine(request, failed=(kind, record.pk, form), status=400)
    try:
        records.rate(record, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you for telling us."))
    return redirect("outreach:my_visits")
