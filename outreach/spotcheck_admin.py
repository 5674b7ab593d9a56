"""The spot checks (抽查) in the Wagtail admin: the list of checks, drawing one, a check's sampled
records with a mark form for each, and its workbook.

Who reads and does what is outreach/spotchecks.py's business: supervisors draw, mark and read
every check; the area's lead and staff read their own area's finished checks (staff their own
records), and another area's check is a 404. Households are shown masked (the building, 张*明,
138****5678), never the room; opening a check and downloading its workbook are logged.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail.admin import messages

from outreach import records, spotchecks
from outreach.models import RecordAccess, SpotCheckItem
from outreach.records import masked_household
from outreach.workbook import kind, masked, phone, staff_name, subject, verdict
from portal.area_admin import AdminPageMixin
from portal.areas import staff_area
from portal.localtime import local_day
from portal.models import Area
from portal.refusals import Refused, add_refusal

Verdict = SpotCheckItem.Verdict
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reads_checks(user):
    """Who finds "Spot checks" in the menu: supervisors, and the areas' staff and leads."""
    return spotchecks.may_draw(user) or staff_area(user) is not None


def check_url(check):
    return reverse("spot_checks:check", args=[check.pk])


class SpotCheckPage(AdminPageMixin, View):
    header_icon = "tasks"
    breadcrumbs_items = [
        *AdminPageMixin.breadcrumbs_items,
        {"url": reverse_lazy("spot_checks:index"), "label": gettext_lazy("Spot checks")},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not reads_checks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, status=200, **context):
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context), status=status)


class IndexView(SpotCheckPage):
    page_title = gettext_lazy("Spot checks")
    template_name = "outreach/admin/spot_checks.html"
    breadcrumbs_items = AdminPageMixin.breadcrumbs_items

    def get(self, request):
        checks = spotchecks.readable_checks(request.user).annotate(
            sampled=Count("items"), marked=Count("items", filter=~Q(items__verdict=""))
        )
        return self.render(checks=checks, may_draw=spotchecks.may_draw(request.user))


class DrawForm(forms.Form):
    area = forms.ModelChoiceField(label=gettext_lazy("Residents' area"), queryset=Area.objects.order_by("name"))
    quarter = forms.CharField(
        label=gettext_lazy("Quarter"), max_length=20, help_text=gettext_lazy("For example 2026Q4.")
    )
    per_staff = forms.IntegerField(
        label=gettext_lazy("Records per staff member"),
        min_value=1,
        max_value=spotchecks.LARGEST_SAMPLE,
        initial=3,
        help_text=gettext_lazy("A staff member with fewer records of the quarter has all of them checked."),
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed"),
        required=False,
        min_value=0,
        max_value=spotchecks.LARGEST_SEED,
        help_text=gettext_lazy("Leave it empty for a random one. The same seed draws the same sample again."),
    )

    def clean_quarter(self):
        """Checked here too, so a wrong quarter is shown beside the form's other mistakes."""
        try:
            return str(spotchecks.parse_quarter(self.cleaned_data["quarter"]))
        except Refused as refusal:
            raise forms.ValidationError(refusal.errors["quarter"]) from None


class DrawView(SpotCheckPage):
    page_title = gettext_lazy("Draw a spot check")
    template_name = "outreach/admin/spot_check_draw.html"

    def dispatch(self, request, *args, **kwargs):
        if not spotchecks.may_draw(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(form=DrawForm(initial={"quarter": str(spotchecks.previous_quarter())}))

    def post(self, request):
        form = DrawForm(request.POST)
        if not form.is_valid():
            return self.render(form=form, status=400)
        data = form.cleaned_data
        try:
            check, drawn = spotchecks.draw(
                data["area"], data["quarter"], data["per_staff"], seed=data["seed"], by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
            return self.render(form=form, status=refusal.status)
        if drawn:
            messages.success(request, _("Drawn and locked: %(check)s.") % {"check": check})
        else:
            messages.warning(
                request,
                _("%(check)s was drawn on %(day)s and is locked: here is its sample as drawn.")
                % {"check": check, "day": local_day(check.drawn_at)},
            )
        return redirect(check_url(check))


class MarkForm(forms.Form):
    verdict = forms.ChoiceField(label=gettext_lazy("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    finding = forms.CharField(
        label=gettext_lazy("Finding"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed when a problem was found."),
    )
    called_back = forms.BooleanField(label=gettext_lazy("I called the household back"), required=False)
    callback_result = forms.CharField(label=gettext_lazy("What the household said"), max_length=500, required=False)


def mark_form(item, data=None):
    initial = {field: getattr(item, field) for field in MarkForm.base_fields}
    return MarkForm(data, initial=initial, prefix=f"item-{item.pk}")


class CheckView(SpotCheckPage):
    """One check: its sampled records, each with a mark form while the supervisor checks."""

    template_name = "outreach/admin/spot_check.html"
    page_title = gettext_lazy("Spot check")

    def get_page_subtitle(self):
        return str(self.spot_check)

    def get(self, request, pk):
        self.spot_check = get_object_or_404(spotchecks.readable_checks(request.user), pk=pk)
        items = list(spotchecks.readable_items(self.spot_check, request.user))
        spotchecks.log_opened(items, request.user, self.spot_check)
        return self.render_items(items)

    def render_items(self, items, bound=None, status=200, revealed=None):
        """The page; `bound` is the mark form just refused, shown with what was typed;
        `revealed` the item whose number the checker asked for, to call the household back."""
        marking = spotchecks.may_mark(self.request.user) and not self.spot_check.finished_at
        rows = []
        for item in items:
            form = None
            if marking:
                form = bound if bound is not None and bound.prefix == f"item-{item.pk}" else mark_form(item)
            row = {"item": item, "shown": shown(item), "form": form}
            if item == revealed:
                row["callback_number"] = records.household_phone(item.record)
            rows.append(row)
        return self.render(
            status=status,
            check=self.spot_check,
            rows=rows,
            marking=marking,
            unmarked=sum(not item.verdict for item in items),
            may_export=spotchecks.may_export(self.request.user, self.spot_check),
        )


def shown(item):
    """A sampled record as the check page shows it: masked, the building but never the room."""
    record = item.record
    household = masked_household(record)
    return {
        "staff": staff_name(item.staff),
        "kind": kind(record),
        "day": local_day(record.at),
        "building": household["building"],
        "name": household["name"],
        "phone": phone(record),
        "subject": subject(record),
        "verdict": verdict(item),
        "finding": masked(item.finding, record),
        "callback_result": masked(item.callback_result, record),
    }


class CallbackNumberView(CheckView):
    """The checker asks for one household's whole number, to call it back: shown on this page
    only, and logged against the record."""

    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        self.spot_check = get_object_or_404(spotchecks.readable_checks(request.user), pk=pk)
        if not spotchecks.may_mark(request.user) or self.spot_check.finished_at:
            raise PermissionDenied
        items = list(spotchecks.readable_items(self.spot_check, request.user))
        item = next((item for item in items if item.pk == item_pk), None)
        if item is None:
            raise Http404
        records.log([item.record], request.user, RecordAccess.Action.VIEWED, _("number shown for a callback"))
        return self.render_items(items, revealed=item)


class MarkView(CheckView):
    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        self.spot_check = get_object_or_404(spotchecks.readable_checks(request.user), pk=pk)
        if not spotchecks.may_mark(request.user):
            raise PermissionDenied
        item = get_object_or_404(spotchecks.readable_items(self.spot_check, request.user), pk=item_pk)
        form = mark_form(item, request.POST)
        if form.is_valid():
            try:
                spotchecks.mark(item, request.user, **form.cleaned_data)
            except Refused as refusal:
                add_refusal(form, refusal)
                return self.refused(form, refusal.status)
            messages.success(request, _("Marked: record %(position)s.") % {"position": item.position})
            return redirect(f"{check_url(self.spot_check)}#item-{item.pk}")
        return self.refused(form, 400)

    def refused(self, form, status):
        # Another supervisor may have finished the check meanwhile: show it as it is now.
        self.spot_check.refresh_from_db()
        return self.render_items(list(spotchecks.readable_items(self.spot_check, self.request.user)), form, status)


class FinishView(CheckView):
    http_method_names = ["post"]

    def post(self, request, pk):
        self.spot_check = get_object_or_404(spotchecks.readable_checks(request.user), pk=pk)
        if not spotchecks.may_mark(request.user):
            raise PermissionDenied
        try:
            spotchecks.finish(self.spot_check, request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Finished: %(check)s. The area's lead and staff can read it now.") % {"check": self.spot_check},
            )
        return redirect(check_url(self.spot_check))


@method_decorator(never_cache, name="dispatch")
class WorkbookView(View):
    """The check's workbook, as a download nobody's cache keeps."""

    def get(self, request, pk):
        check = get_object_or_404(spotchecks.readable_checks(request.user), pk=pk)
        try:
            data = spotchecks.export(check, request.user)
        except Refused:
            raise Http404 from None
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="spot-check-{check.area.slug}-{check.quarter}.xlsx"'
        return response
