from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, route
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.blocks import (
    BaseStreamBlock,
    ChecklistBlock,
    DocumentBlock,
    NoticeStreamBlock,
    StepBlock,
)


class HomePage(Page):
    """The front page of one residents' area; each area's Site is rooted here."""

    intro = models.TextField(
        _("welcome"), blank=True, help_text=_("One or two sentences greeting residents at the top of the page.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "home.NoticeIndexPage",
        "home.ServiceIndexPage",
        "activities.ActivityIndexPage",
        "activities.StaffSchedulePage",
    ]

    class Meta:
        verbose_name = _("area home page")
        verbose_name_plural = _("area home pages")


class ContentPage(Page):
    """An ordinary page: about the committee, how the public rooms came to be, ..."""

    intro = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("image"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")


# Notices (通知公告)


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", _("Notice")
    ACTIVITY = "activity", _("Activity")
    CONVENIENCE = "convenience", _("Convenience")
    SAFETY = "safety", _("Safety")


class NoticeIndexPage(RoutablePageMixin, Page):
    """The area's notice board: pinned notices first, then the newest; an RSS feed."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("notice index page")
        verbose_name_plural = _("notice index pages")

    def permissions_for_user(self, user):
        return NoticePermissionTester(user, self)

    def notices(self):
        return NoticePage.objects.child_of(self).current().board_order()

    @route(r"^$")
    def index_view(self, request):
        from home import notices

        return notices.index(request, self)

    @route(r"^feed/$", name="feed")
    def feed_view(self, request):
        from home import notices

        return notices.feed(request, self)


# Newest first; a notice made live without being published has no first publishing time and
# comes after the others of its date on every database (PostgreSQL puts NULL first otherwise).
NEWEST_NOTICES = ("-date", models.F("first_published_at").desc(nulls_last=True), "-pk")


class NoticePageQuerySet(PageQuerySet):
    def current(self, now=None):
        """Live, public and not past expiry, even before the scheduled unpublish has run."""
        now = now or timezone.now()
        return self.live().public().filter(models.Q(expire_at__isnull=True) | models.Q(expire_at__gt=now))

    def board_order(self, today=None):
        """Pinned notices first (until their date has passed), then the newest."""
        today = today or timezone.localdate()
        return self.annotate(
            is_pinned=models.Case(
                models.When(pinned_until__gte=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        ).order_by("-is_pinned", *NEWEST_NOTICES)

    def important(self):
        return self.filter(important=True)


class NoticePage(RoutablePageMixin, Page):
    """One notice for the board. Staff draft it; the area lead approves and publishes it
    (the area's workflow on the notice index, and NoticePermissionTester)."""

    date = models.DateField(_("date"), default=timezone.localdate)
    category = models.CharField(_("category"), max_length=20, choices=NoticeCategory, default=NoticeCategory.NOTICE)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for the list and the home page.")
    )
    body = StreamField(NoticeStreamBlock(), verbose_name=_("body"), blank=True)
    pinned_until = models.DateField(
        _("pinned until"),
        null=True,
        blank=True,
        help_text=_("Keep this notice at the top of the list up to and including this date."),
    )
    important = models.BooleanField(
        _("important"),
        default=False,
        help_text=_(
            "Show this notice in the banner at the top of the home page. Set an expiry date in the "
            "Publishing settings so that the banner goes away by itself."
        ),
    )

    objects = PageManager.from_queryset(NoticePageQuerySet)()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("important"), FieldPanel("pinned_until")], heading=_("On the board and the home page")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("publish_notice", _("Can approve and publish notices"))]

    def permissions_for_user(self, user):
        return NoticePermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        # Past its expiry a notice is gone at once, before publish_scheduled unpublishes it.
        if self.expire_at is not None and self.expire_at <= timezone.now():
            raise Http404
        return super().serve(request, *args, **kwargs)

    @property
    def pinned(self):
        return self.pinned_until is not None and self.pinned_until >= timezone.localdate()

    @route(r"^print/$", name="print")
    def print_view(self, request):
        return self.render(request, template="home/notice_print.html")

    def search_detail(self):
        """What a search result shows under the title."""
        return formats.date_format(self.date, "DATE_FORMAT")


class NoticePermissionTester(PagePermissionTester):
    """Staff may draft notices; only those who may approve notices (the area lead) publish the
    board or a notice directly. Everyone else submits to the area's workflow, whose task the
    lead approves (portal.roles.require_notice_approval)."""

    def approves(self):
        return self.user.is_superuser or self.user.has_perm("home.publish_notice")

    def can_publish(self):
        return super().can_publish() and self.approves()

    def can_publish_subpage(self):
        # Creating a notice and publishing it in one go.
        return super().can_publish_subpage() and self.approves()


# Service guides (办事指南)


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
    subpage_types = ["home.ServiceGuidePage"]

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
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("services page")
        verbose_name_plural = _("services pages")

    def guides(self):
        """The live guides in this page's language, and the Chinese ones not translated yet."""
        return ServiceGuidePage.objects.in_language(self.locale)

    @route(r"^$")
    def index_view(self, request):
        from home import guides

        return guides.index(request, self)

    @route(r"^(?P<slug>[-\w]+)/$", name="guide")
    def guide_view(self, request, slug):
        from home import guides

        return guides.guide(request, self, slug)


class ServiceGuidePageQuerySet(PageQuerySet):
    def in_language(self, locale):
        """Live public guides in `locale`, with the default language's guide where a guide has no
        translation in it yet (so an English reader still sees all 15)."""
        guides = self.live().public()
        default = Locale.get_default()
        if locale.pk == default.pk:
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

    parent_page_types = ["home.ServiceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")

    def services_page(self, request=None):
        """The services page this guide is read through: the current site's (the default site's
        without a request), in the guide's language where the area has one."""
        from home import guides

        return guides.services_page_for(request, self.locale_id)

    def get_url_parts(self, request=None):
        services = self.services_page(request)
        parts = services.get_url_parts(request) if services is not None else None
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, path = parts
        return site_id, root_url, path + services.reverse_subpage("guide", args=[self.slug])

    def serve_preview(self, request, mode_name):
        from home import guides

        return guides.render(request, self, self.services_page(request))

    def search_detail(self):
        return self.get_theme_display()
