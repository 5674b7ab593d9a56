"""The 15 services every staff member handles: one shared set of guides kept by the
subdistrict's editors (ServiceLibraryPage), read through each area's services page with that
area's own hours and phone, and the 全科 training matrix of who is trained on which."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, route
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, PageManager
from wagtail.models.i18n import pk
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.blocks import ChecklistBlock, DocumentBlock, StepBlock
from staff.models import StaffMember


class ServiceTheme(models.TextChoices):
    ELDERLY = "elderly", _("Elderly care")
    MEDICAL = "medical", _("Medical care")
    CERTIFICATES = "certificates", _("Certificates")
    ASSISTANCE = "assistance", _("Social assistance")
    EMPLOYMENT = "employment", _("Employment")


class ServiceLibraryPage(Page):
    """The subdistrict's one set of the 15 service guides, kept by its editors.

    It sits outside every area's site; each area's services page (ServiceIndexPage) shows the
    guides with that area's own reception hours and phone."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["services.ServiceGuidePage"]

    class Meta:
        verbose_name = _("service guide library")
        verbose_name_plural = _("service guide libraries")

    preview_modes = []  # nothing to preview: its guides are previewed one by one

    def get_url_parts(self, request=None):
        return None  # not a page residents visit: the guides are read through each area's services page


class ServiceIndexPage(RoutablePageMixin, Page):
    """An area's 办事指南 page: the shared guides by theme, each at <this page>/<guide slug>/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = [settings.PORTAL_HOME_PAGE]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("services page")
        verbose_name_plural = _("services pages")

    def guides(self):
        """The live guides in this page's language, and the Chinese ones not translated yet."""
        return ServiceGuidePage.objects.in_language(self.locale_id)

    def get_sitemap_urls(self, request=None):
        """This page and each guide read through it (the guides in the library have no address of their own)."""
        here = self.get_full_url(request)
        guides = [
            {"location": here + self.reverse_subpage("guide", args=(guide.slug,)), "lastmod": guide.last_published_at}
            for guide in self.guides().order_by("path")
        ]
        return super().get_sitemap_urls(request) + guides

    @route(r"^$")
    def index_view(self, request):
        from services import guides

        return guides.index(request, self)

    @route(r"^(?P<slug>[-\w]+)/$", name="guide")
    def guide_view(self, request, slug):
        from services import guides

        return guides.guide(request, self, slug)


class ServiceGuidePageQuerySet(PageQuerySet):
    def in_language(self, locale):
        """Live public guides in `locale` (a Locale or its id), with the default language's guide
        where a guide has no translation in it yet (so an English reader still sees all 15)."""
        guides = self.live().public()
        default = Locale.get_default()
        if pk(locale) == default.pk:
            return guides.filter(locale=default)
        translated = guides.filter(locale=locale)
        return guides.filter(
            models.Q(locale=locale)
            | models.Q(locale=default) & ~models.Q(translation_key__in=translated.values("translation_key"))
        )


class ServiceGuidePage(Page):
    """How to get one of the 15 services done: who, what to bring, the steps, how long, what it costs."""

    theme = models.CharField(_("theme"), max_length=20, choices=ServiceTheme)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences: what this service is for."))
    eligibility = RichTextField(_("who is eligible"), features=["bold", "link", "ul"])
    materials = StreamField(
        [("checklist", ChecklistBlock())],
        verbose_name=_("materials to bring"),
        blank=True,
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    processing_time = models.CharField(_("processing time"), max_length=100, blank=True)
    fees = models.CharField(_("fees"), max_length=100, blank=True)
    forms = StreamField([("document", DocumentBlock())], verbose_name=_("related forms"), blank=True)
    online_service_url = models.URLField(
        _("official online service"),
        blank=True,
        help_text=_("Only an address you have checked on the official government service site. Leave empty if none."),
    )
    notes = RichTextField(_("notes"), blank=True, features=["bold", "link", "ul"])
    popular = models.BooleanField(
        _("popular"),
        default=False,
        help_text=_("Listed on the home page and suggested when a search finds nothing."),
    )
    sample_content = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("Ticked on the demo's guides: residents see that the text still has to be checked."),
    )

    objects = PageManager.from_queryset(ServiceGuidePageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("eligibility"),
        FieldPanel("materials"),
        FieldPanel("steps"),
        FieldRowPanel([FieldPanel("processing_time"), FieldPanel("fees")]),
        FieldPanel("forms"),
        FieldPanel("online_service_url"),
        FieldPanel("notes"),
        FieldRowPanel([FieldPanel("popular"), FieldPanel("sample_content")]),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("eligibility"),
        index.SearchField("materials"),
        index.SearchField("steps"),
        index.SearchField("notes"),
        index.FilterField("theme"),
    ]

    parent_page_types = ["services.ServiceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")

    def services_page(self, request=None):
        """The services page this guide is read through: the current site's (the default site's
        without a request), in the guide's language where the area has one."""
        from services import guides

        return guides.services_page_for(request, self.locale_id)

    def get_url_parts(self, request=None):
        services = self.services_page(request)
        parts = services.get_url_parts(request) if services is not None else None
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, path = parts
        return site_id, root_url, path + services.reverse_subpage("guide", args=[self.slug])

    def serve_preview(self, request, mode_name):
        from services import guides

        return guides.render(request, self, self.services_page(request))

    def search_detail(self):
        return self.get_theme_display()


class ServiceTraining(models.Model):
    """A staff member trained on one of the 15 services (the 全科 matrix), and when last."""

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="trainings"
    )
    service = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="trainings",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    trained_on = models.DateField(_("last trained on"))

    class Meta:
        verbose_name = _("service training")
        verbose_name_plural = _("service trainings")
        constraints = [
            models.UniqueConstraint(fields=["staff_member", "service"], name="one_training_row_per_staff_service")
        ]

    def __str__(self):
        return f"{self.staff_member} · {self.service.title}"
