"""The outreach menus of the Wagtail admin: the suggestions inbox, recording a suggestion for a
resident and the answer templates (shared ones: outreach/template_admin.py); the visit diary
and reception log, and the quarter figures; the subdistrict's quarterly spot checks of the
records; residents' requests for a correction. Staff reach their own area's rows; supervisors
read every area's."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from outreach import admin_views as views
from outreach import correction_admin, record_admin, reviews, spotcheck_admin, spotchecks, template_admin
from outreach.models import AnswerTemplate, CorrectionRequest, Suggestion
from portal.area_admin import NoUnusedViewsMixin, ScopedEditView
from portal.areas import AreaPermissionPolicy, SharedRowsPolicy, request_staff_area, sees_every_area

register_permission_policy(Suggestion, AreaPermissionPolicy(Suggestion, "area"))
register_permission_policy(CorrectionRequest, AreaPermissionPolicy(CorrectionRequest, "area"))
register_permission_policy(AnswerTemplate, SharedRowsPolicy(AnswerTemplate))


class SuggestionViewSet(NoUnusedViewsMixin, ModelViewSet):
    """Suggestions are read here and changed only through outreach.suggestions (the steps)."""

    model = Suggestion
    name = "suggestions"
    url_prefix = "suggestions"
    icon = "mail"
    menu_label = _("Inbox")
    index_view_class = views.SuggestionIndexView
    inspect_view_class = views.SuggestionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # personal data stays out of every index
    absent_views = ("edit", "delete", "history", "usage", "copy")
    search_fields = ["number", "text", "place"]
    list_per_page = 30

    @property
    def url_finder_class(self):
        return type("SuggestionURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", views.RecordView.as_view(), name="add"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/photo/", views.photo, name="photo"),
            path("<int:pk>/<slug:step>/", views.StepView.as_view(), name="step"),
        ]


class CorrectionRequestViewSet(NoUnusedViewsMixin, ModelViewSet):
    """Requests are read here and answered only through outreach.corrections."""

    model = CorrectionRequest
    name = "correction_requests"
    url_prefix = "corrections"
    icon = "help"
    menu_label = _("Correction requests")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = correction_admin.CorrectionIndexView
    inspect_view_class = correction_admin.CorrectionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # personal data stays out of every index
    absent_views = ("add", "edit", "delete", "history", "usage", "copy")
    list_per_page = 30

    @property
    def url_finder_class(self):
        return type("CorrectionURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/reply/", correction_admin.ReplyView.as_view(), name="reply"),
        ]


class AnswerTemplateViewSet(NoUnusedViewsMixin, ModelViewSet):
    model = AnswerTemplate
    name = "answer_templates"
    url_prefix = "suggestions/answer-templates"
    icon = "doc-full"
    menu_label = _("Answer templates")
    index_view_class = template_admin.AnswerTemplateIndexView
    edit_view_class = ScopedEditView
    delete_view_class = template_admin.AnswerTemplateDeleteView
    copy_view_enabled = False
    add_to_reference_index = False
    absent_views = ("history", "usage", "copy")
    search_fields = ["title", "text"]
    edit_handler = ObjectList(
        [FieldPanel("area"), FieldPanel("category"), FieldPanel("title"), FieldPanel("text"), FieldPanel("sort_order")],
        base_form_class=template_admin.AnswerTemplateForm,
    )


class SuggestionsGroup(ViewSetGroup):
    menu_label = _("Suggestions")
    menu_icon = "mail"
    menu_order = 250
    items = (SuggestionViewSet, AnswerTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [SuggestionsGroup(), CorrectionRequestViewSet()]


@hooks.register("register_admin_urls")
def register_record_urls():
    urls = [
        path("", record_admin.RecordIndexView.as_view(), name="index"),
        path("quarter/", record_admin.QuarterView.as_view(), name="quarter"),
        path("areas/", record_admin.AreasView.as_view(), name="areas"),
        path("<slug:kind>/new/", record_admin.RecordEditView.as_view(), name="add"),
        path("<slug:kind>/<int:pk>/", record_admin.RecordDetailView.as_view(), name="detail"),
        path("<slug:kind>/<int:pk>/edit/", record_admin.RecordEditView.as_view(), name="edit"),
    ]
    return [path("records/", include((urls, "outreach_records")))]


class StaffMenuItem(MenuItem):
    """For the area's staff (who record) and the supervisors (who read)."""

    def is_shown(self, request):
        return request_staff_area(request) is not None or sees_every_area(request.user)


class RecordingMenuItem(MenuItem):
    def is_shown(self, request):
        return request_staff_area(request) is not None


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_every_area(request.user)


class RecordsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request_staff_area(request) is not None or sees_every_area(request.user)


@hooks.register("register_admin_menu_item")
def register_records_menu():
    items = [
        RecordingMenuItem(
            _("Record a home visit"), reverse("outreach_records:add", args=["visit"]), icon_name="plus", order=10
        ),
        RecordingMenuItem(
            _("Record a reception case"), reverse("outreach_records:add", args=["case"]), icon_name="plus", order=20
        ),
        StaffMenuItem(
            _("Visit diary and reception log"), reverse("outreach_records:index"), icon_name="doc-full", order=30
        ),
        StaffMenuItem(_("Quarter figures"), reverse("outreach_records:quarter"), icon_name="table", order=40),
        SupervisorMenuItem(_("Areas compared"), reverse("outreach_records:areas"), icon_name="table", order=50),
    ]
    return RecordsMenuItem(_("Visits and reception"), Menu(items=items), icon_name="doc-full", order=255)


class SpotCheckReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return spotchecks.may_draw(request.user) or request_staff_area(request) is not None


@hooks.register("register_admin_urls")
def register_spot_check_urls():
    urls = [
        path("", spotcheck_admin.IndexView.as_view(), name="index"),
        path("draw/", spotcheck_admin.DrawView.as_view(), name="draw"),
        path("<int:pk>/", spotcheck_admin.CheckView.as_view(), name="check"),
        path("<int:pk>/items/<int:item_pk>/", spotcheck_admin.MarkView.as_view(), name="mark"),
        path(
            "<int:pk>/items/<int:item_pk>/number/", spotcheck_admin.CallbackNumberView.as_view(), name="callback_number"
        ),
        path("<int:pk>/finish/", spotcheck_admin.FinishView.as_view(), name="finish"),
        path("<int:pk>/workbook/", spotcheck_admin.WorkbookView.as_view(), name="workbook"),
    ]
    return [path("spot-checks/", include((urls, "spot_checks")))]


@hooks.register("register_admin_menu_item")
def register_spot_check_menu_item():
    return SpotCheckReadersMenuItem(_("Spot checks"), reverse("spot_checks:index"), icon_name="tasks", order=260)


class TodayPanel(Component):
    """On a staff member's dashboard: today's home visits as published, and what they have
    recorded today, so that every visit is written down the same day."""

    name = "outreach_today"
    order = 80
    template_name = "outreach/admin/today_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return reviews.today(self.user)


@hooks.register("construct_homepage_panels")
def add_today_panel(request, panels):
    if request_staff_area(request) is not None:
        panels.append(TodayPanel(request.user))
