"""The residents' side of suggestions: the area's public board with the month's figures and its
A4 sheet for the notice board, filing a suggestion (signed in, or signed out with a number and a
code texted to it), the resident's own suggestions with their whole public history and their
photos, and rating an answer.

Server-rendered and usable without JavaScript. Every rule is in outreach/suggestions.py; a
refusal shows the form again with what was typed. A resident's pages are never cached.
"""

import datetime as dt

from allauth.account.adapter import get_adapter
from allauth.core.exceptions import RateLimited
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from outreach import corrections, suggestions
from outreach.figures import month_figures
from outreach.forms import CorrectionForm, RatingForm, SignedOutSuggestionForm, SuggestionForm
from outreach.models import Suggestion
from outreach.photos import photo_response
from outreach.similar import similar
from portal import accounts
from portal.localtime import at
from portal.phone_codes import PhoneCode
from portal.phones import national
from portal.privacy import personal
from portal.refusals import Refused, add_refusal
from portal.sites import area_of
from staff.views import qr_svg

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
    """The area's suggestions in their approved public wording, a page at a time, with the
    answers as on the A4 sheet (suggestions.with_public_answers), and the month's figures."""
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
            "shown": suggestions.with_public_answers(page, area),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "figures": month_figures(area, month, today),
            "previous_month": previous_month,
            "next_month": next_month if next_month <= today else None,
        },
    )


def print_sheet(request):
    """The board's month on one A4 sheet for the lobby notice board: the figures, and the
    suggestions answered that month in their approved public wording. Nothing personal: answers
    go through mask_text too, since paper stays up for weeks."""
    area = area_of(request)
    if area is None:
        raise Http404
    today = timezone.localdate()
    month = board_month(request, today)
    following = (month + dt.timedelta(days=31)).replace(day=1)
    answered = (
        Suggestion.objects.for_area(area)
        .on_public_board()
        .filter(answered_at__gte=at(month, dt.time.min), answered_at__lt=at(following, dt.time.min))
        .select_related("category")
        .order_by("answered_at", "pk")
    )
    board_url = request.build_absolute_uri(reverse("outreach:board"))
    context = {
        "area": area,
        "figures": month_figures(area, month, today),
        "answered": suggestions.with_public_answers(answered, area),
        "board_url": board_url,
        "qr": qr_svg(board_url, _("QR code of the suggestions board")),
    }
    return render(request, "outreach/print.html", context)


@never_cache
def new(request):
    """Filing a suggestion: signed in as a resident of the site's area, or signed out with a
    mobile number and the code texted to it."""
    area = area_of(request)
    if not request.user.is_authenticated:
        return new_signed_out(request, area)
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
            thank(request, suggestion)
            return redirect("outreach:suggestion", suggestion.pk)
    return render_new(request, form, area, similar=offered)


def thank(request, suggestion):
    messages.success(request, _("Thank you. Your suggestion is number %(number)s.") % {"number": suggestion.number})


def render_new(request, form, area, status=None, **context):
    """The form again, with what was typed; a photo chosen before must be chosen again (browsers
    never fill a file field in)."""
    photo_again = "photo" in request.FILES and "photo" in form.fields and not form.has_error("photo")
    context.update(form=form, area=area, photo_again=photo_again)
    return render(request, "outreach/new.html", context, status=status or (400 if form.errors else 200))


CODE_PURPOSE = "suggestion"


def new_signed_out(request, area):
    """The number and the agreement to the privacy notice first: a code is texted to the number
    (allauth's limits apply, portal/phone_codes.py); with the right code the suggestion is filed
    as the number's resident (a new account in this area for a number without one, with the
    agreement: portal/accounts.py), who is then signed in."""
    if area is None:
        raise Http404
    code = PhoneCode.resume(request, CODE_PURPOSE)
    sending = request.method == "POST" and ("send_code" in request.POST or code is None)
    form = SignedOutSuggestionForm(
        request.POST or None,
        request.FILES or None,
        initial={"phone": national(code.phone)} if code else None,
        code_sent=code is not None,
    )
    if request.method != "POST" or not form.is_valid():
        return render_new(request, form, area, code=code)
    phone = form.cleaned_data["phone"]
    if sending or phone != code.phone:
        return send_code(request, form, area, phone)
    if not code.check(form.cleaned_data["code"]):
        code = PhoneCode.resume(request, CODE_PURPOSE)  # gone after the last wrong try allowed
        wrong = get_adapter(request).error_messages["incorrect_code"]
        form.add_error("code", wrong if code else _("This code can no longer be used. Ask for a new one."))
        return render_new(request, form, area, code=code)
    return file_signed_out(request, form, area, phone)


def send_code(request, form, area, phone):
    try:
        code = PhoneCode.send_to(request, CODE_PURPOSE, phone)
    except RateLimited:
        form.add_error(
            "phone", _("Too many codes were asked for. Please try again later, or ask at the reception desk.")
        )
        return render_new(request, form, area, code=PhoneCode.resume(request, CODE_PURPOSE))
    # The code's field (and the photo's) is on the page from now on, with what was typed.
    typed = form.cleaned_data | {"phone": national(phone), "code": ""}
    form = SignedOutSuggestionForm(initial=typed, code_sent=True)
    return render_new(request, form, area, code=code)


def other_area_message(area):
    if area is None:
        return _("Your account belongs to no residents' area yet: please ask at the reception desk.")
    return _(
        "Your account belongs to %(area)s. Suggestions go to your own area's committee; please use your own "
        "area's site."
    ) % {"area": area.name}


def file_signed_out(request, form, area, phone):
    with transaction.atomic():
        resident = accounts.resident_with_proven_number(request, phone, area, agreed=form.cleaned_data["consent"])
        if resident is None:
            form.add_error(None, _("This number cannot make a suggestion here. Please ask at the reception desk."))
            return render_new(request, form, area, status=403)
        if resident.area_id != area.pk:
            form.add_error(None, other_area_message(resident.area))
            return render_new(request, form, area, status=403)
        try:
            suggestion = suggestions.submit(resident=resident, area=area, **form.suggestion())
        except suggestions.SuggestionRefused as refusal:
            add_refusal(form, refusal)
            transaction.set_rollback(True)
            return render_new(request, form, area)
    thank(request, suggestion)
    return accounts.sign_in_by_code(request, resident, phone, reverse("outreach:suggestion", args=[suggestion.pk]))


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
    filer = suggestion.resident_id == request.user.pk
    shown_answer = suggestion.answer
    if not filer:
        shown_answer = suggestions.public_answer(suggestion, suggestions.known_names(suggestion.area_id))
    context = {
        "suggestion": suggestion,
        "filer": filer,
        # A supporter reads the suggestion and its answer as the board shows them, never the filer's own words.
        "shown_text": suggestion.text if filer else suggestion.public_text if suggestion.public_approved_at else "",
        "shown_answer": shown_answer,
        "history": history,
        "form": form or (RatingForm() if can_rate else None),
    }
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


@personal
def ask_correction(request):
    """A resident asks staff to correct a record (the form is on "My data"); a refusal shows the
    form again on a page of its own, with what was typed."""
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.ask(request.user, form.cleaned_data["text"])
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Thank you. Staff will look at your request and reply here."))
            return redirect(reverse("account_my_data") + "#corrections")
    status = 400 if form.errors else 200
    return render(request, "outreach/correction.html", {"form": form}, status=status)
