"""The suggestions inbox of the Wagtail admin: the area's suggestions, overdue ones first and
marked; one suggestion with its photo, its whole history and the steps staff may take (the
answer started from a template, the public wording with the names jieba finds offered for
masking); recording a suggestion taken on a visit, at the desk or on the phone.

Rows come from the model's permission policy (docs/architecture.md, the area boundary): another
area's suggestion is a 404, supervisors read every area's and change none. The resident's name
and number are masked, and opening a suggestion is logged in its history (docs/architecture.md,
personal data). Every change goes through outreach/suggestions.py.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from outreach import records, suggestions
from outreach.forms import PhotoMixin
from outreach.models import Suggestion, SuggestionCategory, SuggestionEvent, Visit
from outreach.photos import photo_response
from portal.area_admin import AdminPageMixin, ScopedIndexView, ScopedInspectView
from portal.areas import changeable, policy, readable
from portal.localtime import local_day
from portal.models import User
from portal.phones import PhoneFormField, mask_phone
from portal.privacy import mask_name, mask_text, possible_names
from portal.refusals import add_refusal

Status = Suggestion.Status
Action = SuggestionEvent.Action


def resident_name(suggestion):
    resident = suggestion.resident
    return mask_name(resident.get_full_name()) if resident else ""


def staff_name(user):
    return (user.get_full_name() or user.get_username()) if user else _("the system")


def actor_name(event, suggestion):
    """Staff by name; residents never (the one who filed it, or a supporter)."""
    if event.by_id is None:
        return _("the system")
    if event.by_id == suggestion.resident_id:
        return _("the resident")
    if event.action == Action.FOLLOWED:
        return _("another resident")
    return staff_name(event.by)


class SuggestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices)
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category"), queryset=SuggestionCategory.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")

    class Meta:
        model = Suggestion
        fields = ["status", "category"]

    def filter_overdue(self, queryset, name, value):
        overdue = Suggestion.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class DueColumn(Column):
    """The deadline now running, marked when it has passed."""

    cell_template_name = "outreach/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        today = local_day(timezone.now())
        due = instance.accept_due if instance.status == Status.SUBMITTED else instance.answer_due
        context.update(due=due if instance.is_open else None, overdue=instance.is_open and due < today)
        context["provisional"] = instance.due_provisional
        return context


class SuggestionIndexView(ScopedIndexView):
    select_related = ("category", "area", "handler")
    filterset_class = SuggestionFilterSet
    default_ordering = None

    def own_columns(self):
        return [
            TitleColumn("number", label=_("Number"), url_name="suggestions:inspect"),
            Column("category", label=_("Category")),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("received_at", label=_("Received"), accessor=lambda s: local_day(s.received_at)),
            DueColumn("due", label=_("Due")),
            Column("handler", label=_("Handled by"), accessor=lambda s: staff_name(s.handler) if s.handler else "—"),
        ]

    def order_queryset(self, queryset):
        """Open ones first, the most urgent at the top; then the rest, newest first."""
        return queryset.annotate(
            closed=Case(When(status__in=Suggestion.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("closed", "answer_due", "-received_at", "-pk")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The resident reads it on the portal and is told by SMS."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is not accepted"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    transferred_to = forms.CharField(
        label=gettext_lazy("Transferred to"), max_length=100, help_text=gettext_lazy("For example 物业, 街道 or 12345.")
    )


class ExtendForm(forms.Form):
    extension_reason = forms.CharField(label=gettext_lazy("Why the answer needs more time"), max_length=200)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Internal note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Staff only: the resident never sees it."),
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=gettext_lazy("Merge into suggestion number"),
        max_length=20,
        help_text=gettext_lazy(
            "The suggestion this one repeats, such as 2026-0012. Whoever filed or supported this one will follow it."
        ),
    )


def merge_into_number(duplicate, user, number):
    into = Suggestion.objects.filter(area=duplicate.area_id, number=number.strip()).first()
    if into is None:
        raise suggestions.SuggestionRefused(
            _("There is no such suggestion in this area."), {"into": [_("No suggestion of this area has that number.")]}
        )
    return suggestions.merge(duplicate, into, user)


class OfferedNames(forms.MultipleChoiceField):
    """Names offered from the wording: one ticked that the wording no longer holds masks nothing."""

    def valid_value(self, value):
        return True


class PublicWordingForm(forms.Form):
    """The public wording, with the words jieba takes for people's names offered to mask: staff
    tick those that are names; nothing else is masked for them."""

    public_text = forms.CharField(
        label=gettext_lazy("Public wording"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Phone and ID numbers and the names the portal knows are masked already; check the rest."
        ),
    )
    mask_names = OfferedNames(
        label=gettext_lazy("Possibly a person's name:"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick each that is someone's name to show it as 张*国 on the board."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            text = self.data.get(self.add_prefix("public_text"), "")
        else:
            text = self.initial.get("public_text", "")
        names = possible_names(text)
        if names:
            self.fields["mask_names"].choices = [(name, name) for name in names]
        else:
            del self.fields["mask_names"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("public_text") and cleaned_data.get("mask_names"):
            cleaned_data["public_text"] = mask_text(cleaned_data["public_text"], cleaned_data["mask_names"])
        return cleaned_data


# Each step staff may take from the detail page: (its form, if it takes one; what it does).
STEPS = {
    "accept": (None, lambda s, user, data: suggestions.accept(s, user)),
    "start": (None, lambda s, user, data: suggestions.start(s, user)),
    "answer": (AnswerForm, lambda s, user, data: suggestions.answer(s, user, data["answer"])),
    "reject": (ReasonForm, lambda s, user, data: suggestions.reject(s, user, data["reason"])),
    "transfer": (TransferForm, lambda s, user, data: suggestions.transfer(s, user, data["transferred_to"])),
    "extend": (ExtendForm, lambda s, user, data: suggestions.extend(s, user, data["extension_reason"])),
    "note": (NoteForm, lambda s, user, data: suggestions.note(s, user, data["note"])),
    "merge": (MergeForm, lambda s, user, data: merge_into_number(s, user, data["into"])),
    "publish": (PublicWordingForm, lambda s, user, data: suggestions.approve_wording(s, user, data["public_text"])),
}


def available_steps(suggestion, user):
    """The steps this user may take on the suggestion now."""
    if not policy(Suggestion).user_has_permission_for_instance(user, "change", suggestion):
        return set()
    steps = {"note"}
    for step, action in (
        ("accept", Action.ACCEPTED),
        ("start", Action.STARTED),
        ("answer", Action.ANSWERED),
        ("reject", Action.REJECTED),
        ("transfer", Action.TRANSFERRED),
        ("merge", Action.MERGED),
    ):
        if suggestion.status in suggestions.STEPS[action]:
            steps.add(step)
    is_lead = user.groups.filter(pk=suggestion.area.lead_group_id).exists()
    if suggestion.is_open and suggestion.category.extendable and not suggestion.extension_reason and is_lead:
        steps.add("extend")
    if suggestion.public and suggestion.merged_into_id is None:
        steps.add("publish")
    return steps


class SuggestionInspectView(ScopedInspectView):
    template_name = "outreach/admin/suggestion_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            readable(Suggestion, self.request.user).select_related("area", "category", "resident", "handler"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get(self, request, *args, **kwargs):
        suggestions.log_viewed(self.object, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        suggestion, user = self.object, self.request.user
        steps = available_steps(suggestion, user)
        forms = forms or {}
        templates = list(suggestions.answer_templates(suggestion)) if "answer" in steps else []
        chosen = self.chosen_template(templates)
        for step in steps:
            form_class = STEPS[step][0]
            if form_class and step not in forms:
                initial = {}
                if step == "publish":
                    initial["public_text"] = suggestion.public_text or mask_text(
                        suggestion.text, suggestions.known_names(suggestion.area)
                    )
                if step == "answer" and chosen:
                    initial["answer"] = chosen.text
                forms[step] = form_class(initial=initial, prefix=step)
        context.update(
            suggestion=suggestion,
            steps=steps,
            forms=forms,
            resident_name=resident_name(suggestion),
            resident_phone=mask_phone(suggestion.resident.phone) if suggestion.resident else "",
            events=[(event, actor_name(event, suggestion)) for event in suggestion.events.select_related("by")],
            answer_templates=templates,
            chosen_template=chosen,
            # The home visits about it, those this user may read (outreach/records.py).
            visits=records.readable(Visit, user).filter(suggestion=suggestion).order_by("at"),
            today=local_day(timezone.now()),
        )
        return context

    def chosen_template(self, templates):
        """The template ?template=<id> names, if it is one offered (no script needed to use one)."""
        wanted = self.request.GET.get("template", "")
        return next((template for template in templates if str(template.pk) == wanted), None)


def photo(request, pk):
    """The suggestion's photo, for staff who may read it (their area's; supervisors every
    area's): each opening is in the suggestion's history, like opening the suggestion."""
    suggestion = get_object_or_404(readable(Suggestion, request.user).exclude(photo=""), pk=pk)
    response = photo_response(suggestion)
    suggestions.log_viewed(suggestion, request.user, note=_("the photo"))
    return response


class StepView(SuggestionInspectView):
    """One step on a suggestion (a POST from the detail page); a refusal shows the page again
    with the message beside what was typed."""

    model = Suggestion
    http_method_names = ["post"]

    def post(self, request, pk, step):
        if step not in STEPS:
            raise PermissionDenied
        self.pk = pk
        self.object = get_object_or_404(
            changeable(Suggestion, request.user).select_related("area", "category", "resident"), pk=pk
        )
        if step not in available_steps(self.object, request.user):
            raise PermissionDenied
        form_class, perform = STEPS[step]
        form = form_class(request.POST, prefix=step) if form_class else None
        if form is not None and not form.is_valid():
            return self.render_with(step, form, status=400)
        try:
            perform(self.object, request.user, form.cleaned_data if form else {})
        except suggestions.SuggestionRefused as refusal:
            if form is None:
                messages.error(request, refusal.message)
                return redirect("suggestions:inspect", pk)
            add_refusal(form, refusal)
            return self.render_with(step, form, status=refusal.status)
        messages.success(request, _("Saved: %(suggestion)s.") % {"suggestion": self.object.number})
        return redirect("suggestions:inspect", pk)

    def render_with(self, step, form, status):
        context = self.get_context_data(forms={step: form}, object=self.object)
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RecordForm(PhotoMixin, forms.Form):
    """A suggestion staff took down for a resident."""

    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=SuggestionCategory.objects.all())
    text = forms.CharField(
        label=gettext_lazy("What and where"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    channel = forms.ChoiceField(
        label=gettext_lazy("Received"),
        choices=[
            (c.value, c.label) for c in (Suggestion.Channel.VISIT, Suggestion.Channel.DESK, Suggestion.Channel.PHONE)
        ],
    )
    phone = PhoneFormField(
        label=gettext_lazy("Resident's mobile number"),
        required=False,
        help_text=gettext_lazy("If the resident has an account in this area, they can follow it on the portal."),
    )
    public = forms.BooleanField(
        label=gettext_lazy("The resident agrees to show it on the public board"), required=False
    )

    field_order = ["category", "text", "place", "photo", "channel", "phone", "public"]


class RecordView(AdminPageMixin, View):
    page_title = gettext_lazy("Record a suggestion")
    header_icon = "edit"
    template_name = "outreach/admin/record.html"

    def dispatch(self, request, *args, **kwargs):
        if not policy(Suggestion).user_has_permission(request.user, "add") or request.user.area_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(RecordForm())

    def post(self, request):
        form = RecordForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        resident = None
        if data["phone"]:
            resident = User.objects.filter(phone=data["phone"], area=request.user.area).first()
            if resident is None:
                form.add_error(
                    "phone", _("No resident of your area has this number; leave it empty to record it without.")
                )
                return self.render(form, status=400)
        try:
            suggestion = suggestions.submit(
                area=request.user.area,
                category=data["category"],
                text=data["text"],
                place=data["place"],
                public=data["public"],
                resident=resident,
                recorded_by=request.user,
                channel=data["channel"],
                photo=data["photo"],
            )
        except suggestions.SuggestionRefused as refusal:
            add_refusal(form, refusal)
            return self.render(form, status=refusal.status)
        messages.success(request, _("Recorded as %(number)s.") % {"number": suggestion.number})
        return redirect("suggestions:inspect", suggestion.pk)

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, self.get_context_data(form=form), status=status)

    @cached_property
    def index_url(self):
        return reverse("suggestions:index")
