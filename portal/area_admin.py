"""The area boundary in the Wagtail admin: the scoped views and forms every app's admin builds on,
and Wagtail's own screens held to the same boundary (portal/areas.py says who reaches what).

Our apps' admin screens take their rows from the model's permission policy through the scoped
generic views below (``ScopedIndexView`` and its siblings), so another area's row is a 404.

Wagtail's own screens know page and collection permissions but not areas, and some do not check
per object at all. Staff hold page permissions on two roots (the Chinese home page and its English
sibling), so Wagtail's explorable *root* is the tree root and "below the explorable root" is true
of every page: only ``explorable_instances`` is a safe test. What is held here, and how:

- every admin URL naming a page (explorer, chooser, move confirmation, workflow screens)
  answers 403 for a page outside the user's areas (``PageBoundaryMiddleware``);
- the page types usage report counts and names only the user's own pages;
- the site history report shows area-scoped models' entries of the user's area only;
- the admin API's image and document endpoints list what the user may choose or change;
- bulk actions take only objects the user reaches, on the confirmation page as on submit;
- tag autocomplete offers only tags of what the user reaches.

``tests/test_area_boundary.py`` walks every admin URL as staff of the other area, looking for
marker titles planted in one area: whatever Wagtail adds later is checked the same way.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404, JsonResponse
from django.shortcuts import get_list_or_404, get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from portal.areas import area_policy, areas_for, changeable, readable, sees_every_area
from portal.ids import is_id

# Our apps' admin screens


class AdminPageMixin(WagtailAdminTemplateMixin):
    """An admin page of our own, its title the last breadcrumb."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class ScopedIndexView(generic.IndexView):
    """A listing of the rows the user reads; with an "area" column for those who read every area."""

    select_related = ()
    area_accessor = "area.name"  # where a row's area name is, for readers of every area

    def get_base_queryset(self):
        return readable(self.model, self.request.user).select_related(*self.select_related)

    @cached_property
    def columns(self):
        columns = list(self.own_columns())
        if sees_every_area(self.request.user):
            columns.insert(1, Column("area", label=gettext_lazy("Residents' area"), accessor=self.area_accessor))
        return columns

    def own_columns(self):
        return super().columns


class ScopedEditView(generic.EditView):
    def get_queryset(self):
        return changeable(self.model, self.request.user)


class ScopedInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(readable(self.model, self.request.user), pk=self.pk)


class ScopedHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return readable(self.model, self.request.user)


class ScopedUsageView(UsageView):
    def get_base_object_queryset(self):
        return changeable(self.model, self.request.user)


class NoUnusedViewsMixin:
    """For a viewset: only the views it lists in its URL patterns exist; links to the others
    are not drawn."""

    absent_views = ()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{f"{name}_url_name": None for name in self.absent_views}, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in self.absent_views]


class InTheUsersArea:
    """For a form of a row of an area (a room, a staff member, a closure): the row belongs to the
    area of the staff member who adds it; only superusers choose the area, and nobody moves the
    row to another area afterwards (its bookings or duty plan would follow)."""

    no_area_message = gettext_lazy("Your account belongs to no residents' area, so it cannot add this.")

    def place_in_area(self, user):
        if "area" in self.fields and (self.instance.pk or not user.is_superuser):
            del self.fields["area"]
        if not self.instance.pk and "area" not in self.fields:
            self.instance.area_id = user.area_id

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.area_id is None and "area" not in self.fields:
            raise ValidationError(self.no_area_message)
        return cleaned_data


class AreaRowForm(InTheUsersArea, WagtailAdminModelForm):
    """An admin form of a row of an area; photos come from the images the user may choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_in_area(self.for_user)
        if "photo" in self.fields:
            images = policy_registry.get_by_type(get_image_model())
            self.fields["photo"].queryset = images.instances_user_has_permission_for(self.for_user, "choose")


# Pages: only those of the user's own areas


def reachable_pages(user):
    """The pages of the user's areas (with their ancestors, which Wagtail shows as the path)."""
    return PagePermissionPolicy().explorable_instances(user)


# URL keyword arguments that name a page, in Wagtail's admin URLs and ours; the first two name a
# page acted on (never the tree's root), the others a place in the tree (the root too).
PAGE_KWARGS = ("page_id", "page_to_move_id", "parent_page_id", "destination_id")
CHOOSER_URL_NAMES = (
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_chosen_multiple",
)


def choosable_pages(request):
    """What the page chooser offers: the pages construct_page_chooser_queryset hooks leave."""
    from wagtail import hooks
    from wagtail.models import Page

    pages = Page.objects.all()
    for hook in hooks.get_hooks("construct_page_chooser_queryset"):
        pages = hook(pages, request)
    return pages


class PageBoundaryMiddleware:
    """Every admin URL that names a page (by a keyword argument such as page_id, or the chooser's
    ?id=) answers 403 unless the page is in the user's areas: Wagtail's explorer, move
    confirmation, workflow and chooser views show a page's title before checking anything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/admin/") or not request.user.is_authenticated:
            return None
        named = {name: view_kwargs[name] for name in PAGE_KWARGS if isinstance(view_kwargs.get(name), int)}
        url_name = request.resolver_match.url_name
        acted_on = {named[name] for name in PAGE_KWARGS[:2] if name in named}
        places = {named[name] for name in PAGE_KWARGS[2:] if name in named}
        if url_name == "wagtailadmin_choose_page_chosen_multiple":
            acted_on |= {int(value) for value in request.GET.getlist("id") if is_id(value)}
        if not acted_on and not places:
            return None  # no page named: nothing to look up (an inbox or a listing costs no page queries)
        pages = choosable_pages(request) if url_name in CHOOSER_URL_NAMES else reachable_pages(request.user)
        if acted_on and pages.filter(depth__gt=1, pk__in=acted_on).count() != len(acted_on):
            raise PermissionDenied
        if places and pages.filter(pk__in=places).count() != len(places):
            raise PermissionDenied
        return None


class AreaPageTypesUsageReportView(PageTypesUsageReportView):
    """Page types usage, counting and naming only the user's own pages (Wagtail's counts the
    whole tree and names the last edited page of each type anywhere, drafts included)."""

    def get_queryset(self):
        queryset = ContentType.objects.filter(model__in=self.page_models)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)
        pages = reachable_pages(self.request.user).filter(depth__gt=1)
        if language_code := self.filters.form.cleaned_data.get("page_locale"):
            pages = pages.filter(locale__language_code=language_code)
        if site_root_path := self.filters.form.cleaned_data.get("site"):
            pages = pages.filter(path__startswith=site_root_path)
        latest = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        queryset = queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages)),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        )
        return queryset.filter(count__gt=0).order_by("-count", "app_label", "model")


# The site history report


def note_the_area(sender, instance, raw=False, **kwargs):
    """pre_save of ModelLogEntry: an entry about an area's object keeps that area's id in its
    data, so the report still knows whose it was once the object is deleted."""
    if raw or instance.pk:
        return
    model = instance.content_type.model_class()
    found = area_policy(model) if model else None
    if found is None:
        return
    objects = model._base_manager.filter(pk=instance.object_id)
    area = objects.values_list(found.area_field, flat=True).first()
    if area is not None:
        instance.data = {**(instance.data or {}), "area": area}


class SiteHistoryView(LogEntriesView):
    """Wagtail lists the log entries of every object of a model the user has any permission on;
    entries of area-scoped models are kept to the user's own area's objects (supervisors see
    every area's), including objects deleted since."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        user = self.request.user
        # Page entries already follow the user's page permissions.
        if queryset.model is not ModelLogEntry or sees_every_area(user):
            return queryset
        scoped = [model for model in apps.get_models() if area_policy(model)]
        types = ContentType.objects.get_for_models(*scoped)
        shown = ~Q(content_type__in=types.values())
        for model, content_type in types.items():
            # Log entries keep the object's id as text.
            ids = readable(model, user).annotate(id_text=Cast("pk", CharField())).values("id_text")
            own = Q(object_id__in=ids)
            if user.area_id:
                own |= Q(data__area=user.area_id)  # also what was deleted since
            shown |= Q(content_type=content_type) & own
        return queryset.filter(shown)


# Images and documents: the admin API, bulk actions


class ReachableMediaMixin:
    """Images or documents the user may choose or change (Wagtail's admin API lists every
    collection's, hiding only collections with a privacy restriction)."""

    def get_queryset(self):
        from wagtail.api.v2.utils import get_restricted_collection_ids

        media_policy = policy_registry.get_by_type(self.model)
        return (
            media_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
            .exclude(collection__in=get_restricted_collection_ids(self.request))
            .order_by("id")
        )


class AreaImagesAdminAPIViewSet(ReachableMediaMixin, ImagesAdminAPIViewSet):
    pass


class AreaDocumentsAdminAPIViewSet(ReachableMediaMixin, DocumentsAdminAPIViewSet):
    pass


class ReachableObjectsOnly:
    """For a bulk action: the objects named in ?id= are looked up among those the user reaches,
    so neither the confirmation page nor the action itself sees another area's (Wagtail lists the
    titles of objects the user may not act on)."""

    def reachable(self):
        raise NotImplementedError

    def get_queryset(self, model, object_ids):  # shadows BulkAction.get_queryset (a classmethod)
        return get_list_or_404(self.reachable(), pk__in=object_ids)


class ReachablePagesOnly(ReachableObjectsOnly):
    def reachable(self):
        return reachable_pages(self.request.user).filter(depth__gt=1)


class ReachableMediaOnly(ReachableObjectsOnly):
    def reachable(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])


class ReachableSnippetsOnly(ReachableObjectsOnly):
    def reachable(self):
        return readable(self.model, self.request.user)


def scoped_bulk_actions():
    """Subclasses of every bulk action Wagtail registers, registered after its own."""
    from wagtail.admin.views.pages import bulk_actions as pages
    from wagtail.documents.views import bulk_actions as documents
    from wagtail.images.views import bulk_actions as images
    from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDelete

    class MoveToReachable(ReachablePagesOnly, pages.MoveBulkAction):
        def get_form(self, form_class=None):
            form = super().get_form(form_class)
            form.fields["chooser"].queryset = reachable_pages(self.request.user)
            return form

    found = [MoveToReachable]
    for base in (pages.DeleteBulkAction, pages.PublishBulkAction, pages.UnpublishBulkAction):
        found.append(type(f"Reachable{base.__name__}", (ReachablePagesOnly, base), {}))
    for module in (images, documents):
        for base in (module.AddTagsBulkAction, module.AddToCollectionBulkAction, module.DeleteBulkAction):
            found.append(type(f"Reachable{base.__name__}", (ReachableMediaOnly, base), {}))
    found.append(type("ReachableSnippetDelete", (ReachableSnippetsOnly, SnippetDelete), {}))
    return found


# Tags


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete, offering only tags of images and documents the user reaches
    (Wagtail's offers every tag of the installation, other areas' included)."""
    from taggit.models import TaggedItem
    from wagtail.documents import get_document_model

    term = request.GET.get("term")
    if not term or (app_name, model_name) not in ((None, None), ("taggit", "tag")):
        return JsonResponse([], safe=False)
    used = Q(pk__in=[])
    for model in (get_image_model(), get_document_model()):
        media = policy_registry.get_by_type(model).instances_user_has_any_permission_for(
            request.user, ["choose", "change"]
        )
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=media.values("pk")
        )
        used |= Q(pk__in=tagged.values("tag_id"))
    tags = Tag.objects.filter(used, name__istartswith=term).order_by("name").values_list("name", flat=True)
    return JsonResponse(list(tags[:10]), safe=False)


class ChosenAreaMixin:
    """The area an admin page is about: the user's own, or for those who read every area, the
    one they chose (``?area=``); one they may not read is a 404."""

    def choose_area(self, request, data):
        areas = areas_for(request.user)
        chosen = data.get("area")
        if chosen and is_id(str(chosen)):
            area = areas.filter(pk=chosen).first()
            if area is None:
                raise Http404
            return area
        own = areas.filter(pk=request.user.area_id).first() if request.user.area_id else None
        area = own or areas.first()
        if area is None:
            raise Http404
        return area


def register_log_actions(actions, *tables):
    """For a ``register_log_actions`` hook: each table maps an action name (as stored in the log)
    to its (label, message)."""
    for table in tables:
        for action, (label, message) in table.items():
            actions.register_action(action, label, message)
