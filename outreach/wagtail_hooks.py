"""The "Suggestions" menu of the Wagtail admin: the area's inbox and recording a suggestion
for a resident, and the answer templates. Staff reach their own area's suggestions;
supervisors read every area's. Templates shared by every area: outreach/template_admin.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from outreach import admin_views as views
from outreach import template_admin
from outreach.models import AnswerTemplate, Suggestion
from portal.area_admin import NoUnusedViewsMixin, ScopedEditView
from portal.areas import AreaPermissionPolicy, SharedRowsPolicy

register_permission_policy(Suggestion, AreaPermissionPolicy(Suggestion, "area"))
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
    return SuggestionsGroup()
