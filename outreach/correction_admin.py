"""Residents' requests for a correction in the Wagtail admin: the area's requests, those waiting
first (the oldest at the top), and one request with the reply staff give.

Rows come from the model's permission policy (docs/architecture.md, the area boundary): another
area's request is a 404, supervisors read every area's and answer none. The resident's name and
number are masked; their full record is a link away, where opening it is logged. Only those who
answer the request read the room and the request as the resident wrote it; supervisors read the
building, and the request with the names and numbers in it masked. Answering goes through
outreach/corrections.py.
"""

import functools

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from outreach import corrections, suggestions
from outreach.models import CorrectionRequest
from portal.area_admin import ScopedIndexView, ScopedInspectView
from portal.areas import changeable, readable, request_staff_area
from portal.phones import mask_phone
from portal.privacy import mask_name, mask_text
from portal.refusals import Refused, add_refusal

WAITING, ANSWERED = "waiting", "answered"


def resident_name(correction):
    return mask_name(correction.resident.get_full_name())


def request_text(correction, handles, names=suggestions.known_names):
    """What the resident asked: as written for whoever answers it (`handles`); for anyone else
    with every number masked, and the names the portal knows in the area (`names(area_id)`)."""
    if handles:
        return correction.text
    return mask_text(correction.text, names(correction.area_id))


def state(correction):
    if correction.handled_at:
        return _("Answered on %(day)s") % {"day": f"{timezone.localtime(correction.handled_at):%Y-%m-%d}"}
    return _("Waiting for a reply")


class CorrectionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=[(WAITING, gettext_lazy("Waiting for a reply")), (ANSWERED, gettext_lazy("Answered"))],
        method="filter_state",
    )

    class Meta:
        model = CorrectionRequest
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(handled_at__isnull=value == WAITING)


class CorrectionIndexView(ScopedIndexView):
    select_related = ("area", "resident")
    filterset_class = CorrectionFilterSet
    default_ordering = None

    def own_columns(self):
        return [
            TitleColumn(
                "at",
                label=_("Asked"),
                url_name="correction_requests:inspect",
                accessor=lambda c: f"{timezone.localtime(c.at):%Y-%m-%d %H:%M}",
            ),
            Column("resident", label=_("Resident"), accessor=resident_name),
            Column("text", label=_("What should be corrected"), accessor=lambda c: self.text_of(c)[:60]),
            Column("state", label=_("State"), accessor=state),
        ]

    @cached_property
    def names(self):
        """The names the portal knows in an area, looked up once for each area the list shows."""
        return functools.cache(suggestions.known_names)

    @cached_property
    def answered_area_id(self):
        """The area whose requests the reader answers (corrections.may_handle), known from the menu's question."""
        area = request_staff_area(self.request)
        return area.pk if area else None

    def text_of(self, correction):
        return request_text(correction, correction.area_id == self.answered_area_id, self.names)

    def order_queryset(self, queryset):
        """Waiting ones first, the oldest at the top; then the answered ones, newest first."""
        return queryset.annotate(
            answered=Case(When(handled_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("answered", "at", "-handled_at", "pk")


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("Reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What was corrected, or why it was not. The resident reads it on “My data” and is told by text message."
        ),
    )


class CorrectionInspectView(ScopedInspectView):
    """One request: what the resident asked, who they are (masked), and the reply or its form."""

    template_name = "outreach/admin/correction_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            readable(CorrectionRequest, self.request.user).select_related("area", "resident", "handled_by"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return resident_name(self.object)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        correction, user = self.object, self.request.user
        resident = correction.resident
        handles = corrections.may_handle(user, correction)
        may_answer = not correction.handled_at and handles
        home = (resident.building, resident.room_number) if handles else (resident.building,)
        context.update(
            correction=correction,
            text=request_text(correction, handles),
            resident_name=resident_name(correction),
            resident_phone=mask_phone(resident.phone) if resident.phone else "",
            home=" ".join(part for part in home if part),
            resident_in_area=resident.area_id == correction.area_id and handles,
            form=(form or ReplyForm()) if may_answer else None,
        )
        return context


class ReplyView(CorrectionInspectView):
    """The reply (a POST from the request's page); a refusal shows the page again with what was typed."""

    model = CorrectionRequest
    http_method_names = ["post"]

    def post(self, request, pk):
        self.pk = pk
        self.object = get_object_or_404(changeable(CorrectionRequest, request.user).select_related("resident"), pk=pk)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_with(form)
        try:
            corrections.handle(self.object, request.user, form.cleaned_data["reply"])
        except Refused as refusal:
            if not refusal.errors:  # answered meanwhile: the page shows the reply given
                messages.error(request, refusal.message)
                return redirect("correction_requests:inspect", pk)
            add_refusal(form, refusal)
            return self.render_with(form)
        messages.success(request, _("Answered: the resident is told by text message."))
        return redirect("correction_requests:index")

    def render_with(self, form):
        context = self.get_context_data(form=form, object=self.object)
        return TemplateResponse(self.request, self.template_name, context, status=400)
