"""The "Staff and duty" menu of the Wagtail admin: the staff members with their repeating
duties, and the week plan editors adjust day by day and publish.

Area staff reach their own area's staff and shifts only, supervisors read every area's,
superusers do everything: the same AreaPermissionPolicy as room booking (docs/architecture.md, the area boundary).
Repeating duties are edited with our own fields (no recurrence widget: docs/architecture.md, time zones and recurrence); saving a
staff member brings the plan in line with them (staff.plans.regenerate), keeping
what editors changed for a single day.
"""

import datetime as dt
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput
from wagtail.log_actions import log

from portal import dates
from portal.area_admin import (
    AdminPageMixin,
    AreaRowForm,
    ChosenAreaMixin,
    NoUnusedViewsMixin,
    ScopedEditView,
    ScopedHistoryView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedUsageView,
)
from portal.areas import (
    areas_for,
    changeable,
    may_change_in_area,
    policy,
    sees_every_area,
)
from portal.localtime import at, monday_of
from portal.models import Area, Building, Holiday, User
from staff import plans
from staff.models import Duty, ScheduleWeek, Shift, StaffMember

# A home's address (5号楼301室, 3号301, 5-301) in a place residents read: home visits name
# buildings of the area's list, and any other duty's place is checked too.
NUMERAL = r"[0-9〇零一二两三四五六七八九十]"
HOME_ADDRESS = re.compile(
    rf"{NUMERAL}+\s*室|{NUMERAL}+\s*(?:号楼|号|幢|栋|座|楼)\s*[-－]?\s*{NUMERAL}{{3,4}}|\d{{1,3}}\s*[-－]\s*\d{{3,4}}(?![\d号])"
)
# The hours the week view's time bars cover, widened when a shift starts earlier or ends later.
DAY_FROM, DAY_UNTIL = 7, 21


def home_address_problem(duty, place):
    if duty == Duty.HOME_VISITS and place:
        return _("Home visits are published by building: choose the buildings and leave this empty.")
    if HOME_ADDRESS.search(place or ""):
        return _("The plan is public: give the part of the area (such as 1–12号楼), never the address of a home.")
    return None


def limit_buildings(form, area_id):
    """A rota's or shift's building choices: its own area's list."""
    for name in ("building_from", "building_to"):
        if name in form.fields:
            form.fields[name].queryset = Building.objects.of_area_id(area_id)


def reads_shifts(user):
    return policy(Shift).user_has_any_permission(user, ["view", "add", "change"])


def week_url(area, day, anchor=None):
    query = urlencode({"area": area.pk, "week": monday_of(day).isoformat()})
    return f"{reverse('staff_week:index')}?{query}" + (f"#day-{anchor.isoformat()}" if anchor else "")


def next_week_warning(user, area, today=None):
    """The next week, when it has staff to plan and is not published yet (else None)."""
    if area is None:
        return None
    monday = monday_of(today or timezone.localdate()) + dt.timedelta(days=7)
    published = ScheduleWeek.objects.filter(area=area, monday=monday, published_at__isnull=False)
    if published.exists() or not StaffMember.objects.filter(area=area, active=True).exists():
        return None
    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "url": week_url(area, monday),
        "can_publish": may_change_in_area(user, ScheduleWeek, "change", area),
    }


# Staff members


class StaffMemberForm(AreaRowForm):
    no_area_message = gettext_lazy("Your account belongs to no residents' area, so it cannot add staff members.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in [*self.formsets["rotas"].forms, self.formsets["rotas"].empty_form]:
            limit_buildings(form, self.instance.area_id)
        if "account" in self.fields:
            # Only the accounts of this area's staff: never a resident's, never another area's.
            area = Area.objects.filter(pk=self.instance.area_id).first()
            staff = User.objects.filter(groups=area.staff_group_id) if area else User.objects.none()
            self.fields["account"].queryset = staff.order_by("last_name", "first_name")
            self.fields["account"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def is_valid(self):
        valid = super().is_valid()
        for form in self.formsets["rotas"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            if problem := home_address_problem(data.get("duty"), data.get("place")):
                form.add_error("place", problem)
                valid = False
        return valid


class RegeneratesPlan:
    """Saving a staff member brings the plan in line with their repeating duties."""

    def save_instance(self):
        instance = super().save_instance()
        result = plans.regenerate(instance.area)
        if result.created or result.changed or result.removed:
            messages.info(
                self.request,
                _(
                    "The weekly plans were updated from the repeating duties. Changes made to single days were "
                    "kept; weeks already published show the new plan at once."
                ),
            )
        return instance


class StaffCreateView(RegeneratesPlan, generic.CreateView):
    pass


class StaffEditView(RegeneratesPlan, ScopedEditView):
    pass


class StaffIndexView(ScopedIndexView):
    select_related = ("area",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["next_week"] = next_week_warning(user, user.area)
        return context


class StaffMemberViewSet(NoUnusedViewsMixin, ModelViewSet):
    model = StaffMember
    name = "staff_members"
    url_prefix = "staff/members"
    icon = "group"
    menu_label = gettext_lazy("Staff members")
    index_view_class = StaffIndexView
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    index_template_name = "staff/admin/staff_index.html"
    inspect_view_enabled = True
    copy_view_enabled = False
    absent_views = ("delete",)  # someone who leaves is taken off the staff; their past plan stays
    list_display = ["name", "role", "work_phone", BooleanColumn("active", label=gettext_lazy("On the staff"))]
    list_filter = ["active"]
    search_fields = ["name", "name_en", "role"]
    ordering = ["area", "sort_order", "name"]
    edit_handler = ObjectList(StaffMember.panels, base_form_class=StaffMemberForm)
    inspect_view_fields = ["area", "name", "role", "photo", "work_phone", "active", "name_en", "role_en"]


# The week plan


class AreaWeekMixin(ChosenAreaMixin):
    """The area (portal.area_admin.ChosenAreaMixin) and the week a request is about."""

    @staticmethod
    def choose_day(value):
        """The day asked for, or today: also for a day whose week, or the week before or after,
        falls outside the calendar (year 1, year 9999)."""
        try:
            day = dt.date.fromisoformat(value) if value else None
        except ValueError:
            day = None
        if day is None or not dates.within_the_calendar(day):
            return timezone.localdate()
        return day


class WeekView(AreaWeekMixin, AdminPageMixin, View):
    """Every staff member's shifts of one week, hour by hour; change a day, publish the week."""

    template_name = "staff/admin/staff_week.html"
    page_title = gettext_lazy("Weekly duty plan")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not reads_shifts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.area.name

    def get(self, request):
        self.area = area = self.choose_area(request, request.GET)
        monday = monday_of(self.choose_day(request.GET.get("week")))
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        user = request.user
        week = ScheduleWeek.objects.filter(area=area, monday=monday).select_related("published_by").first()
        shifts = list(
            Shift.objects.filter(week__area=area, week__monday=monday)
            .select_related("staff", "building_from", "building_to")
            .order_by("start", "end", "pk")
        )
        staff = list(
            StaffMember.objects.filter(area=area)
            .filter(Q(active=True) | Q(pk__in={shift.staff_id for shift in shifts}))
            .order_by("sort_order", "name", "pk")
        )
        first_hour = min([DAY_FROM, *(shift.local_start.hour for shift in shifts)])
        last_hour = max([DAY_UNTIL, *(shift.local_end.hour + (shift.local_end.minute > 0) for shift in shifts)])
        can_change = may_change_in_area(user, Shift, "change", area)
        can_add = may_change_in_area(user, Shift, "add", area)
        days_off = Holiday.days_off(days[0], days[-1])
        sections = []
        for day in days:
            rows = []
            for member in staff:
                own = [shift for shift in shifts if shift.staff_id == member.pk and shift.local_start.date() == day]
                if not own and not member.active:
                    continue
                rows.append(
                    {
                        "staff": member,
                        "shifts": [self.describe(shift, first_hour, last_hour, can_change) for shift in own],
                        "add_url": self.add_url(area, member, day) if can_add and member.active else None,
                    }
                )
            sections.append({"day": day, "holiday": days_off.get(day), "rows": rows})
        hours = range(first_hour, last_hour)
        context = self.get_context_data(
            area=area,
            areas=areas_for(user) if sees_every_area(user) else None,
            monday=monday,
            sunday=days[-1],
            week=week,
            sections=sections,
            hours=[f"{hour:02d}" for hour in hours],
            hour_width=round(100 / len(hours), 4),
            previous_url=week_url(area, monday - dt.timedelta(days=7)),
            next_url=week_url(area, monday + dt.timedelta(days=7)),
            this_week_url=week_url(area, timezone.localdate()),
            can_publish=may_change_in_area(user, ScheduleWeek, "change", area),
            can_regenerate=can_change,
            next_week=next_week_warning(user, area),
            missing_holiday_years="、".join(str(year) for year in sorted(Holiday.missing_years(days[0], days[-1]))),
            # Home visits with no building (from before buildings were listed): published only as
            # "around the area" until staff choose one.
            without_building=[
                self.describe(shift, first_hour, last_hour, can_change)
                for shift in shifts
                if shift.duty == Duty.HOME_VISITS and shift.building_from_id is None and not shift.cancelled
            ],
        )
        return TemplateResponse(request, self.template_name, context)

    @staticmethod
    def percent(minutes, first_hour, last_hour):
        return round((minutes - first_hour * 60) * 100 / ((last_hour - first_hour) * 60), 2)

    def describe(self, shift, first_hour, last_hour, can_change):
        start, end = shift.local_start, shift.local_end
        left = self.percent(start.hour * 60 + start.minute, first_hour, last_hour)
        right = self.percent(end.hour * 60 + end.minute, first_hour, last_hour) if end.date() == start.date() else 100
        return {
            "shift": shift,
            "left": left,
            "width": max(right - left, 1),
            "edit_url": reverse("staff_week:edit_shift", args=[shift.pk]) if can_change else None,
            "cancel_url": reverse("staff_week:cancel_shift", args=[shift.pk]) if can_change else None,
        }

    @staticmethod
    def add_url(area, member, day):
        query = urlencode({"area": area.pk, "staff": member.pk, "date": day.isoformat()})
        return f"{reverse('staff_week:add_shift')}?{query}"


class WeekActionView(AreaWeekMixin, View):
    """A button of the week view (POST): regenerate or publish, for the user's own area."""

    http_method_names = ["post"]
    model = Shift
    action = "change"

    def post(self, request):
        area = self.choose_area(request, request.POST)
        if not may_change_in_area(request.user, self.model, self.action, area):
            raise PermissionDenied
        monday = monday_of(self.choose_day(request.POST.get("week")))
        self.perform(request, area, monday)
        return redirect(week_url(area, monday))


class RegenerateView(WeekActionView):
    def perform(self, request, area, monday):
        result = plans.regenerate(area)
        messages.success(
            request,
            _(
                "Updated from the repeating duties: %(created)s shifts added, %(changed)s changed, %(removed)s "
                "removed. Changes made to single days were kept."
            )
            % {"created": result.created, "changed": result.changed, "removed": result.removed},
        )


class PublishView(WeekActionView):
    model = ScheduleWeek

    def perform(self, request, area, monday):
        week = plans.publish(area, monday, request.user)
        log(week, "wagtail.publish", user=request.user)
        messages.success(
            request,
            _("The plan for the week of %(week)s is published: residents see it now.")
            % {"week": formats.date_format(monday, "MONTH_DAY_FORMAT")},
        )


class ShiftForm(forms.ModelForm):
    """One shift, for that day only: regenerating the plan from the rotas keeps it as it is."""

    date = dates.DateField(label=gettext_lazy("Date"), widget=AdminDateInput)
    starts = forms.TimeField(label=gettext_lazy("Starts at"), widget=AdminTimeInput)
    ends = forms.TimeField(label=gettext_lazy("Ends at"), widget=AdminTimeInput)

    class Meta:
        model = Shift
        fields = ["staff", "duty", "desk", "building_from", "building_to", "place", "note", "cancelled"]
        help_texts = {
            "desk": gettext_lazy("1 or 2, for reception duty."),
            "place": gettext_lazy("A room or a place, for duties other than home visits. Never whose home."),
            "note": gettext_lazy("Residents read it, except on home visits. Never write whose home."),
        }

    field_order = [
        "staff",
        "date",
        "starts",
        "ends",
        "duty",
        "desk",
        "building_from",
        "building_to",
        "place",
        "note",
        "cancelled",
    ]

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        limit_buildings(self, area.pk)
        if self.instance.pk:
            # The person and the day stay; a shift on another day is a new one.
            del self.fields["staff"], self.fields["date"]
            self.initial.update(starts=self.instance.local_start.time(), ends=self.instance.local_end.time())
        else:
            self.fields["staff"].queryset = StaffMember.objects.filter(area=area, active=True)
            del self.fields["cancelled"]

    def clean(self):
        cleaned_data = super().clean()
        starts, ends = cleaned_data.get("starts"), cleaned_data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The end must be after the start."))
        duty = cleaned_data.get("duty")
        if problem := home_address_problem(duty, cleaned_data.get("place")):
            self.add_error("place", problem)
        return cleaned_data

    def _post_clean(self):
        day = self.cleaned_data.get("date") or (self.instance.pk and self.instance.local_start.date())
        starts, ends = self.cleaned_data.get("starts"), self.cleaned_data.get("ends")
        if day and starts and ends:
            self.instance.start, self.instance.end = at(day, starts), at(day, ends)
        super()._post_clean()

    def save(self, commit=True):
        shift = super().save(commit=False)
        if not shift.pk:
            shift.week, _created = ScheduleWeek.objects.get_or_create(
                area=self.area, monday=monday_of(shift.local_start.date())
            )
        shift.edited = True
        if commit:
            shift.save()
        return shift


class ShiftView(AdminPageMixin, View):
    template_name = "staff/admin/staff_shift_form.html"
    header_icon = "time"

    def render(self, form, status=200):
        context = self.get_context_data(form=form, shift=self.shift, area=self.area, back_url=self.back_url)
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def saved(self, shift, message):
        log(shift, "wagtail.edit" if self.shift else "wagtail.create", user=self.request.user)
        messages.success(self.request, message % {"shift": shift})
        return redirect(week_url(self.area, shift.local_start.date(), anchor=shift.local_start.date()))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.back_url, "label": _("Weekly duty plan")},
            {"url": "", "label": self.get_page_title()},
        ]


class ShiftEditView(ShiftView):
    """Change one shift for its day only (it is then kept when the plan is regenerated)."""

    page_title = gettext_lazy("Change a shift for this day")

    def dispatch(self, request, pk):
        if not policy(Shift).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.shift = get_object_or_404(changeable(Shift, request.user).select_related("week__area", "staff"), pk=pk)
        self.area = self.shift.week.area
        self.back_url = week_url(self.area, self.shift.local_start.date(), anchor=self.shift.local_start.date())
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.shift)

    def get(self, request, pk):
        return self.render(ShiftForm(instance=self.shift, area=self.area))

    def post(self, request, pk):
        form = ShiftForm(request.POST, instance=self.shift, area=self.area)
        if not form.is_valid():
            return self.render(form, status=400)
        return self.saved(form.save(), _("Changed for this day only: %(shift)s."))


class ShiftCreateView(AreaWeekMixin, ShiftView):
    """Add a shift on one day (a meeting, a training, a colleague standing in)."""

    page_title = gettext_lazy("Add a shift")
    shift = None

    def dispatch(self, request, *args, **kwargs):
        self.area = self.choose_area(request, request.POST if request.method == "POST" else request.GET)
        if not may_change_in_area(request.user, Shift, "add", self.area):
            raise PermissionDenied
        self.back_url = week_url(self.area, AreaWeekMixin.choose_day(request.GET.get("date")))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {key: request.GET[key] for key in ("staff", "date") if key in request.GET}
        return self.render(ShiftForm(initial=initial, area=self.area))

    def post(self, request):
        form = ShiftForm(request.POST, area=self.area)
        if not form.is_valid():
            return self.render(form, status=400)
        return self.saved(form.save(), _("Added for this day only: %(shift)s."))


class ShiftCancelView(View):
    """Cancel one shift (or bring a cancelled one back) for its day only."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not policy(Shift).user_has_permission(request.user, "change"):
            raise PermissionDenied
        shift = get_object_or_404(changeable(Shift, request.user).select_related("week__area", "staff"), pk=pk)
        shift.cancelled = not shift.cancelled
        shift.edited = True
        shift.save(update_fields=["cancelled", "edited"])
        log(shift, "wagtail.edit", user=request.user)
        if shift.cancelled:
            messages.success(request, _("Not taking place: %(shift)s.") % {"shift": shift})
        else:
            messages.success(request, _("Taking place again: %(shift)s.") % {"shift": shift})
        day = shift.local_start.date()
        return redirect(week_url(shift.week.area, day, anchor=day))
