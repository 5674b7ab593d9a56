"""What happens when: activity pages with their repeating schedules, the session rows those
schedules produce, and residents' sign-ups.

Schedules and per-session changes are part of the page (so they go through revisions and
publishing); sessions are rows expanded from them for a rolling window by
activities.sessions, so listings are one range query. A session in a room holds the room's
time as a class row in booking's table, under the same rule as residents' bookings.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, route
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from portal import restrictions
from portal.blocks import BaseStreamBlock
from portal.localtime import LocalTimes, TimeSpanQuerySet
from portal.models import EnglishVariants
from portal.recurrence import RepeatPattern


class ActivityCategory(EnglishVariants, models.Model):
    """A kind of activity (文体, 健康, 教育, ...), the same for every area of the subdistrict."""

    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=30, unique=True, help_text=_("Latin letters, used in addresses."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.localized("name")


class ActivityIndexPage(RoutablePageMixin, Page):
    """What is on in the area: this week by day, a month view, a plain list and the feeds.

    The views live in activities/views.py (the `@route`s delegate there)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = [settings.PORTAL_HOME_PAGE]
    subpage_types = ["activities.ActivityPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("activity index page")
        verbose_name_plural = _("activity index pages")

    @route(r"^$")
    @route(r"^week/(?P<day>\d{4}-\d{2}-\d{2})/$", name="week")
    def week_view(self, request, day=None):
        from activities import views

        return views.week(request, self, day)

    @route(r"^month/$", name="this_month")
    @route(r"^month/(?P<year>\d{4})/(?P<month>\d{1,2})/$", name="month")
    def month_view(self, request, year=None, month=None):
        from activities import views

        return views.month(request, self, year, month)

    @route(r"^list/$", name="list")
    def list_view(self, request):
        from activities import views

        return views.session_list(request, self)

    @route(r"^my-signups/$", name="my_signups")
    def my_signups_view(self, request):
        from activities import views

        return views.my_signups(request, self)

    @route(r"^calendar/$", name="feed")
    def feed_view(self, request):
        from activities import feeds

        return feeds.area_feed(request, self)

    # After the @route views: in the class body, "route" names the decorator until here.
    def route(self, request, path_components):
        """The index's own routes first; then an activity found with one query, with the picture,
        room and category its page shows, where Wagtail would take two (the page, then its own
        type's row) and three more."""
        if self.live and path_components:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                activity = (
                    ActivityPage.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related("image", "room", "category")
                    .first()
                )
                if activity is not None:
                    activity._cached_parent_obj = self  # as Wagtail's own routing does: get_parent() is this page
                    return activity.route(request, path_components[1:])
        return super().route(request, path_components)


class ActivityPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from activities import editor

        editor.limit_rooms(self)


class NextDatesPanel(Panel):
    """The next dates the saved schedules give, with room clashes, at the top of the Schedule tab."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            from activities import editor

            return editor.next_dates_panel(self.request, self.instance)


class ActivityPage(RoutablePageMixin, Page):
    """One class or group, such as the qipao group (旗袍班), with its schedules."""

    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown in listings."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    category = models.ForeignKey(
        ActivityCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organiser = models.CharField(_("organiser"), max_length=100, blank=True, help_text=_("For example 旗袍队 王老师."))
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, help_text=_("A work number, published on the page.")
    )
    room = models.ForeignKey(
        "booking.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Sessions hold this room's time. Leave empty and give a place for activities elsewhere."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("For example 小区中心花园."))
    capacity = models.PositiveSmallIntegerField(
        _("places per session"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    signup_required = models.BooleanField(_("residents sign up for each session"), default=False)
    how_to_join = models.TextField(_("how to join"), blank=True, help_text=_("For example 直接到场，自带水杯."))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("category"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organiser"), FieldPanel("contact_phone")]),
                FieldRowPanel([FieldPanel("room"), FieldPanel("place")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("signup_required")]),
                FieldPanel("how_to_join"),
            ],
            heading=_("Where and how to join"),
        ),
        InlinePanel("photos", heading=_("Photos"), label=_("photo")),
    ]
    schedule_panels = [
        NextDatesPanel(heading=_("Next dates")),
        InlinePanel("schedules", heading=_("Schedules"), label=_("schedule"), min_num=0),
        InlinePanel(
            "session_changes",
            heading=_("Changes to single sessions"),
            label=_("change"),
            help_text=_("Cancel or move one session, or add a note to it, without touching the schedule."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(schedule_panels, heading=_("Schedule")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("organiser"),
        index.FilterField("category"),
    ]
    base_form_class = ActivityPageForm
    parent_page_types = ["activities.ActivityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activity page")
        verbose_name_plural = _("activity pages")

    @route(r"^$")
    def page_view(self, request):
        from activities import views

        return views.activity(request, self)

    @route(r"^sessions/(?P<pk>\d+)/sign-up/$", name="sign_up")
    def sign_up_view(self, request, pk):
        from activities import views

        return views.sign_up(request, self, int(pk))

    @route(r"^sessions/(?P<pk>\d+)/cancel-sign-up/$", name="cancel_sign_up")
    def cancel_sign_up_view(self, request, pk):
        from activities import views

        return views.cancel_sign_up(request, self, int(pk))

    @route(r"^calendar/$", name="feed")
    def feed_view(self, request):
        from activities import feeds

        return feeds.activity_feed(request, self)

    @route(r"^sessions/(?P<pk>\d+)/calendar/$", name="session_ics")
    def session_ics_view(self, request, pk):
        from activities import feeds

        return feeds.session_ics(request, self, int(pk))

    preview_modes = [("", _("Page")), ("dates", _("Next dates and room clashes"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "dates":
            from activities import editor

            return editor.preview_dates(request, self)
        return super().serve_preview(request, mode_name)

    @cached_property
    def source_page(self):
        """The page whose schedules produce the sessions: the Chinese original of a translation."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return ActivityPage.objects.filter(translation_key=self.translation_key, locale=default).first() or self

    @property
    def where(self):
        return self.room.display_name if self.room_id else self.place

    def sessions(self):
        return Occurrence.objects.filter(activity=self.source_page).select_related("room")


class ActivityPhoto(Orderable):
    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=100, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ActivitySchedule(RepeatPattern, Orderable):
    """One repeating pattern of an activity; an activity may have several (Tuesdays and Fridays at
    different times)."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="schedules")

    panels = RepeatPattern.pattern_panels

    class Meta(Orderable.Meta):
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")


class SessionChange(Orderable):
    """An editor's change to the session(s) of one date, kept apart from the schedule's rule."""

    class Action(models.TextChoices):
        CANCEL = "cancel", _("Cancel this session")
        MOVE = "move", _("Move it (shown as 改期)")
        NOTE = "note", _("Add a note")

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="session_changes")
    date = models.DateField(_("date of the session"))
    action = models.CharField(_("what to do"), max_length=10, choices=Action.choices, default=Action.CANCEL)
    note = models.CharField(
        _("reason or note"), max_length=200, blank=True, help_text=_("Shown to residents, for example 老师生病.")
    )
    new_date = models.DateField(_("new date"), null=True, blank=True)
    new_start_time = models.TimeField(_("new start"), null=True, blank=True)
    new_end_time = models.TimeField(_("new end"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("action")]),
        FieldPanel("note"),
        FieldRowPanel([FieldPanel("new_date"), FieldPanel("new_start_time"), FieldPanel("new_end_time")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("change to one session")
        verbose_name_plural = _("changes to single sessions")

    def clean(self):
        errors = {}
        if self.action == self.Action.CANCEL and not self.note:
            errors["note"] = _("Tell residents why the session is cancelled.")
        if self.action == self.Action.MOVE:
            if not self.new_date:
                errors["new_date"] = _("Give the new date.")
            if self.new_start_time and self.new_end_time and self.new_end_time <= self.new_start_time:
                errors["new_end_time"] = _("The end must be after the start.")
        if errors:
            raise ValidationError(errors)


class OccurrenceQuerySet(TimeSpanQuerySet):
    def in_area(self, area):
        return self.filter(area=area)

    def live(self):
        return self.filter(activity__live=True)

    def public(self):
        """Sessions anyone may see: of published activities with no view restriction on the page
        or above it."""
        return self.live().exclude(restrictions.under_a_restriction("activity__path"))

    def detailed(self):
        return self.select_related("activity", "activity__category", "room").order_by("start", "pk")

    def listed(self):
        """For listings of an area: public sessions with what a listing shows of them."""
        return self.public().detailed()


class Occurrence(LocalTimes, models.Model):
    """One session of an activity, expanded from its schedules (see activities.sessions)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")
        MOVED = "moved", _("moved")

    activity = models.ForeignKey(
        ActivityPage, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="occurrences"
    )
    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.CASCADE, related_name="+"
    )
    # When the schedule says it is (a move changes start, not this); sessions are matched to
    # their schedules by it.
    original_start = models.DateTimeField(_("scheduled start"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    room = models.ForeignKey(
        "booking.Room", verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The skip-holidays rule could not be applied: nobody has entered that year's holidays.
    holiday_pending = models.BooleanField(_("holiday data pending"), default=False)
    # Why the room's time could not be held (already taken); empty when held or no room.
    room_clash = models.CharField(_("room clash"), max_length=200, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text=_("Raised on every change, for calendar apps."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "original_start"], name="activities_one_session_per_start")
        ]
        indexes = [models.Index(fields=["area", "start"], name="activities_area_start")]

    def __str__(self):
        return f"{self.activity.title} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_moved(self):
        return self.status == self.Status.MOVED

    @property
    def uid(self):
        """Stable for the session's life: across moves, notes and a new time of day."""
        return f"session-{self.pk}@{settings.ICAL_UID_DOMAIN}"


class SignUp(models.Model):
    """A resident's place in one session of an activity that needs sign-up."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("signed up")
        CANCELLED = "cancelled", _("cancelled")

    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("session"), on_delete=models.CASCADE, related_name="signups"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "resident"], condition=models.Q(status="active"), name="activities_one_signup"
            )
        ]

    def __str__(self):
        # No personal data: reaches logs and breadcrumbs.
        return f"{self.occurrence} #{self.pk}"
