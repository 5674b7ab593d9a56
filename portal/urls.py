from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from activities.api import router as activities_api
from booking.api import router as booking_api
from home import search_views
from home.sitemaps import AreaPages, AreaViews
from outreach.api import router as outreach_api
from portal import area_admin, views
from portal.admin_auth import ThrottledLoginView
from portal.api import api
from portal.api_auth import router as auth_api
from services import guides

# The 500 page, or a 503 "try again shortly" while the database cannot be reached (portal/views.py).
handler500 = "portal.views.server_error"

api.add_router("/auth/", auth_api)
api.add_router("/", booking_api)
api.add_router("/", activities_api)
api.add_router("/", outreach_api)

# Wagtail admin views held to the area boundary (portal/area_admin.py), in front of Wagtail's own
# and wrapped as Wagtail wraps its admin URLs: signed in with admin access, never cached.
admin_overrides = [
    path("admin/reports/site-history/", area_admin.SiteHistoryView.as_view()),
    path("admin/reports/site-history/results/", area_admin.SiteHistoryView.as_view(results_only=True)),
    path("admin/reports/page-types-usage/", area_admin.AreaPageTypesUsageReportView.as_view()),
    path(
        "admin/reports/page-types-usage/results/",
        area_admin.AreaPageTypesUsageReportView.as_view(results_only=True),
    ),
    path("admin/tag-autocomplete/", area_admin.tag_autocomplete),
    path("admin/tag-autocomplete/<app_name>/<model_name>/", area_admin.tag_autocomplete),
]
admin_overrides = decorate_urlpatterns(decorate_urlpatterns(admin_overrides, require_admin_access), never_cache)

urlpatterns = [
    # Wagtail's login, with a limit on failed attempts (portal/admin_auth.py).
    path("admin/login/", ThrottledLoginView.as_view()),
    *admin_overrides,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("large-mode/", views.large_mode, name="large_mode"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AreaPages, "views": AreaViews}}, name="sitemap"),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents are served by /documents/, which checks who may download them.
    urlpatterns += [
        re_path(r"^media/(?P<path>(?:original_images|images)/.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Chinese at /, English under /en/. Wagtail's page serving comes last.
urlpatterns += i18n_patterns(
    path("accounts/", include("portal.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("search/", search_views.search, name="search"),
    path("guide/<slug:slug>/", guides.go_to_guide, name="service_guide"),
    # Wagtail's own front-end sign-ins: pages for signed-in readers send them to the residents'
    # sign-in (which has its limits), and guesses at a page's password are limited too.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include("booking.urls")),
    path("", include("outreach.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
