"""The visit diary and reception log in the Wagtail admin (民情日记), made for a phone.

- "Record a visit" opens with the staff member's published home-visit shifts of today: picking
  one fills in the building. The form keeps what was typed in the browser until it is sent
  (outreach/static/outreach/keep-form.js), and works as a plain form without JavaScript.
- Lists and records come from outreach.records.readable: one's own records, the lead's area,
  the supervisor's every area (read-only, households masked). Opening a record is logged, and
  showing its sensitive details is logged apart.
- The quarter page sets each staff member's figures side by side; the lead reviews each one
  there, and hands a departing member's open work to a colleague.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views import View
from wagtail.admin import messages

from outreach import records, reviews, suggestions
from outreach.models import QuarterReview, Rating, ReceptionCase, RecordAccess, Suggestion, SuggestionCategory, Visit
from outreach.records import KINDS
from portal.area_admin import AdminPageMixin
from portal.areas import areas_for, sees_every_area, staff_area
from portal.dates import DateTimeField, Quarter
from portal.ids import is_id
from portal.localtime import local_day
from portal.models import Building, User
from portal.phones import PhoneFormField
from portal.refusals import Refused, add_refusal
from services.models import ServiceGuidePage

Access = RecordAccess.Action


class RecordForm(forms.ModelForm):
    """What a visit and a reception case share: the household, when, how long, the sensitive detail."""

    resident_phone = PhoneFormField(
        label=gettext_lazy("Resident's mobile number"),
        required=False,
        help_text=gettext_lazy("If they have an account: they can then rate the visit on the portal."),
    )
    at = DateTimeField(
        label=gettext_lazy("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    sensitive_consent = forms.BooleanField(
        label=gettext_lazy("The resident agreed separately to have the sensitive details recorded"), required=False
    )

    household_fields = ["building", "room_number", "household_name", "household_phone"]

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["building"].queryset = Building.objects.of_area(area)
        self.fields["household_name"].label = _("Name of the person met")
        self.fields["household_phone"].label = _("Number to call back")
        self.fields["minutes"].widget.attrs.update(min=1, max=records.LONGEST_VISIT, inputmode="numeric")
        if self.instance.resident_id:
            self.fields["resident_phone"].initial = self.instance.resident.phone

    def clean(self):
        data = super().clean()
        phone = data.get("resident_phone")
        self.instance.resident = None
        if phone:
            resident = User.objects.filter(phone=phone, area=self.area, is_active=True).first()
            if resident is None:
                self.add_error("resident_phone", _("No resident of your area has this number; leave it empty."))
            else:
                self.instance.resident = resident
        return data


class VisitForm(RecordForm):
    suggestion_number = forms.CharField(
        label=gettext_lazy("About suggestion number"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("For example 2026-0012, if the visit was about a resident's suggestion."),
    )
    new_suggestion = forms.ModelChoiceField(
        label=gettext_lazy("Make what was found a suggestion, in category"),
        queryset=SuggestionCategory.objects.all(),
        required=False,
    )

    class Meta:
        model = Visit
        fields = [
            "building",
            "room_number",
            "household_name",
            "household_phone",
            "at",
            "minutes",
            "purpose",
            "found",
            "follow_up",
            "sensitive",
        ]
        widgets = {
            "found": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "sensitive": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.suggestion_id:
            self.fields["suggestion_number"].initial = self.instance.suggestion.number

    def clean_suggestion_number(self):
        number = self.cleaned_data["suggestion_number"].strip()
        self.instance.suggestion = None
        if number:
            found = Suggestion.objects.filter(area=self.area, number=number).first()
            if found is None:
                raise forms.ValidationError(_("Your area has no suggestion numbered %(number)s.") % {"number": number})
            self.instance.suggestion = found
        return number


class CaseForm(RecordForm):
    class Meta:
        model = ReceptionCase
        fields = [
            "service",
            "outcome",
            "at",
            "minutes",
            "note",
            "building",
            "room_number",
            "household_name",
            "household_phone",
            "sensitive",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "sensitive": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceGuidePage.objects.live().order_by("title")
        self.fields["service"].label_from_instance = lambda page: page.title


class CallbackRatingForm(forms.Form):
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=gettext_lazy("What the resident said"), required=False, max_length=500)


def quarter_asked(params, default=None):
    """The quarter ?quarter=2026Q4 names; otherwise `default`, or the last one that has ended."""
    try:
        return Quarter.parse(params.get("quarter", ""))
    except ValueError:
        return default or Quarter.last_ended(local_day(timezone.now()))


def _staff_only(request):
    area = staff_area(request.user)
    if area is None:
        raise PermissionDenied
    return area


def household_of(record, reader):
    """The household as this reader (records.Reader) may see it: whole for who recorded it and
    the area's lead, the building, 张*明 and 138****5678 for anyone else (a supervisor)."""
    if reader.may_change(record):
        name, phone = records.household_name(record), records.household_phone(record)
        return {"where": record.household, "name": name, "phone": phone, "whole": True}
    masked = records.masked_household(record)
    return {"where": masked["building"], "name": masked["name"], "phone": masked["phone"], "whole": False}


class RecordIndexView(AdminPageMixin, View):
    """The records the user may read, newest first, a quarter at a time."""

    page_title = gettext_lazy("Visit diary and reception log")
    header_icon = "doc-full"
    template_name = "outreach/admin/records.html"
    per_page = 30

    def get(self, request):
        if staff_area(request.user) is None and not sees_every_area(request.user):
            raise PermissionDenied
        kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "visit"
        today = local_day(timezone.now())
        quarter = quarter_asked(request.GET, default=Quarter.of(today))
        reader = records.Reader.of(request.user)
        rows = reader.readable(KINDS[kind]).in_quarter(quarter).select_related("resident")
        if kind == "case":
            rows = rows.select_related("service")
        page = Paginator(rows, self.per_page).get_page(request.GET.get("p"))
        context = {
            "kind": kind,
            "quarter": quarter,
            "page": page,
            "rows": [(record, household_of(record, reader)) for record in page],
            "may_record": staff_area(request.user) is not None,
        }
        return TemplateResponse(request, self.template_name, self.get_context_data(**context))


class RecordEditView(AdminPageMixin, View):
    """Record a new visit or reception case, or change one's own (or, for the lead, the area's)."""

    header_icon = "edit"

    def get_page_title(self):
        return _("Record a home visit") if self.kind == "visit" else _("Record a reception case")

    template_name = "outreach/admin/record_form.html"

    def setup(self, request, kind, pk=None):
        super().setup(request, kind, pk)
        if kind not in KINDS:
            raise Http404
        self.kind, self.model = kind, KINDS[kind]
        self.form_class = VisitForm if kind == "visit" else CaseForm

    def get_record(self, request, pk):
        if pk is None:
            return self.model(at=timezone.now().replace(second=0, microsecond=0))
        record = get_object_or_404(records.readable(self.model, request.user), pk=pk)
        if not records.may_change(request.user, record):
            raise PermissionDenied
        return record

    def get(self, request, kind, pk=None):
        area = _staff_only(request)
        record = self.get_record(request, pk)
        shifts = reviews.today_visit_shifts(request.user) if kind == "visit" and pk is None else []
        chosen = next((s for s in shifts if str(s.pk) == request.GET.get("shift")), None)
        if chosen is None and len(shifts) == 1:
            chosen = shifts[0]
        if chosen is not None:
            record.shift, record.building = chosen, chosen.building_from
        return self.render(self.form_class(instance=record, area=area), shifts=shifts, chosen=chosen)

    def post(self, request, kind, pk=None):
        area = _staff_only(request)
        record = self.get_record(request, pk)
        if kind == "visit" and pk is None and request.POST.get("shift"):
            record.shift = next(
                (s for s in reviews.today_visit_shifts(request.user) if str(s.pk) == request.POST["shift"]), None
            )
        form = self.form_class(request.POST, instance=record, area=area)
        if not form.is_valid():
            return self.render(form, status=400)
        save = records.save_visit if kind == "visit" else records.save_case
        made = None
        try:
            with transaction.atomic():  # the visit and the suggestion it files, or neither
                record = save(form.instance, request.user, sensitive_consent=form.cleaned_data["sensitive_consent"])
                category = form.cleaned_data.get("new_suggestion")
                if category is not None and record.suggestion_id is None:
                    made = suggestions.submit(
                        area=area,
                        category=category,
                        text=record.found,
                        resident=record.resident,
                        recorded_by=request.user,
                        channel=Suggestion.Channel.VISIT,
                    )
                    Visit.objects.filter(pk=record.pk).update(suggestion=made)
        except Refused as refusal:
            if pk is None:
                form.instance.pk = None  # rolled back: still a new record
            add_refusal(form, refusal)
            return self.render(form, status=refusal.status)
        if made is not None:
            messages.success(request, _("Suggestion %(number)s filed for the household.") % {"number": made.number})
        messages.success(request, _("Recorded."))
        return redirect(f"{self.url('detail', record)}?sent={self.kind}-{'new' if pk is None else record.pk}")

    def url(self, name, record):
        return reverse(f"outreach_records:{name}", args=[self.kind, record.pk])

    def render(self, form, status=200, shifts=(), chosen=None):
        context = {
            "form": form,
            "kind": self.kind,
            "shifts": shifts,
            "chosen": chosen,
            "keep_key": f"{self.kind}-{form.instance.pk or 'new'}-{self.request.user.pk}",
        }
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context), status=status)


class RecordDetailView(AdminPageMixin, View):
    header_icon = "doc-full"

    def get_page_title(self):
        return str(self.record)

    template_name = "outreach/admin/record_detail.html"

    def get(self, request, kind, pk, form=None, status=200):
        if kind not in KINDS:
            raise Http404
        reader = records.Reader.of(request.user)
        record = get_object_or_404(reader.readable(KINDS[kind]).select_related("resident"), pk=pk)
        self.record = record
        show_sensitive = bool(record.sensitive) and reader.may_see_sensitive(record)
        records.log([record], request.user, Access.VIEWED)
        if show_sensitive:
            records.log([record], request.user, Access.SENSITIVE)
        may_change = reader.may_change(record)
        texts = {name: getattr(record, name, "") for name in ("found", "follow_up", "note", "rating_comment")}
        if not may_change:
            texts = {name: records.masked_text(text, record) for name, text in texts.items()}
        context = {
            "record": record,
            "kind": kind,
            "texts": texts,
            "may_finish_follow_up": reader.may_finish_follow_up(record)
            and record.follow_up
            and not record.follow_up_done_at,
            "household": household_of(record, reader),
            "show_sensitive": show_sensitive,
            "may_change": may_change,
            "rating_form": form or (CallbackRatingForm() if may_change and not record.rated_at else None),
            "sent": request.GET.get("sent", ""),
        }
        return TemplateResponse(request, self.template_name, self.get_context_data(**context), status=status)

    def post(self, request, kind, pk):
        """A rating the resident gave on a callback, or a follow-up seen through."""
        if kind not in KINDS:
            raise Http404
        record = get_object_or_404(records.readable(KINDS[kind], request.user), pk=pk)
        if request.POST.get("action") == "follow_up_done":
            try:
                records.finish_follow_up(record, request.user)
            except Refused as refusal:
                messages.error(request, refusal.message)
            return redirect("outreach_records:detail", kind, pk)
        form = CallbackRatingForm(request.POST)
        if not form.is_valid():
            return self.get(request, kind, pk, form=form, status=400)
        try:
            records.rate_on_callback(record, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except Refused as refusal:
            add_refusal(form, refusal)
            return self.get(request, kind, pk, form=form, status=refusal.status)
        messages.success(request, _("The rating is recorded."))
        return redirect("outreach_records:detail", kind, pk)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=pgettext_lazy("quarterly review", "Verdict"),
        choices=QuarterReview.Verdict.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    departing = forms.ModelChoiceField(label=gettext_lazy("Leaving"), queryset=User.objects.none())
    successor = forms.ModelChoiceField(label=gettext_lazy("Takes over"), queryset=User.objects.none())

    def __init__(self, *args, area, lead, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(groups=area.staff_group_id, is_active=True).order_by("last_name", "first_name")
        self.fields["departing"].queryset = staff.exclude(pk=lead.pk)
        self.fields["successor"].queryset = staff
        for name in ("departing", "successor"):
            self.fields[name].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class QuarterView(AdminPageMixin, View):
    """Each staff member's quarter, side by side; the lead reviews and hands work over here."""

    page_title = gettext_lazy("Quarter figures")
    header_icon = "table"
    template_name = "outreach/admin/quarter.html"

    def get(self, request, review_form=None, hand_over_form=None, status=200):
        area, quarter = self.area_and_quarter(request)
        lead = records.is_lead(request.user, area) and staff_area(request.user) == area
        rows = reviews.staff_quarters(area, quarter)
        if not lead and not sees_every_area(request.user):
            rows = [row for row in rows if row.staff.pk == request.user.pk]  # colleagues' figures are the lead's
        context = {
            "area": area,
            "areas": areas_for(request.user) if sees_every_area(request.user) else [],
            "quarter": quarter,
            "previous": quarter.previous,
            "next": quarter.next,
            "rows": rows,
            "lead": lead,
            "review_form": review_form or (ReviewForm() if lead else None),
            "review_for": request.POST.get("staff") if review_form else None,
            "hand_over_form": hand_over_form or (HandOverForm(area=area, lead=request.user) if lead else None),
        }
        return TemplateResponse(request, self.template_name, self.get_context_data(**context), status=status)

    def area_and_quarter(self, request):
        source = request.POST if request.method == "POST" else request.GET
        quarter = quarter_asked(source)
        area = staff_area(request.user)
        if sees_every_area(request.user):
            area = (
                areas_for(request.user).filter(slug=source.get("area")).first()
                or area
                or areas_for(request.user).first()
            )
        if area is None:
            raise PermissionDenied
        return area, quarter

    def post(self, request):
        area, quarter = self.area_and_quarter(request)
        if request.POST.get("action") == "hand_over":
            form = HandOverForm(request.POST, area=area, lead=request.user)
            if not form.is_valid():
                return self.get(request, hand_over_form=form, status=400)
            try:
                moved = reviews.hand_over(form.cleaned_data["departing"], form.cleaned_data["successor"], request.user)
            except Refused as refusal:
                add_refusal(form, refusal)
                return self.get(request, hand_over_form=form, status=refusal.status)
            messages.success(
                request,
                ngettext(
                    "Handed over %(suggestions)s open suggestion and %(follow_ups)s follow-ups; the account is closed.",
                    "Handed over %(suggestions)s open suggestions and %(follow_ups)s follow-ups; the account is closed.",
                    moved["suggestions"],
                )
                % moved,
            )
        else:
            form = ReviewForm(request.POST)
            staff_id = request.POST.get("staff", "")
            staff = User.objects.filter(pk=staff_id, groups=area.staff_group_id).first() if is_id(staff_id) else None
            if not form.is_valid() or staff is None:
                return self.get(request, review_form=form, status=400)
            try:
                reviews.review(
                    area, staff, quarter, form.cleaned_data["verdict"], form.cleaned_data["note"], request.user
                )
            except Refused as refusal:
                add_refusal(form, refusal)
                return self.get(request, review_form=form, status=refusal.status)
            messages.success(request, _("Review saved."))
        return redirect(f"{request.path}?quarter={quarter}")


class AreasView(AdminPageMixin, View):
    """The supervisor compares the areas' quarters."""

    page_title = gettext_lazy("Areas compared")
    header_icon = "table"
    template_name = "outreach/admin/areas.html"

    def get(self, request):
        if not sees_every_area(request.user):
            raise PermissionDenied
        quarter = quarter_asked(request.GET)
        context = {
            "quarter": quarter,
            "previous": quarter.previous,
            "next": quarter.next,
            "rows": reviews.compare_areas(areas_for(request.user).order_by("name"), quarter),
        }
        return TemplateResponse(request, self.template_name, self.get_context_data(**context))
