"""Closing rooms for a while (repairs, a meeting, the area's holiday hours): staff see the
bookings a closure would cancel, masked, confirm, and the closure and the cancellations are
written in one transaction (booking.rules.close)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from booking import rules
from booking.admin_forms import ClosureForm
from booking.admin_views import own_rooms, staff_name, when, who_or_what
from booking.models import Closure
from portal.area_admin import ScopedIndexView
from portal.areas import policy
from portal.refusals import add_refusal


class ClosureIndexView(ScopedIndexView):
    select_related = ("area", "room", "created_by")

    def own_columns(self):
        return [
            Column("where", label=gettext_lazy("Room"), accessor=closure_where),
            Column(
                "start", label=gettext_lazy("Closed from"), accessor=lambda c: local_minute(c.start), sort_key="start"
            ),
            Column("end", label=gettext_lazy("Closed until"), accessor=lambda c: local_minute(c.end), sort_key="end"),
            Column("reason", label=gettext_lazy("Reason"), accessor="reason"),
            Column("created_by", label=gettext_lazy("Entered by"), accessor=lambda c: staff_name(c.created_by)),
        ]


def closure_where(closure):
    return closure.room.name if closure.room_id else _("All rooms")


def local_minute(value):
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


class ClosureCreateView(WagtailAdminTemplateMixin, View):
    """Enter a closure. When it overlaps bookings, staff see them (masked) and confirm that
    they are cancelled and the residents told; rules.close() does it all in one transaction."""

    template_name = "booking/admin/closure_form.html"
    page_title = gettext_lazy("Close a room")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not policy(Closure).user_has_permission(request.user, "add"):
            raise PermissionDenied
        self.rooms = own_rooms(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return ClosureForm(data, user=self.request.user, rooms=self.rooms)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        closure = form.instance
        overlapped = list(rules.overlapped_by(closure).select_related("resident").order_by("start"))
        seen = form.seen_ids()
        unseen = {reservation.pk for reservation in overlapped} - seen
        if overlapped and unseen:
            if seen:
                messages.warning(request, _("Bookings were made since you looked: please check the list again."))
            return self.render(form, overlapped)
        if overlapped and not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick the box to cancel these bookings, or change the closure."))
            return self.render(form, overlapped, status=400)
        try:
            rules.close(closure, request.user)
        except rules.BookingRefused as refusal:
            add_refusal(form, refusal)
            return self.render(form, status=refusal.status)
        if overlapped:
            messages.success(
                request,
                ngettext(
                    "Closure saved: %(count)s booking was cancelled and the resident will be told by SMS.",
                    "Closure saved: %(count)s bookings were cancelled and the residents will be told by SMS.",
                    len(overlapped),
                )
                % {"count": len(overlapped)},
            )
        else:
            messages.success(request, _("Closure saved."))
        return redirect("closures:index")

    def render(self, form, overlapped=(), status=200):
        if overlapped:
            # What staff confirm is exactly this list; the box starts unticked for a new list.
            seen = ",".join(str(reservation.pk) for reservation in overlapped)
            form.data = form.data.copy()
            if form.data.get("seen") != seen:
                form.data.pop("confirm", None)
            form.data["seen"] = seen
        context = self.get_context_data(
            form=form,
            overlapped=[
                {
                    "when": when(reservation),
                    "room": reservation.room.name,
                    "kind": reservation.get_kind_display(),
                    "who": who_or_what(reservation),
                    "status": reservation.get_status_display(),
                }
                for reservation in overlapped
            ],
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("closures:index"), "label": capfirst(Closure._meta.verbose_name_plural)},
            {"url": "", "label": self.get_page_title()},
        ]
