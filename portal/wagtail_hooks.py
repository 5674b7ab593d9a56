from django.apps import apps
from django.db.models import Q
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from portal import admin_auth, area_admin, message_admin, residents_admin, two_factor
from portal.areas import request_staff_area
from portal.models import Area


@hooks.register("before_serve_page")
def serve_pages_only_in_their_own_language(page, request, serve_args, serve_kwargs):
    """Wagtail falls back to the Chinese home page when an area has no English one,
    which would serve Chinese under /en/. Send the reader to the Chinese address."""
    try:
        in_its_language = page.locale_id == Locale.objects.get_for_language(get_language()).pk
    except (Locale.DoesNotExist, LookupError):  # no locale of the reader's language
        in_its_language = False
    if not in_its_language:
        return redirect(page.get_url(request))


@hooks.register("construct_page_chooser_queryset")
def choose_only_reachable_pages(pages, request):
    """Link and move choosers list only the pages of the user's own areas, and the live pages of
    the types an app shares with every area (AppConfig.shared_page_models: the service guides,
    public, and linked to from notices)."""
    shared = [
        apps.get_model(config.label, name)
        for config in apps.get_app_configs()
        for name in getattr(config, "shared_page_models", ())
    ]
    reachable = PagePermissionPolicy().explorable_instances(request.user)
    visible = Q(pk__in=reachable.values("pk"))
    if shared:
        visible |= Q(pk__in=Page.objects.type(*shared).live().values("pk"))
    return pages.filter(visible)


class AreaViewSet(ModelViewSet):
    model = Area
    icon = "site"
    add_to_settings_menu = True
    form_fields = ["name", "slug", "subdistrict", "site"]
    list_display = ["name", "subdistrict", "site"]
    search_fields = ["name", "subdistrict"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not for_update:
            return form_class

        class AreaEditForm(form_class):
            # The staff group's rights hang off this site's pages; moving the area
            # to another site would leave them behind.
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["site"].disabled = True

        return AreaEditForm


@hooks.register("register_admin_viewset")
def register_area_viewset():
    return AreaViewSet("areas")


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return message_admin.MessageViewSet()


class AreaPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count, counting only the pages this user can reach
    (Wagtail counts the whole tree when a user's pages span several roots)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        context["total_pages"] = PagePermissionPolicy().explorable_instances(user).filter(depth__gt=1).count()
        if user.area_id:
            context["root_page"] = user.area.site.root_page
            context["site_name"] = user.area.name
        return context


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its own
def count_only_the_users_pages(request, summary_items):
    summary_items[:] = [
        AreaPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in summary_items
    ]


@hooks.register("register_admin_urls")
def register_resident_urls():
    urls = [
        path("", residents_admin.ResidentIndexView.as_view(), name="index"),
        path("add/", residents_admin.ResidentCreateView.as_view(), name="add"),
        path("move/", residents_admin.ResidentMoveView.as_view(), name="move"),
        path("<int:pk>/", residents_admin.ResidentDetailView.as_view(), name="detail"),
    ]
    return [path("residents/", include((urls, "portal_residents")))]


class ResidentsMenuItem(MenuItem):
    def is_shown(self, request):
        return request_staff_area(request) is not None


@hooks.register("register_admin_menu_item")
def register_residents_menu_item():
    return ResidentsMenuItem(_("Residents"), reverse("portal_residents:index"), icon_name="group", order=250)


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    area_admin.register_log_actions(
        actions, residents_admin.LOG_ACTIONS, admin_auth.LOG_ACTIONS, two_factor.LOG_ACTIONS
    )


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", two_factor.SetupView.as_view(), name="portal_2fa_setup"),
        path("two-factor/verify/", two_factor.VerifyView.as_view(), name="portal_2fa_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    return {
        "url": reverse("portal_2fa_setup"),
        "label": _("Two-step verification"),
        "help_text": _("Set up or replace the authenticator app you sign in with."),
    }


@hooks.register("construct_main_menu")
def no_menu_before_two_factor(request, menu_items):
    """While a required app is not set up (the only admin page then open), no menu."""
    if not request.user.is_verified() and two_factor.requires_two_factor(request.user):
        menu_items.clear()


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own registrations (order 0)
def scope_admin_api(router):
    router.register_endpoint("images", area_admin.AreaImagesAdminAPIViewSet)
    router.register_endpoint("documents", area_admin.AreaDocumentsAdminAPIViewSet)


for bulk_action in area_admin.scoped_bulk_actions():
    # Same action names and models as Wagtail's: registered later, they replace them.
    hooks.register("register_bulk_action", bulk_action, order=100)


@hooks.register("insert_global_admin_js")
def wechat_download_hint():
    """In WeChat's browser, the admin's downloads say how to open the page in the phone's own
    browser (static/js/wechat-admin.js), as the public pages' do."""
    return format_html(
        '<script src="{}" data-hint="{}" defer></script>',
        static("js/wechat-admin.js"),
        _(
            "WeChat cannot open this download. Tap ··· at the top right of the screen, choose “Open in Browser”, "
            "then tap the link again there."
        ),
    )


@hooks.register("before_serve_document")
def internal_documents_want_the_second_factor(document, request):
    """An area's internal documents (a collection only its staff may open) are opened only by a
    session that has done the second step where the account has one or needs one."""
    if document.collection.get_view_restrictions().filter(restriction_type="groups").exists():
        if target := two_factor.missing_step(request):
            return two_factor.send_to(target, request)
    return None
