"""The 全科 training matrix in the "Staff and duty" admin menu: an area's active staff against the
15 services, with the date each was last trained on each, and who still needs training.

Staff record dates for their own area; supervisors read every area's matrix and change nothing
(the area rules of the rest of the staff admin, staff.admin_views). The whole matrix is one
form. Each cell carries the value it showed, and only cells someone changed are written, so two
colleagues saving at once do not undo each other's dates; a date that cannot be read saves
nothing.
"""

from functools import reduce
from operator import or_
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.log_actions import log

from portal import dates
from portal.area_admin import AdminPageMixin, ChosenAreaMixin
from portal.areas import (
    areas_for,
    may_change_in_area,
    policy,
    sees_every_area,
)
from services.guides import by_theme
from services.models import ServiceGuidePage, ServiceTraining
from staff.models import StaffMember

# Recording a date adds or changes a row; clearing one deletes it.
EDIT_ACTIONS = ("add", "change", "delete")


def reads_training(user):
    return policy(ServiceTraining).user_has_any_permission(user, ["view", *EDIT_ACTIONS])


def services():
    """The 15 services: the live Chinese guides (training is recorded against them)."""
    return (
        ServiceGuidePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .defer_streamfields()
        .order_by("path")
    )


def not_in_future(day):
    if day > timezone.localdate():
        raise ValidationError(_("A training date cannot be in the future."))


class TrainingMatrixForm(forms.Form):
    """A date per staff member and service; an empty one means the person needs training."""

    def __init__(self, *args, staff, services, trainings, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = {}
        for member in staff:
            for service in services:
                name = f"trained-{member.pk}-{service.pk}"
                training = trainings.get((member.pk, service.pk))
                self.fields[name] = dates.DateField(
                    label=f"{member.name} · {service.title}",
                    required=False,
                    initial=training.trained_on if training else None,
                    # What the cell showed, so that saving writes only what this person changed.
                    show_hidden_initial=True,
                    validators=[not_in_future],
                    widget=forms.DateInput(format="%Y-%m-%d", attrs={"autocomplete": "off"}),
                    error_messages={"invalid": _("Write the date like 2026-03-05 or 2026年3月5日.")},
                )
                self.cells[name] = (member, service)

    def cell(self, member, service):
        return self[f"trained-{member.pk}-{service.pk}"]

    def save(self, user):
        """Write the changed cells in one transaction: a date entered or corrected, or cleared
        (the person needs training again), each logged in the staff member's history.
        Returns how many cells changed."""
        entered, cleared = [], []
        with transaction.atomic():
            for name in self.changed_data:
                member, service = self.cells[name]
                day = self.cleaned_data[name]
                previous = self.fields[name].initial
                data = {
                    "service": service.title,
                    "service_id": service.pk,
                    "previous": previous.isoformat() if previous else None,
                }
                # A uuid of its own: the history shows one entry per uuid and action, and one
                # save changes many cells.
                if day is None:
                    cleared.append(Q(staff_member=member, service=service))
                    log(member, "activities.training.clear", user=user, uuid=uuid4(), data=data)
                else:
                    entered.append(ServiceTraining(staff_member=member, service=service, trained_on=day))
                    data["date"] = day.isoformat()
                    log(member, "activities.training.record", user=user, uuid=uuid4(), data=data)
            if cleared:
                ServiceTraining.objects.filter(reduce(or_, cleared)).delete()
            if entered:
                # A colleague may have entered the same cell meanwhile: the later date entered wins.
                ServiceTraining.objects.bulk_create(
                    entered,
                    update_conflicts=True,
                    unique_fields=["staff_member", "service"],
                    update_fields=["trained_on"],
                )
        return len(entered) + len(cleared)


class TrainingMatrixView(ChosenAreaMixin, AdminPageMixin, View):
    """Rows of staff, columns of services, a date or "needs training" in each cell: four queries
    of its own (the area, its staff, the services, the dates) whatever the number of staff."""

    template_name = "services/admin/training_matrix.html"
    page_title = gettext_lazy("Service training")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not reads_training(request.user):
            raise PermissionDenied
        self.area = self.choose_area(request, request.POST if request.method == "POST" else request.GET)
        self.can_edit = all(
            may_change_in_area(request.user, ServiceTraining, action, self.area) for action in EDIT_ACTIONS
        )
        self.staff = list(StaffMember.objects.filter(area=self.area, active=True).order_by("sort_order", "name", "pk"))
        self.themes = by_theme(services())
        self.services = [service for _theme, group in self.themes for service in group]
        self.trainings = {
            (training.staff_member_id, training.service_id): training
            for training in ServiceTraining.objects.filter(staff_member__area=self.area, staff_member__active=True)
        }
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.area.name

    def form(self, data=None):
        if not self.can_edit:
            return None
        return TrainingMatrixForm(data, staff=self.staff, services=self.services, trainings=self.trainings)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        if not self.can_edit:
            raise PermissionDenied
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        changed = form.save(self.request.user)
        if changed:
            messages.success(
                request,
                ngettext("%(count)s training date saved.", "%(count)s training dates saved.", changed)
                % {"count": changed},
            )
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(matrix_url(self.area))

    def render(self, form, status=200):
        rows = []
        for member in self.staff:
            cells = [
                {
                    "service": service,
                    "training": self.trainings.get((member.pk, service.pk)),
                    "field": form.cell(member, service) if form else None,
                }
                for service in self.services
            ]
            rows.append({"staff": member, "cells": cells, "trained": sum(1 for cell in cells if cell["training"])})
        needs_training = [
            {
                "service": service,
                "staff": [member for member in self.staff if (member.pk, service.pk) not in self.trainings],
            }
            for service in self.services
        ]
        context = self.get_context_data(
            area=self.area,
            areas=areas_for(self.request.user) if sees_every_area(self.request.user) else None,
            themes=self.themes,
            services=self.services,
            rows=rows,
            needs_training=needs_training,
            form=form,
            errors=[field for field in form if field.errors] if form and form.is_bound else [],
            can_edit=self.can_edit,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


def matrix_url(area):
    return f"{reverse('service_training:index')}?{urlencode({'area': area.pk})}"
