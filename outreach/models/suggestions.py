"""Residents' suggestions (意见建议) and what happened to each.

Every change of state is a row of ``SuggestionEvent`` with who and when; the suggestion keeps
the latest timestamps and the working-day deadlines (outreach/deadlines.py) for lists and
figures. The rules and every write are in outreach/suggestions.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.localtime import local_day
from portal.models import EnglishVariants
from portal.storage import private_storage


class SuggestionCategory(EnglishVariants, models.Model):
    """What a suggestion is about, and how many working days staff have to accept and answer it."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    accept_working_days = models.PositiveSmallIntegerField(_("working days to accept"), default=1)
    answer_working_days = models.PositiveSmallIntegerField(_("working days to answer"), default=5)
    extendable = models.BooleanField(
        _("answer deadline may be extended"),
        default=False,
        help_text=_("The area lead may extend the answer deadline once, by as many working days again."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("suggestion category")
        verbose_name_plural = _("suggestion categories")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.localized("name")


class SuggestionQuerySet(models.QuerySet):
    def for_area(self, area):
        return self.filter(area=area)

    def of_resident(self, user):
        """The suggestions a resident filed or follows (附议)."""
        return self.filter(Q(resident=user) | Q(followers=user)).distinct()

    def open(self):
        return self.filter(status__in=Suggestion.OPEN)

    def overdue(self, today=None):
        """Open suggestions past a deadline: not accepted by its day, or not answered by its day."""
        today = today or local_day(timezone.now())
        waiting = Q(status=Suggestion.Status.SUBMITTED, accept_due__lt=today)
        unanswered = Q(status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.IN_PROGRESS], answer_due__lt=today)
        return self.filter(waiting | unanswered)

    def on_public_board(self):
        """What the area's board shows: allowed by the resident, worded and approved by staff."""
        return self.filter(public=True, public_approved_at__isnull=False, merged_into__isnull=True)


class Rating(models.TextChoices):
    """How a resident rates an answer, a home visit or a reception case."""

    SATISFIED = "satisfied", _("Satisfied")
    FAIR = "fair", _("Fairly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


def photo_path(suggestion, filename):
    """A name nobody can guess, kept out of the public media (settings.PRIVATE_STORAGE)."""
    return f"suggestions/{uuid.uuid4().hex}.jpg"


class Suggestion(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", pgettext_lazy("suggestion status", "Closed")
        REJECTED = "rejected", _("Not accepted")
        TRANSFERRED = "transferred", _("Transferred")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("On the portal")
        API = "api", _("In the app")
        VISIT = "visit", _("On a home visit")
        DESK = "desk", _("At the reception desk")
        PHONE = "phone", _("By phone")

    Rating = Rating

    OPEN = [Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS]

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="suggestions"
    )
    number = models.CharField(_("number"), max_length=20, editable=False)
    category = models.ForeignKey(
        SuggestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="suggestions"
    )
    text = models.TextField(_("what and where"), max_length=2000)
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("For example 5号楼东侧车棚."))
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        storage=private_storage,
        blank=True,
        help_text=_("Resized, with the camera's details and location removed. Only staff and the resident see it."),
    )
    public = models.BooleanField(
        _("may be shown on the public board"), default=False, help_text=_("Never with the name.")
    )
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who took it down for the resident."),
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("residents who support it"), blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    accept_due = models.DateField(_("accept by"))
    answer_due = models.DateField(_("answer by"))
    due_provisional = models.BooleanField(
        _("deadlines provisional"),
        default=False,
        help_text=_("Counted through a year whose holidays nobody has entered yet; counted again once they are."),
    )
    extension_reason = models.CharField(_("why the deadline was extended"), max_length=200, blank=True)
    reopened_at = models.DateTimeField(_("sent back at"), null=True, blank=True)

    answer = models.TextField(_("answer"), blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, help_text=_("Why it was not accepted."))
    transferred_to = models.CharField(
        _("transferred to"), max_length=100, blank=True, help_text=_("For example 物业, 街道 or 12345.")
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment on the answer"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    public_text = models.TextField(_("public wording"), blank=True)
    public_approved_at = models.DateTimeField(_("public wording approved at"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="outreach_suggestion_unique_number"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="outreach_suggestion_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred") | ~Q(transferred_to=""),
                name="outreach_suggestion_transferred_names_to_whom",
            ),
        ]
        indexes = [models.Index(fields=["area", "status", "answer_due"], name="outreach_sugg_area_status")]

    def __str__(self):
        return f"{self.number} {self.category}"

    @property
    def is_open(self):
        return self.status in self.OPEN


class SuggestionEvent(models.Model):
    """One step in a suggestion's history: a change of state, an answer, a note."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        STARTED = "started", _("Work started")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", pgettext_lazy("suggestion status", "Closed")
        REJECTED = "rejected", _("Not accepted")
        TRANSFERRED = "transferred", _("Transferred")
        EXTENDED = "extended", _("Deadline extended")
        RATED = "rated", _("Rated")
        REOPENED = "reopened", _("Sent back for another try")
        FOLLOWED = "followed", _("Supported by another resident")
        MERGED = "merged", _("Merged")
        NOTE = "note", _("Internal note")
        RECOUNTED = "recounted", _("Deadlines counted again")
        PUBLISHED = "published", _("Public wording approved")
        VIEWED = "viewed", _("Opened by staff")
        REMINDED = "reminded", _("Reminded of the deadline")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("staff only"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")

    def __str__(self):
        return f"{self.suggestion.number} {self.get_action_display()}"
