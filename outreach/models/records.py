"""The visit diary and the reception log (民情日记): what staff record the same day.

A home visit and a reception case share what makes them a record of a household: the area, the
staff member who recorded it, the household (a resident's account, or building and room with a
name and number to call back), when and how long, a sensitive detail kept only with the
resident's separate consent, and the resident's rating. Who may read which rows is
outreach/records.py's business; every opening and export is a ``RecordAccess`` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models.suggestions import Rating


class RecordQuerySet(models.QuerySet):
    def in_quarter(self, quarter):
        """Records of a quarter (portal.dates.Quarter-like: ``first`` and ``last`` dates)."""
        return self.filter(at__date__gte=quarter.first, at__date__lte=quarter.last)

    def by_staff(self, user):
        return self.filter(staff=user)


class Record(models.Model):
    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    building = models.ForeignKey(
        "portal.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    room_number = models.CharField(_("room number"), max_length=20, blank=True)
    household_name = models.CharField(_("name"), max_length=30, blank=True)
    household_phone = models.CharField(_("phone"), max_length=30, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=15)
    sensitive = models.TextField(
        _("sensitive details"),
        blank=True,
        help_text=_(
            "Health and other sensitive details, only with the resident's separate consent. "
            "Shown only to you and the area lead; every view is logged."
        ),
    )
    sensitive_consent_at = models.DateTimeField(_("consent to sensitive details given at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment on the service"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rated_on_callback = models.BooleanField(
        _("rating given on a callback"), default=False, help_text=_("Staff wrote down what the resident said.")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    @property
    def household(self):
        """Where, as a record shows it to staff: 5号楼 301室."""
        return " ".join(part for part in [str(self.building or ""), self.room_number] if part)


class Visit(Record):
    """A home visit (入户走访)."""

    class Purpose(models.TextChoices):
        CARE = "care", _("Caring visit")
        MEDIATION = "mediation", _("Mediation")
        POLICY = "policy", _("Explaining a policy")
        SAFETY = "safety", _("Safety check")
        OTHER = "other", _("Other")

    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.CARE)
    found = models.TextField(_("what was found"), max_length=2000)
    follow_up = models.TextField(_("follow-up"), max_length=1000, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who sees the follow-up through: whoever recorded the visit, until it is handed over."),
    )
    follow_up_done_at = models.DateTimeField(_("follow-up done at"), null=True, blank=True)
    shift = models.ForeignKey(
        "staff.Shift",
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion = models.ForeignKey(
        "outreach.Suggestion",
        verbose_name=_("about the suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )

    class Meta(Record.Meta):
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["area", "staff", "at"], name="outreach_visit_area_staff_at")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d} {self.get_purpose_display()}"


class ReceptionCase(Record):
    """A case at the reception desk (接待): which of the 15 services, and how it ended."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        TRANSFERRED = "transferred", _("Passed on")
        MISSING = "missing", _("Documents to follow")

    service = models.ForeignKey(
        "services.ServiceGuidePage",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.DONE)
    note = models.TextField(_("what was asked and done"), max_length=1000, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("reception case")
        verbose_name_plural = _("reception cases")
        indexes = [models.Index(fields=["area", "staff", "at"], name="outreach_case_area_staff_at")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d} {self.service or self.get_outcome_display()}"


class RecordAccess(models.Model):
    """Who opened, exported or changed a visit or reception record, and when (PIPL)."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Opened")
        SENSITIVE = "sensitive", _("Sensitive details shown")
        EXPORTED = "exported", _("Exported")
        CHANGED = "changed", _("Changed")
        ANONYMISED = "anonymised", _("Anonymised")

    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="accesses")
    case = models.ForeignKey(ReceptionCase, null=True, blank=True, on_delete=models.CASCADE, related_name="accesses")
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, case__isnull=True) | Q(visit__isnull=True, case__isnull=False),
                name="outreach_access_one_record",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.visit or self.case}"
