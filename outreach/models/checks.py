"""The subdistrict's quarterly spot checks (抽查) and the leads' quarterly reviews of their staff.

A spot check's sample is drawn once, from a stored seed, and locked: outreach/spotchecks.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models.records import ReceptionCase, Visit


class SpotCheck(models.Model):
    """One area's check of one quarter's visit and reception records."""

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("quarter"), max_length=6, help_text=_("For example 2026Q4."))
    per_staff = models.PositiveSmallIntegerField(_("records per staff member"), default=3)
    seed = models.BigIntegerField(_("seed"))
    candidates = models.JSONField(
        _("records the sample was drawn from"), default=dict, help_text=_("Ids by kind and staff member.")
    )
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-quarter", "area"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        constraints = [models.UniqueConstraint(fields=["area", "quarter"], name="outreach_one_check_per_quarter")]

    def __str__(self):
        return f"{self.area} {self.quarter}"


class SpotCheckItem(models.Model):
    """One sampled record and what the checker found."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", _("True")
        PROBLEM = "problem", _("Problem found")
        UNVERIFIABLE = "unverifiable", _("Could not be verified")

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(ReceptionCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    finding = models.TextField(_("finding"), max_length=1000, blank=True)
    called_back = models.BooleanField(_("household called back"), default=False)
    callback_result = models.CharField(_("what the household said"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["spot_check", "position", "pk"]
        verbose_name = _("sampled record")
        verbose_name_plural = _("sampled records")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, case__isnull=True) | Q(visit__isnull=True, case__isnull=False),
                name="outreach_item_one_record",
            ),
            models.CheckConstraint(
                condition=~Q(verdict="problem") | ~Q(finding=""), name="outreach_item_problem_has_finding"
            ),
        ]

    def __str__(self):
        return f"{self.spot_check} {self.record}"

    @property
    def record(self):
        return self.visit or self.case


class QuarterReview(models.Model):
    """The area lead's word on a staff member's quarter, against the quarter's figures."""

    class Verdict(models.TextChoices):
        PRAISE = "praise", _("Commended")
        URGE = "urge", _("To improve")
        NOTED = "noted", _("Reviewed")

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("quarter"), max_length=6)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    note = models.TextField(_("note"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        ordering = ["-quarter", "staff"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [models.UniqueConstraint(fields=["staff", "quarter"], name="outreach_one_review_per_quarter")]

    def __str__(self):
        return f"{self.staff} {self.quarter} {self.get_verdict_display()}"


class AnswerTemplate(models.Model):
    """A reply staff start from and edit: for every area, or one area's own."""

    area = models.ForeignKey(
        "portal.Area",
        verbose_name=_("residents' area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: offered in every area."),
    )
    category = models.ForeignKey(
        "outreach.SuggestionCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("text"), max_length=2000)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self):
        return self.title


class CorrectionRequest(models.Model):
    """A resident asks staff to correct what a record says about them (我的数据)."""

    area = models.ForeignKey(
        "portal.Area", verbose_name=_("residents' area"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("what should be corrected"), max_length=2000)
    at = models.DateTimeField(_("asked at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self):
        return f"{self.resident_id} {self.at:%Y-%m-%d}"
