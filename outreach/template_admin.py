"""Staff's answer templates in the Wagtail admin: replies they start from in a suggestion's
answer and edit there.

A template is one area's, or shared by every area (its area empty). Staff read their area's
and the shared ones and change their area's; supervisors read all and change the shared ones;
superusers change all and choose the area (portal.areas.SharedRowsPolicy). Nobody moves a
template to another area afterwards.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from outreach.models import AnswerTemplate
from portal.area_admin import ScopedIndexView
from portal.areas import policy, sees_every_area


def where_used(template):
    return template.area.name if template.area_id else _("Every area")


class AnswerTemplateForm(WagtailAdminModelForm):
    """Staff's new templates are their area's, supervisors' are shared; only superusers choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if self.instance.pk or not user.is_superuser:
            del self.fields["area"]
        if not self.instance.pk and not user.is_superuser:
            self.instance.area_id = None if sees_every_area(user) else user.area_id

    def clean(self):
        cleaned_data = super().clean()
        user = self.for_user
        if not self.instance.pk and self.instance.area_id is None and not sees_every_area(user):
            raise ValidationError(_("Your account belongs to no residents' area, so it cannot add this."))
        return cleaned_data


class AnswerTemplateIndexView(ScopedIndexView):
    """The templates the user reads; links to change only those they may change (staff see the
    shared ones, and change their area's)."""

    select_related = ("area", "category")
    default_ordering = None

    @cached_property
    def columns(self):
        return [
            self._get_title_column("title"),
            Column("category", label=_("Category"), accessor=lambda t: t.category or _("Any category")),
            Column("area", label=_("Offered in"), accessor=where_used),
            Column("sort_order", label=_("Order")),
        ]

    def may(self, action, template):
        return policy(AnswerTemplate).user_has_permission_for_instance(self.request.user, action, template)

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.may("change", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.may("delete", instance) else None

    def order_queryset(self, queryset):
        return queryset.order_by(F("area").asc(nulls_first=True), "category__sort_order", "sort_order", "pk")


class AnswerTemplateDeleteView(generic.DeleteView):
    def get_queryset(self):
        return policy(AnswerTemplate).instances_user_has_permission_for(self.request.user, "delete")
