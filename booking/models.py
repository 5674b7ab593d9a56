"""Rooms and all room time.

One table, `Reservation`, holds every span of a room's time: resident bookings, staff
blocks, closures and (from the activities app) class sessions. One rule guards it
(docs/architecture.md, race-free booking): on PostgreSQL an exclusion constraint over the held span, on SQLite
serialised writers; see booking/rules.py and migration 0002.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.localtime import LocalTimes, TimeSpanQuerySet, Weekday
from portal.models import EnglishVariants

# The name PostgreSQL reports when the exclusion constraint refuses a write.
ROOM_TIME_GUARD = "booking_reservation_no_overlap"


class Room(EnglishVariants, ClusterableModel):
    """A room that used to be an office, now booked by residents."""

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 钢琴活动室."))
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=50, help_text=_("Latin letters, used in the room's address."))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    location = models.CharField(_("where"), max_length=100, blank=True, help_text=_("For example 5号楼一层东侧."))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10, help_text=_("Most people at once."))
    equipment = models.CharField(
        _("equipment"), max_length=200, blank=True, help_text=_("Separated by commas, for example 钢琴、镜子、音响.")
    )
    accessibility = models.CharField(
        _("accessibility"), max_length=200, blank=True, help_text=_("For example 无台阶，轮椅可进.")
    )

    slot_minutes = models.PositiveSmallIntegerField(
        _("slot size (minutes)"), default=30, help_text=_("Bookings start and end on this grid.")
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=120)
    window_days = models.PositiveSmallIntegerField(
        _("booking window (days)"), default=14, help_text=_("How many days ahead residents can book.")
    )
    notice_minutes = models.PositiveSmallIntegerField(
        _("minimum notice (minutes)"), default=60, help_text=_("How long before the start a booking must be made.")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("cleaning buffer (minutes)"),
        default=0,
        help_text=_("Kept free after each booking. 0 allows back-to-back bookings."),
    )
    cancel_cutoff_minutes = models.PositiveSmallIntegerField(
        _("cancellation cut-off (minutes)"),
        default=60,
        help_text=_("Residents can cancel until this long before the start."),
    )
    check_in_grace_minutes = models.PositiveSmallIntegerField(
        _("check-in grace (minutes)"), default=15, help_text=_("A booking not checked in by then becomes a no-show.")
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per resident"),
        default=2,
        help_text=_("Upcoming bookings one resident may hold in this room."),
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("hours per resident per week"), default=4, help_text=_("Monday to Sunday.")
    )
    needs_approval = models.BooleanField(_("bookings need approval"), default=False)
    hide_bookings = models.BooleanField(
        _("show booked time only as “unavailable”"),
        default=False,
        help_text=_("For rooms where even the kind of use is private, such as the counseling room."),
    )
    open_on_holidays = models.BooleanField(_("open on public holidays"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldPanel("photo"),
                FieldPanel("description"),
                FieldPanel("location"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("sort_order")]),
                FieldPanel("equipment"),
                FieldPanel("accessibility"),
            ],
            heading=_("The room"),
        ),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("opening hours"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("slot_minutes"), FieldPanel("min_minutes"), FieldPanel("max_minutes")]),
                FieldRowPanel([FieldPanel("window_days"), FieldPanel("notice_minutes"), FieldPanel("buffer_minutes")]),
                FieldRowPanel([FieldPanel("cancel_cutoff_minutes"), FieldPanel("check_in_grace_minutes")]),
                FieldRowPanel([FieldPanel("max_active_bookings"), FieldPanel("max_hours_per_week")]),
                FieldPanel("needs_approval"),
                FieldPanel("hide_bookings"),
                FieldPanel("open_on_holidays"),
            ],
            heading=_("Booking rules"),
        ),
        MultiFieldPanel([FieldPanel("name_en"), FieldPanel("description_en")], heading=_("English")),
    ]

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["area", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "slug"], name="booking_room_unique_slug_per_area")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.slot_minutes and 24 * 60 % self.slot_minutes:
            errors["slot_minutes"] = _("The slot size must divide a day evenly, such as 15, 30 or 60.")
        for field in ("min_minutes", "max_minutes"):
            value = getattr(self, field)
            if self.slot_minutes and value % self.slot_minutes:
                errors[field] = _("Must be a whole number of slots (%(slot)s minutes).") % {"slot": self.slot_minutes}
        if self.max_minutes < self.min_minutes:
            errors["max_minutes"] = _("The longest booking cannot be shorter than the shortest.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self):
        return self.localized("name")

    @property
    def display_description(self):
        return self.localized("description")

    @property
    def equipment_list(self):
        return [
            item.strip() for item in self.equipment.replace("，", "、").replace(",", "、").split("、") if item.strip()
        ]

    @property
    def slot(self):
        return dt.timedelta(minutes=self.slot_minutes)

    @property
    def buffer(self):
        return dt.timedelta(minutes=self.buffer_minutes)


class OpeningHours(Orderable):
    """One opening range on one weekday; a day may have several (morning and afternoon)."""

    room = ParentalKey(Room, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class Closure(models.Model):
    """Staff close one room, or every room of the area, for a while (repairs, an event).

    Saving it through booking.rules.close() holds the time as closure rows and cancels,
    in the same transaction, the bookings it overlaps.
    """

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closures",
        help_text=_("Leave empty to close every room of the area."),
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=100, help_text=_("Shown to residents, for example 设备维修."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-start"]

    def __str__(self):
        where = self.room.name if self.room_id else _("all rooms")
        return f"{where} {timezone.localtime(self.start):%Y-%m-%d %H:%M} {self.reason}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.room_id and self.area_id and self.room.area_id != self.area_id:
            raise ValidationError({"room": _("Choose a room of your own area.")})

    def rooms(self):
        return Room.objects.filter(pk=self.room_id) if self.room_id else Room.objects.filter(area_id=self.area_id)


class ReservationQuerySet(TimeSpanQuerySet):
    def holding(self):
        """Rows that hold their room's time (cancelled and rejected ones free it)."""
        return self.filter(status__in=Reservation.HOLDING)

    def overlapping(self, room, start, end):
        """Rows whose held span (cleaning buffer included) meets [start, end)."""
        return self.filter(room=room, held_start__lt=end, held_end__gt=start)

    def bookings(self):
        return self.filter(kind=Reservation.Kind.BOOKING)

    def for_area(self, area):
        return self.filter(room__area=area)


class Reservation(LocalTimes, models.Model):
    """A span of one room's time: a resident's booking, a class session, a staff block or a closure."""

    class Kind(models.TextChoices):
        BOOKING = "booking", _("booking")
        CLASS = "class", _("class session")
        BLOCK = "block", _("staff block")
        CLOSURE = "closure", _("closure")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("no-show")
        COMPLETED = "completed", _("completed")

    HOLDING = [Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW]

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="reservations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOKING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The span the room is kept for: the booking plus the room's cleaning buffer at the
    # time of booking. Stored, so a later change of the buffer cannot open a double booking.
    held_start = models.DateTimeField(editable=False)
    held_end = models.DateTimeField(editable=False)
    label = models.CharField(
        _("public label"), max_length=100, blank=True, help_text=_("What residents see, for example a class title.")
    )

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    headcount = models.PositiveSmallIntegerField(_("number of people"), default=1)
    # The form token or the API's Idempotency-Key: a repeated submit returns this row.
    request_key = models.CharField(max_length=64, blank=True, editable=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True, help_text=_("Why it was rejected or cancelled."))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["room", "held_start"], name="booking_room_held_start"),
            models.Index(fields=["resident", "start"], name="booking_resident_start"),
            models.Index(fields=["source_type", "source_id"], name="booking_source"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="booking_end_after_start"),
            models.UniqueConstraint(
                fields=["resident", "request_key"],
                condition=~models.Q(request_key=""),
                name="booking_one_reservation_per_request",
            ),
        ]
        # The exclusion constraint ROOM_TIME_GUARD exists on PostgreSQL only (migration 0002).

    def __str__(self):
        # No personal data: this string reaches logs and admin breadcrumbs.
        return f"{self.room} {timezone.localtime(self.start):%Y-%m-%d %H:%M}–{timezone.localtime(self.end):%H:%M}"

    def save(self, *args, **kwargs):
        if self.held_start is None:
            self.held_start = self.start
        if self.held_end is None:
            self.held_end = self.end + (self.room.buffer if self.kind == self.Kind.BOOKING else dt.timedelta())
        super().save(*args, **kwargs)

    @property
    def is_holding(self):
        return self.status in self.HOLDING

    def cancel_deadline(self):
        return self.start - dt.timedelta(minutes=self.room.cancel_cutoff_minutes)

    def can_be_cancelled_by_resident(self, now=None):
        return (
            self.status in (self.Status.PENDING, self.Status.CONFIRMED)
            and (now or timezone.now()) < self.cancel_deadline()
        )


class ReservationEvent(models.Model):
    """The audit trail of a reservation: who did what, when. Shown to the area's staff only."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        CHECKED_IN = "checked_in", _("checked in")
        NO_SHOW = "no_show", _("marked as no-show")
        COMPLETED = "completed", _("completed")
        VIEWED = "viewed", _("viewed by staff")

    reservation = models.ForeignKey(Reservation, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    status = models.CharField(_("status after"), max_length=10, choices=Reservation.Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reservation history entry")
        verbose_name_plural = _("reservation history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.reservation_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
