"""The training matrix in the admin's "Staff and duty" menu, and how its log entries read."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from portal.areas import AreaPermissionPolicy
from services.admin_views import TrainingMatrixView, reads_training
from services.models import ServiceTraining

register_permission_policy(ServiceTraining, AreaPermissionPolicy(ServiceTraining, "staff_member__area"))

# The "Staff and duty" menu group (staff/wagtail_hooks.py) takes the items registered with this hook.
STAFF_MENU_HOOK = "register_staff_menu_item"


class TrainingReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_training(request.user)


class ServiceTrainingViewSet(ViewSet):
    name = "service_training"
    url_prefix = "staff/training"
    icon = "tasks"
    menu_label = gettext_lazy("Service training")
    menu_item_class = TrainingReadersMenuItem
    menu_hook = STAFF_MENU_HOOK
    menu_order = 3  # after the weekly plan and the staff members

    def get_urlpatterns(self):
        return [path("", TrainingMatrixView.as_view(), name="index")]


@hooks.register("register_admin_viewset")
def register_training_viewset():
    return ServiceTrainingViewSet()


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    # The action names are stored in the log: they keep the app the matrix began in.
    @actions.register_action("activities.training.record")
    class RecordTraining(LogFormatter):
        label = gettext_lazy("Record service training")

        def format_message(self, log_entry):
            return _("Trained on %(service)s on %(date)s") % log_entry.data

    @actions.register_action("activities.training.clear")
    class ClearTraining(LogFormatter):
        label = gettext_lazy("Clear service training")

        def format_message(self, log_entry):
            return _("Needs training on %(service)s again") % log_entry.data
