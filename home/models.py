from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, route
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.blocks import (
    BaseStreamBlock,
    NoticeStreamBlock,
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
        "services.ServiceIndexPage",
        "activities.ActivityIndexPage",
        "staff.StaffSchedulePage",
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
    lead approves (home.notice_approval)."""

    def approves(self):
        return self.user.is_superuser or self.user.has_perm("home.publish_notice")

    def can_publish(self):
        return super().can_publish() and self.approves()

    def can_publish_subpage(self):
        # Creating a notice and publishing it in one go.
        return super().can_publish_subpage() and self.approves()
