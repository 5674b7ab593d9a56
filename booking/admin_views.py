"""The room-booking admin's views: area-scoped listings, a reservation's detail and audit
trail, the approval queue, check-in, staff cancellation, booking on a resident's behalf
and closures.

Every row a view reaches comes from the model's permission policy, which keeps staff inside
their own area (docs/architecture.md, the area boundary); a row of another area is a 404. Residents' names and
phones are masked on the server, and opening or exporting a resident's booking is logged
(docs/architecture.md, personal data). Room time is written only through booking.rules.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import HeaderButton

from booking import rules
from booking.admin_forms import ReasonForm, StaffBookingForm, room_label
from booking.models import Reservation, ReservationEvent, Room
from portal import localtime
from portal.area_admin import AdminPageMixin, ScopedIndexView, ScopedInspectView
from portal.areas import changeable, policy, readable, sees_every_area
from portal.holiday_admin import HolidayWarningMixin
from portal.phones import mask_phone
from portal.privacy import mask_name
from portal.redirects import next_url, requested_next
from portal.refusals import add_refusal

Status = Reservation.Status
Kind = Reservation.Kind


def own_rooms(user):
    """The rooms a user books and closes: those they may change (their own area's)."""
    return changeable(Room, user).select_related("area")


# What staff read about a resident: enough to recognise them at the desk, no more.


def resident_name(reservation):
    resident = reservation.resident
    return mask_name(resident.get_full_name()) if resident else ""


def resident_phone(reservation):
    resident = reservation.resident
    return mask_phone(resident.phone) if resident else ""


def who_or_what(reservation):
    """The masked resident of a booking; the public label of a class, block or closure."""
    if reservation.kind == Kind.BOOKING and reservation.resident:
        return f"{resident_name(reservation) or '—'} {resident_phone(reservation)}".strip()
    return reservation.label


def wall_clock(value):
    """Shanghai time without a zone: Wagtail writes aware times to XLSX in UTC."""
    return timezone.localtime(value).replace(tzinfo=None)


def when(reservation):
    start, end = timezone.localtime(reservation.start), timezone.localtime(reservation.end)
    return f"{formats.date_format(start, 'Y-m-d D H:i')}–{formats.date_format(end, 'H:i')}"


def log_viewed(request, reservations, note=""):
    """Fact 13: who opened or exported a resident's booking, and when."""
    ReservationEvent.objects.bulk_create(
        ReservationEvent(
            reservation=reservation,
            actor=request.user,
            action=ReservationEvent.Action.VIEWED,
            status=reservation.status,
            note=note,
        )
        for reservation in reservations
        if reservation.resident_id
    )


# Rooms


class RoomIndexView(HolidayWarningMixin, ScopedIndexView):
    select_related = ("area",)


class RoomInspectView(ScopedInspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(readable(Room, self.request.user).select_related("area", "photo"), pk=self.pk)

    def get_context_for_field(self, field_name):
        if field_name == "opening_hours":
            return {
                "label": _("Opening hours"),
                "value": "；".join(str(hours) for hours in self.object.opening_hours.all()) or "—",
                "component": None,
            }
        context = super().get_context_for_field(field_name)
        if isinstance(context["value"], bool):
            context["value"] = _("Yes") if context["value"] else _("No")
        return context


# Reservations


class ReservationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Kind.choices)
    room = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Room"), queryset=lambda request: readable(Room, request.user).select_related("area")
    )
    date = django_filters.DateFilter(
        label=gettext_lazy("Date"), field_name="start", lookup_expr="date", widget=AdminDateInput
    )

    class Meta:
        model = Reservation
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.form.fields["room"]
        field.label_from_instance = room_label(field.queryset)


class CheckInColumn(Column):
    """A one-click check-in button on today's confirmed bookings (a form, so it works
    without JavaScript)."""

    cell_template_name = "booking/admin/check_in_cell.html"

    def __init__(self, view, **kwargs):
        super().__init__("check_in", label=gettext_lazy("Check-in"), **kwargs)
        self.view = view

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(
            can_check_in=can_check_in(request.user, instance),
            checked_in_at=instance.checked_in_at and timezone.localtime(instance.checked_in_at),
            check_in_url=reverse("reservations:check_in", args=[instance.pk]),
            next_url=self.view.listing_url,
            csrf_token=get_token(request),
        )
        return context


def can_change(user, reservation):
    return policy(Reservation).user_has_permission_for_instance(user, "change", reservation)


def can_check_in(user, reservation):
    return (
        reservation.kind == Kind.BOOKING
        and reservation.status == Status.CONFIRMED
        and reservation.checked_in_at is None
        and timezone.localtime(reservation.start).date() == timezone.localdate()
        and can_change(user, reservation)
    )


def can_cancel(user, reservation):
    return (
        reservation.kind == Kind.BOOKING
        and reservation.status in (Status.PENDING, Status.CONFIRMED)
        and can_change(user, reservation)
    )


class ReservationIndexView(ScopedIndexView):
    select_related = ("room__area", "resident")
    area_accessor = "room.area.name"
    filterset_class = ReservationFilterSet

    def own_columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "when", label=gettext_lazy("When"), accessor=when, sort_key="start", get_url=self.get_inspect_url
        )
        return [
            title,
            Column("room", label=gettext_lazy("Room"), accessor="room.name", sort_key="room__name"),
            Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
            Column("who", label=gettext_lazy("Resident or title"), accessor=who_or_what),
            Column("headcount", label=gettext_lazy("People"), accessor="headcount"),
            CheckInColumn(self),
        ]

    @cached_property
    def listing_url(self):
        query = self.request.GET.urlencode()
        return self.index_url + (f"?{query}" if query else "")

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        return queryset.upcoming_first()

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_cancel(self.request.user, instance):
            buttons.append(
                MenuItem(
                    _("Cancel booking"),
                    url=reverse("reservations:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons

    @cached_property
    def header_buttons(self):
        today = formats.date_format(timezone.localdate(), "Y-m-d")
        buttons = [HeaderButton(_("Today"), url=f"{self.index_url}?date={today}", icon_name="date", priority=10)]
        if policy(Reservation).user_has_permission(self.request.user, "change"):
            buttons.append(
                HeaderButton(
                    _("Book for a resident"), url=reverse("book_for_resident:index"), icon_name="plus", priority=20
                )
            )
        return buttons

    def to_row_dict(self, item):
        return {
            "area": item.room.area.name,
            "room": item.room.name,
            "start": wall_clock(item.start),
            "end": wall_clock(item.end),
            "kind": item.get_kind_display(),
            "status": item.get_status_display(),
            "resident": resident_name(item),
            "phone": resident_phone(item),
            "label": item.label,
            "headcount": item.headcount,
            "checked_in_at": item.checked_in_at and wall_clock(item.checked_in_at),
        }

    def stream_csv(self, queryset):
        yield "\ufeff"  # Excel reads a CSV file as UTF-8 only after a byte-order mark
        yield from super().stream_csv(queryset)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_viewed(self.request, queryset, _("exported (%(format)s)") % {"format": spreadsheet_format.upper()})
        return super().as_spreadsheet(queryset, spreadsheet_format)


class ReservationInspectView(ScopedInspectView):
    template_name = "booking/admin/reservation_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            readable(Reservation, self.request.user).select_related("room__area", "resident", "booked_by"), pk=self.pk
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get(self, request, *args, **kwargs):
        log_viewed(request, [self.object])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reservation, user = self.object, self.request.user
        resident = reservation.resident
        context.update(
            reservation=reservation,
            when=when(reservation),
            resident_name=resident_name(reservation),
            resident_phone=resident_phone(reservation),
            resident_address=f"{resident.building}{resident.room_number}" if resident else "",
            booked_by=staff_name(reservation.booked_by),
            events=[(event, actor_name(event, reservation)) for event in reservation.events.select_related("actor")],
            can_decide=reservation.status == Status.PENDING and can_change(user, reservation),
            can_check_in=can_check_in(user, reservation),
            can_cancel=can_cancel(user, reservation),
            inspect_url=self.request.path,
        )
        return context


def staff_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def actor_name(event, reservation):
    if event.actor_id is None:
        return _("the system")
    if event.actor_id == reservation.resident_id:
        return _("the resident")
    return staff_name(event.actor)


class ReservationActionView(WagtailAdminTemplateMixin, View):
    """A staff action on one reservation that the user may change (another area's is a 404)."""

    header_icon = "date"

    def dispatch(self, request, pk):
        if not policy(Reservation).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.reservation = get_object_or_404(self.reservations(), pk=pk)
        return super().dispatch(request, pk)

    def reservations(self):
        return changeable(Reservation, self.request.user).select_related("room__area", "resident")

    def perform(self, change, *args):
        """Re-read the reservation under a lock, so two colleagues deciding at once cannot
        both succeed (SQLite's IMMEDIATE transactions lock on BEGIN; PostgreSQL locks the row)."""
        with transaction.atomic():
            self.reservation = self.reservations().select_for_update(of=("self",)).get(pk=self.reservation.pk)
            change(self.reservation, self.request.user, *args)

    @cached_property
    def inspect_url(self):
        return reverse("reservations:inspect", args=[quote(self.reservation.pk)])

    def next_url(self, default=None):
        return next_url(self.request, requested_next(self.request), default or self.inspect_url)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reservations:index"), "label": capfirst(Reservation._meta.verbose_name_plural)},
            {"url": self.inspect_url, "label": str(self.reservation)},
            {"url": "", "label": self.get_page_title()},
        ]


class CheckInView(ReservationActionView):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            self.perform(rules.check_in)
        except rules.BookingRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Checked in: %(reservation)s.") % {"reservation": self.reservation})
        return redirect(self.next_url())


class ApproveView(ReservationActionView):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            self.perform(rules.approve)
        except rules.BookingRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Approved: %(reservation)s. The resident will be told by SMS.") % {"reservation": self.reservation},
            )
        return redirect(self.next_url(reverse("approvals:index")))


class ReasonView(ReservationActionView):
    """Reject or cancel with a reason the resident reads; a refusal keeps what was typed."""

    template_name = "booking/admin/reason_form.html"
    submit_label = ""
    success_message = ""
    back_to_queue = False

    def change(self, reason):
        raise NotImplementedError

    def get(self, request, pk):
        return self.render(ReasonForm())

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                self.change(form.cleaned_data["reason"])
            except rules.BookingRefused as refusal:
                add_refusal(form, refusal)
                return self.render(form, status=refusal.status)
            messages.success(request, self.success_message % {"reservation": self.reservation})
            return redirect(self.next_url(reverse("approvals:index") if self.back_to_queue else None))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.get_context_data(
            form=form,
            reservation=self.reservation,
            when=when(self.reservation),
            resident_name=resident_name(self.reservation),
            submit_label=self.submit_label,
            next_url=next_url(self.request, requested_next(self.request), ""),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RejectView(ReasonView):
    page_title = gettext_lazy("Reject booking")
    submit_label = gettext_lazy("Reject and tell the resident")
    success_message = gettext_lazy("Rejected: %(reservation)s. The resident will be told by SMS.")
    back_to_queue = True

    def change(self, reason):
        self.perform(rules.reject, reason)


class CancelView(ReasonView):
    page_title = gettext_lazy("Cancel booking")
    submit_label = gettext_lazy("Cancel the booking and tell the resident")
    success_message = gettext_lazy("Cancelled: %(reservation)s. The resident will be told by SMS.")

    def change(self, reason):
        if self.reservation.kind != Kind.BOOKING:
            raise rules.NotAllowed(_("Only a resident's booking can be cancelled here."))
        self.perform(staff_cancel, reason)


def staff_cancel(reservation, actor, reason):
    return rules.cancel(reservation, actor, reason, by_staff=True)


class ApprovalQueueView(AdminPageMixin, View):
    """Bookings of the user's area waiting for approval, soonest first."""

    template_name = "booking/admin/approval_queue.html"
    page_title = gettext_lazy("Waiting for approval")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not policy(Reservation).user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        pending = (
            changeable(Reservation, request.user)
            .filter(kind=Kind.BOOKING, status=Status.PENDING)
            .select_related("room__area", "resident")
            .order_by("start", "pk")
        )
        page = Paginator(pending, 12).get_page(request.GET.get("p"))
        rows = [
            {
                "reservation": reservation,
                "when": when(reservation),
                "who": who_or_what(reservation),
                "inspect_url": reverse("reservations:inspect", args=[reservation.pk]),
                "approve_url": reverse("approvals:approve", args=[reservation.pk]),
                "reject_url": reverse("approvals:reject", args=[reservation.pk]),
            }
            for reservation in page
        ]
        context = self.get_context_data(
            page=page, rows=rows, show_area=sees_every_area(request.user), queue_url=request.get_full_path()
        )
        return TemplateResponse(request, self.template_name, context)


class StaffBookingView(AdminPageMixin, View):
    """Book for a resident without a smartphone. Same rules, same messages as the web form;
    a booking made by staff needs no approval."""

    template_name = "booking/admin/staff_booking.html"
    page_title = gettext_lazy("Book for a resident")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not policy(Reservation).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.rooms = own_rooms(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        if room := request.GET.get("room"):
            initial["room"] = room
        return self.render(StaffBookingForm(rooms=self.rooms, initial=initial))

    def post(self, request):
        form = StaffBookingForm(request.POST, rooms=self.rooms)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            reservation, created = rules.book(
                room=data["room"],
                start=localtime.at(data["date"], data["start"]),
                end=localtime.at(data["date"], data["end"]),
                resident=form.resident,
                headcount=data["headcount"],
                purpose=data["purpose"],
                request_key=data["request_key"],
                booked_by=request.user,
            )
        except rules.BookingRefused as refusal:
            add_refusal(form, refusal)
            return self.render(form, status=refusal.status, refusal=refusal)
        if created:
            messages.success(
                request,
                _("Booked %(reservation)s for %(resident)s. The resident will be told by SMS.")
                % {"reservation": reservation, "resident": resident_name(reservation)},
            )
        else:
            messages.warning(request, _("This booking had already been made."))
        return redirect("reservations:inspect", reservation.pk)

    def render(self, form, status=200, refusal=None):
        context = self.get_context_data(
            form=form,
            refusal=refusal,
            alternatives=[
                f"{localtime.show_day(start)} {localtime.show_time(start)}–{localtime.show_time(end)}"
                for start, end in (refusal.alternatives if refusal else [])
            ],
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)
