"""The staff as residents see them, and their published duty plans.

A staff member has repeating duties (rotas); staff/plans.py expands them into the shifts of
each Monday-to-Sunday week, which editors adjust and publish. Residents see a published week
on the area's staff schedule page, on posters, and as "who is at the reception desk now".
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, route
from wagtail.models import Orderable, Page

from portal import buildings
from portal.localtime import LocalTimes, TimeSpanQuerySet
from portal.models import EnglishVariants
from portal.recurrence import RepeatPattern


class StaffMember(EnglishVariants, ClusterableModel):
    """A member of an area's staff as residents see them: name, role, photo and work phone only."""

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="staff_members"
    )
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=50, help_text=_("For example 居委会主任."))
    role_en = models.CharField(_("role (English)"), max_length=80, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_phone = models.CharField(
        _("work phone"), max_length=30, blank=True, help_text=_("Published on the site. Never a personal number.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("on the staff"), default=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_member",
        help_text=_("The account this member signs in with: their records and today's home visits come from it."),
    )

    panels = [
        FieldPanel("area"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("work_phone"), FieldPanel("sort_order"), FieldPanel("active")]),
        FieldPanel("account"),
        MultiFieldPanel([FieldPanel("name_en"), FieldPanel("role_en")], heading=_("English")),
        InlinePanel("rotas", heading=_("Repeating duties"), label=_("duty")),
    ]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["area", "sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.localized("name")

    @property
    def display_role(self):
        return self.localized("role")


class StaffSchedulePage(RoutablePageMixin, Page):
    """Where to find the staff: the published plan by day and by week, and a poster to print.

    The views live in staff/views.py (the `@route`s delegate there)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = [settings.PORTAL_HOME_PAGE]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("staff schedule page")
        verbose_name_plural = _("staff schedule pages")

    @route(r"^$")
    @route(r"^(?P<day>\d{4}-\d{2}-\d{2})/$", name="day")
    def day_view(self, request, day=None):
        from staff import views

        return views.day(request, self, day)

    @route(r"^week/(?P<day>\d{4}-\d{2}-\d{2})/$", name="week")
    def week_view(self, request, day):
        from staff import views

        return views.week(request, self, day)

    @route(r"^poster/(?P<day>\d{4}-\d{2}-\d{2})/$", name="day_poster")
    def day_poster_view(self, request, day):
        from staff import views

        return views.poster(request, self, day, week=False)

    @route(r"^poster/week/(?P<day>\d{4}-\d{2}-\d{2})/$", name="week_poster")
    def week_poster_view(self, request, day):
        from staff import views

        return views.poster(request, self, day, week=True)


class Duty(models.TextChoices):
    RECEPTION = "reception", _("Reception duty")
    PATROL = "patrol", _("Patrol")
    HOME_VISITS = "home_visits", _("Home visits")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    ACTIVITY = "activity", _("Activity")
    OFFICE = "office", _("Office work")


class VisitedBuildings(models.Model):
    """Where a duty is, as the published plan says it: the reception desk, or for home visits a
    building of the area's list or a run of them (portal/buildings.py). Free text never
    describes a home visit. Subclasses have ``duty`` and ``desk``."""

    building_from = models.ForeignKey(
        "portal.Building",
        verbose_name=_("home visits in building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For home visits: the building, or the first of a run of buildings."),
    )
    building_to = models.ForeignKey(
        "portal.Building",
        verbose_name=_("to building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The last building of the run, if more than one."),
    )

    class Meta:
        abstract = True

    @property
    def visited(self):
        """The published words for where home visits go: 5号楼, 1–12号楼, or the area at large."""
        if self.building_from_id is None:
            return _("Around the area")
        return buildings.span_label(self.building_from, self.building_to)

    def clean_where(self):
        """Reception duty names its desk, 1 or 2, and other duties none; home visits name a
        building, and other duties none."""
        if self.duty != Duty.RECEPTION:
            self.desk = None
        elif self.desk not in (1, 2):
            raise ValidationError({"desk": _("Say which reception desk, 1 or 2.")})
        if self.duty != Duty.HOME_VISITS:
            self.building_from = self.building_to = None
        elif self.building_from is None:
            raise ValidationError({"building_from": _("Home visits are published by building: choose one.")})
        elif self.building_to is not None and self.building_to.settings_id != self.building_from.settings_id:
            raise ValidationError({"building_to": _("Choose a building of the same area.")})


class DutyRota(VisitedBuildings, RepeatPattern, Orderable):
    """A staff member's repeating duty, such as reception desk 1 on Monday and Thursday mornings."""

    staff = ParentalKey(StaffMember, on_delete=models.CASCADE, related_name="rotas")
    duty = models.CharField(_("duty"), max_length=12, choices=Duty.choices)
    desk = models.PositiveSmallIntegerField(
        _("reception desk"), null=True, blank=True, help_text=_("1 or 2, for reception duty.")
    )
    place = models.CharField(
        _("where"),
        max_length=100,
        blank=True,
        help_text=_("A room or a place, for duties other than home visits. Never whose home."),
    )

    panels = [
        FieldRowPanel([FieldPanel("duty"), FieldPanel("desk"), FieldPanel("place")]),
        FieldRowPanel([FieldPanel("building_from"), FieldPanel("building_to")]),
        *RepeatPattern.pattern_panels,
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("repeating duty")
        verbose_name_plural = _("repeating duties")

    def __str__(self):
        return f"{self.staff} {self.get_duty_display()} {self.describe()}"

    def clean(self):
        super().clean()
        self.clean_where()


class ShiftQuerySet(TimeSpanQuerySet):
    def published(self):
        """Shifts of weeks the area's editors have published, not cancelled."""
        return self.filter(cancelled=False, week__published_at__isnull=False)

    def listed(self):
        return self.select_related("staff", "staff__photo", "building_from", "building_to").order_by(
            "start", "staff__sort_order", "pk"
        )


class ScheduleWeek(models.Model):
    """One area's staff plan for a Monday-to-Sunday week; residents see it once it is published."""

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.CASCADE, related_name="+"
    )
    monday = models.DateField(_("week of"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("schedule week")
        verbose_name_plural = _("schedule weeks")
        ordering = ["area", "monday"]
        constraints = [models.UniqueConstraint(fields=["area", "monday"], name="activities_one_week_per_area")]

    def __str__(self):
        return f"{self.area} {self.monday:%Y-%m-%d}"


class Shift(VisitedBuildings, LocalTimes, models.Model):
    """One block of a staff member's day, expanded from a rota or entered for that day only."""

    week = models.ForeignKey(ScheduleWeek, on_delete=models.CASCADE, related_name="shifts")
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="shifts"
    )
    rota = models.ForeignKey(DutyRota, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts")
    duty = models.CharField(_("duty"), max_length=12, choices=Duty.choices)
    desk = models.PositiveSmallIntegerField(_("reception desk"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=100, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    cancelled = models.BooleanField(_("not taking place"), default=False)
    # Changed by an editor for this day only: regenerating the week from the rotas keeps it.
    edited = models.BooleanField(default=False, editable=False)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["start"]
        indexes = [models.Index(fields=["week", "start"], name="activities_shift_week_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="activities_shift_end")
        ]

    def __str__(self):
        return f"{self.staff} {timezone.localtime(self.start):%Y-%m-%d %H:%M} {self.get_duty_display()}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        self.clean_where()

    @property
    def where(self):
        if self.duty == Duty.RECEPTION and self.desk:
            return _("Reception desk %(desk)s") % {"desk": self.desk}
        if self.duty == Duty.HOME_VISITS:
            return self.visited
        return self.place
