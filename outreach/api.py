"""Suggestions in the residents' JSON API (docs/architecture.md, our API beside Wagtail's).

A resident files suggestions to their own area's committee, reads their own with the whole
public history (those they support as the board shows them, never the filer's own words), and
rates an answer. Someone else's suggestion is 404, as if it did not exist. The categories and
the area's public board need no token; the board's area comes from the host, as for
/api/v1/occurrences, and shows only what staff approved for it, never a name. The views only
parse and shape; every rule is in outreach/suggestions.py.
"""

import datetime as dt
import functools

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from outreach import suggestions
from outreach.models import Suggestion, SuggestionCategory
from portal.api import ApiError, ErrorOut, Pages, RowId
from portal.api_auth import ResidentTokenAuth
from portal.localtime import local_day
from portal.sites import area_of

router = Router(tags=["suggestions"])
residents = ResidentTokenAuth()


class CategoryOut(Schema):
    slug: str
    name: str
    accept_working_days: int
    answer_working_days: int

    @staticmethod
    def resolve_name(category):
        return category.display_name


class SuggestionIn(Schema):
    category: str = Field(description="A category's slug (GET /suggestions/categories).")
    text: str = Field(description="What and where, up to 2000 characters.")
    place: str = Field("", description="Where, in a few words (optional).")
    public: bool = Field(False, description="Whether staff may show it on the area's board, never with the name.")


def filed_by_caller(suggestion, context):
    """A supporter (附议) reads what the board shows, never the filer's own words; only the filer rates."""
    return suggestion.resident_id == context["request"].auth.pk


def area_names(suggestion, context):
    """suggestions.known_names of the suggestion's area, looked up once per request and area."""
    request = context["request"]
    if not hasattr(request, "_known_names"):
        request._known_names = functools.cache(suggestions.known_names)
    return request._known_names(suggestion.area_id)


class EventOut(Schema):
    action: str
    action_display: str
    at: dt.datetime
    note: str = Field(
        description="For a suggestion the caller supports, only why it was not accepted or to whom it went."
    )

    @staticmethod
    def resolve_action_display(event):
        return event.get_action_display()

    @staticmethod
    def resolve_note(event, context):
        # The events come prefetched with their suggestion (_mine): reading it costs nothing.
        return suggestions.shown_note(event, filed_by_caller(event.suggestion, context))


class SuggestionOut(Schema):
    id: int
    number: str
    category: str = Field(description="The category's slug.")
    text: str = Field(description="What the caller filed; for a suggestion they support, the board's approved wording.")
    place: str = Field(description="Empty for a suggestion the caller supports.")
    public: bool
    status: str
    status_display: str
    received_at: dt.datetime
    accept_due: dt.date
    answer_due: dt.date
    due_provisional: bool = Field(description="True while a deadline runs through a year without holiday data.")
    answer: str = Field(
        description="For a suggestion the caller supports, as the board shows it: names and numbers masked."
    )
    reason: str
    transferred_to: str
    rating: str = Field(description="Empty for a suggestion the caller supports.")
    can_rate: bool
    history: list[EventOut] = Field(description="Every step but staff's internal notes, oldest first.")

    @staticmethod
    def resolve_category(suggestion):
        return suggestion.category.slug

    @staticmethod
    def resolve_status_display(suggestion):
        return suggestion.get_status_display()

    @staticmethod
    def resolve_text(suggestion, context):
        if filed_by_caller(suggestion, context):
            return suggestion.text
        return suggestion.public_text if suggestion.public_approved_at else ""

    @staticmethod
    def resolve_place(suggestion, context):
        return suggestion.place if filed_by_caller(suggestion, context) else ""

    @staticmethod
    def resolve_answer(suggestion, context):
        if filed_by_caller(suggestion, context):
            return suggestion.answer
        return suggestions.public_answer(suggestion, area_names(suggestion, context))

    @staticmethod
    def resolve_rating(suggestion, context):
        return suggestion.rating if filed_by_caller(suggestion, context) else ""

    @staticmethod
    def resolve_can_rate(suggestion, context):
        return suggestion.status == Suggestion.Status.ANSWERED and filed_by_caller(suggestion, context)

    @staticmethod
    def resolve_history(suggestion):
        return [event for event in suggestion.events.all() if not event.internal]


class FiledOut(Schema):
    id: int
    number: str
    status: str
    accept_due: dt.date
    answer_due: dt.date


class RatingIn(Schema):
    rating: str = Field(description='"satisfied", "fair" or "unsatisfied".')
    comment: str = Field("", description="Up to 500 characters.")


class BoardOut(Schema):
    number: str
    category: str
    text: str = Field(description="The public wording staff approved.")
    status: str
    status_display: str
    received_at: dt.date
    answered_at: dt.date | None
    answer: str = Field(description="As on the board and its A4 sheet: names and numbers masked.")

    @staticmethod
    def resolve_category(suggestion):
        return suggestion.category.display_name

    @staticmethod
    def resolve_answer(suggestion, context):
        return suggestions.public_answer(suggestion, area_names(suggestion, context))

    @staticmethod
    def resolve_text(suggestion):
        return suggestion.public_text

    @staticmethod
    def resolve_status_display(suggestion):
        return suggestion.get_status_display()

    @staticmethod
    def resolve_received_at(suggestion):
        return local_day(suggestion.received_at)

    @staticmethod
    def resolve_answered_at(suggestion):
        return local_day(suggestion.answered_at) if suggestion.answered_at else None


NOT_FOUND = gettext_lazy("There is no such suggestion.")


def _refused(refusal):
    return ApiError(refusal.status, refusal.message, refusal.errors)


def _mine(request):
    return (
        Suggestion.objects.of_resident(request.auth)
        .select_related("category")
        .prefetch_related("events")
        .order_by("-received_at", "-pk")
    )


@router.get("/suggestions/categories", response=list[CategoryOut], auth=None, summary="What suggestions can be about")
def categories(request):
    """With the working days staff have to accept and to answer each."""
    return SuggestionCategory.objects.all()


@router.get(
    "/suggestions/public",
    response=list[BoardOut],
    auth=None,
    summary="The area's public board",
)
@paginate(Pages, page_size=20)
def board(request):
    """The suggestions residents allowed to be shown, in the wording staff approved, newest first.
    The area is the host's."""
    area = area_of(request)
    if area is None:
        return Suggestion.objects.none()
    return Suggestion.objects.for_area(area).on_public_board().select_related("category").order_by("-received_at")


@router.post(
    "/suggestions",
    response={201: FiledOut, 400: ErrorOut, 403: ErrorOut},
    auth=residents,
    summary="File a suggestion",
)
def file(request, payload: SuggestionIn):
    """201 with its number and the dates by which it will be accepted and answered (Shanghai)."""
    resident = request.auth
    if resident.area_id is None:
        raise ApiError(403, _("Your account belongs to no residents' area yet: please ask at the reception desk."))
    category = SuggestionCategory.objects.filter(slug=payload.category).first()
    try:
        suggestion = suggestions.submit(
            area=resident.area,
            category=category,
            text=payload.text,
            place=payload.place,
            public=payload.public,
            resident=resident,
            channel=Suggestion.Channel.API,
        )
    except suggestions.SuggestionRefused as refusal:
        raise _refused(refusal) from refusal
    return Status(201, suggestion)


@router.get("/suggestions", response=list[SuggestionOut], auth=residents, summary="My suggestions")
@paginate(Pages, page_size=20)
def mine(request):
    """Those I filed or support, newest first."""
    return _mine(request)


@router.get(
    "/suggestions/{suggestion_id}",
    response={200: SuggestionOut, 404: ErrorOut},
    auth=residents,
    summary="One of my suggestions",
)
def one(request, suggestion_id: RowId):
    suggestion = _mine(request).filter(pk=suggestion_id).first()
    if suggestion is None:
        raise ApiError(404, NOT_FOUND)
    return suggestion


@router.post(
    "/suggestions/{suggestion_id}/rating",
    response={200: SuggestionOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=residents,
    summary="Rate the answer to my suggestion",
)
def rating(request, suggestion_id: RowId, payload: RatingIn):
    """Satisfied or fairly satisfied closes it; unsatisfied sends it back with a new answer
    deadline. Only the resident who filed it rates it, once it is answered (409 otherwise)."""
    suggestion = get_object_or_404(Suggestion.objects.filter(resident=request.auth), pk=suggestion_id)
    try:
        suggestions.rate(suggestion, request.auth, payload.rating, payload.comment)
    except suggestions.SuggestionRefused as refusal:
        raise _refused(refusal) from refusal
    return _mine(request).get(pk=suggestion.pk)
