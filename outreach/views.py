"""The residents' side of suggestions: the area's public board with the month's figures, filing a
suggestion, the resident's own suggestions with their whole public history, and rating an answer.

Server-rendered and usable without JavaScript. Every rule is in outreach/suggestions.py; a
refusal shows the form again with what was typed. A resident's pages are never cached.
"""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from booking.forms import add_refusal
from outreach import suggestions
from outreach.figures import month_figures
from outreach.forms import RatingForm, SuggestionForm
from outreach.models import Suggestion
from outreach.photos import photo_response
from outreach.similar import similar
from portal.privacy import personal
from portal.sites import area_of

BOARD_PAGE = 20


def board_month(request, today):
    """The month the board's figures are for: ?month=2026-11, or this month; never after it."""
    this_month = today.replace(day=1)
    try:
        month = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        return this_month
    return min(month, this_month) if month.year >= 2000 else this_month


def board(request):
    area = area_of(request)
    if area is None:
        raise Http404
    today = timezone.localdate()
    month = board_month(request, today)
    shown = Suggestion.objects.for_area(area).on_public_board().select_related("category").order_by("-received_at")
    page = Paginator(shown, BOARD_PAGE).get_page(request.GET.get("page"))
    previous_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month + dt.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "outreach/board.html",
        {
            "area": area,
            "page": page,
            "figures": month_figures(area, month, today),
            "previous_month": previous_month,
            "next_month": next_month if next_month <= today else None,
        },
    )


@personal
def new(request):
    area = area_of(request)
    resident = request.user
    if area is None or resident.area_id != area.pk:
        return render(request, "outreach/new.html", {"other_area": resident.area, "area": area}, status=403)
    form = SuggestionForm(request.POST or None, request.FILES or None)
    offered = []
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("send_anyway"):
            offered = similar(area, form.cleaned_data["text"], form.cleaned_data["category"])
    if request.method == "POST" and form.is_valid() and not offered:
        try:
            suggestion = suggestions.submit(resident=resident, area=area, **form.cleaned_data)
        except suggestions.SuggestionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Thank you. Your suggestion is number %(number)s.") % {"number": suggestion.number}
            )
            return redirect("outreach:suggestion", suggestion.pk)
    status = 400 if form.errors else 200
    return render(request, "outreach/new.html", {"form": form, "area": area, "similar": offered}, status=status)


@personal
@require_POST
def support(request, pk):
    """Support (附议) a suggestion on the area's board instead of filing the same again."""
    suggestion = get_object_or_404(
        Suggestion.objects.for_area(area_of(request)).on_public_board().filter(area=request.user.area_id), pk=pk
    )
    try:
        suggestions.follow(suggestion, request.user)
    except suggestions.SuggestionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("outreach:board")
    messages.success(
        request,
        _("You support suggestion %(number)s. You will hear about its answer too.") % {"number": suggestion.number},
    )
    return redirect("outreach:suggestion", suggestion.pk)


@personal
def mine(request):
    mine = Suggestion.objects.of_resident(request.user).select_related("category").order_by("-received_at", "-pk")
    return render(request, "outreach/mine.html", {"suggestions": mine[:50]})


def own_suggestion(request, pk):
    return get_object_or_404(Suggestion.objects.of_resident(request.user).select_related("category", "area"), pk=pk)


@personal
def detail(request, pk, form=None, status=200):
    suggestion = own_suggestion(request, pk)
    can_rate = suggestion.resident_id == request.user.pk and suggestion.status == Suggestion.Status.ANSWERED
    history = suggestion.events.filter(internal=False)
    context = {"suggestion": suggestion, "history": history, "form": form or (RatingForm() if can_rate else None)}
    return render(request, "outreach/suggestion.html", context, status=status)


@never_cache
def photo(request, pk):
    """The photo of a suggestion, for the resident who filed it only: to anyone else (a
    neighbour supporting it, someone signed out) it does not exist."""
    if not request.user.is_authenticated:
        raise Http404
    return photo_response(get_object_or_404(Suggestion.objects.filter(resident=request.user), pk=pk))


@personal
@require_POST
def rate(request, pk):
    suggestion = get_object_or_404(Suggestion.objects.filter(resident=request.user), pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, form=form, status=400)
    try:
        suggestions.rate(suggestion, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except suggestions.SuggestionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you for telling us."))
    return redirect("outreach:suggestion", pk)
