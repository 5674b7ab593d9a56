"""Cross-cutting models: residents' areas, accounts, API tokens and per-area site settings."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from portal import buildings
from portal.phones import PhoneNumberField


class AreaQuerySet(models.QuerySet):
    def for_page(self, page):
        """The area a page belongs to, in either language (docs/architecture.md, sites and languages: an English home page is a
        sibling of the Chinese site root, not below it); None for pages outside every area."""
        root = page if page.depth <= 2 else page.get_ancestors().get(depth=2)
        return self.filter(site__root_page__translation_key=root.translation_key).first()


class Area(models.Model):
    """One residents' area (居民区): a Wagtail Site, its staff and lead groups and its records."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Latin letters, used in addresses and file names.")
    )
    subdistrict = models.CharField(_("subdistrict"), max_length=100, help_text=_("For example 枫林路街道."))
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="area",
    )
    staff_group = models.OneToOneField(
        Group, verbose_name=_("staff group"), null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # The area's leads approve what staff submit (notices); they are staff too.
    lead_group = models.OneToOneField(
        Group, verbose_name=_("lead group"), null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Inside the media collection: documents only the area's staff and leads may download
    # (Wagtail's collection privacy, enforced by its document serve view).
    internal_collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("internal documents"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("residents' area")
        verbose_name_plural = _("residents' areas")
        ordering = ["name"]
        permissions = [("view_every_area", _("Can read the records and reports of every area"))]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Every account: staff, supervisors and residents."""

    phone = PhoneNumberField(
        _("mobile number"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("11 digits, such as 13812345678."),
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("residents' area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Staff work for this area; a resident lives in it. Empty for subdistrict supervisors."),
    )
    phone_verified = models.BooleanField(
        _("mobile number verified"), default=False, help_text=_("The owner entered a code sent to this number.")
    )
    # Opened by someone's own sign-up, whose number nobody has proven yet: what they typed is a
    # claim until then (portal/accounts.py).
    claim_pending = models.BooleanField(default=False, editable=False)
    # What booking needs to know about a resident, and nothing more.
    building = models.CharField(_("building"), max_length=20, blank=True, help_text=_("For example 5号楼."))
    # The building of the area's list that `building` names; empty until it matches one (staff
    # see those and fix them: portal/residents_admin.py).
    home_building = models.ForeignKey(
        "portal.Building",
        verbose_name=_("building on the area's list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    room_number = models.CharField(_("room number"), max_length=20, blank=True, help_text=_("For example 301室."))
    residency_verified_at = models.DateTimeField(
        _("residency confirmed at"),
        null=True,
        blank=True,
        help_text=_("Set by staff who checked at the reception desk or on a visit. Until then bookings need approval."),
    )
    privacy_consent_version = models.CharField(_("privacy notice version agreed"), max_length=20, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice agreed at"), null=True, blank=True)
    booking_paused_until = models.DateTimeField(
        _("booking paused until"),
        null=True,
        blank=True,
        help_text=_("Set after repeated no-shows. Clear it to let the resident book again now."),
    )
    anonymised_at = models.DateTimeField(_("account closed at"), null=True, blank=True, editable=False)
    # Part of every session's check: raising it signs the account out of every browser.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def _get_session_auth_hash(self, secret=None):
        # Django ties sessions to the password hash; the epoch adds "sign out everywhere"
        # without a new password. Epoch 0 gives Django's own hash, so sessions survive upgrades.
        secret_part = self.password if not self.session_epoch else f"{self.password}/{self.session_epoch}"
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, secret_part, secret=secret, algorithm="sha256").hexdigest()

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._credentials_changed = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._credentials_changed = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"building", "area"} & set(update_fields):
            self.home_building = (
                Building.objects.of_area_id(self.area_id).matching(self.building)
                if self.area_id and self.building
                else None
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "home_building"}
        super().save(*args, **kwargs)
        # A new password (changed, reset or cleared) also ends every app's sign-in; the
        # browsers' sessions end by themselves, their check being tied to the password.
        if getattr(self, "_credentials_changed", False):
            self._credentials_changed = False
            self.resident_tokens.active().revoke()

    @property
    def residency_verified(self):
        return self.residency_verified_at is not None

    def get_full_name(self):
        # Chinese names are family name first, with no space between.
        if _is_cjk(self.last_name + self.first_name):
            return f"{self.last_name}{self.first_name}"
        return super().get_full_name()


def _is_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())

    def revoke(self):
        return self.update(revoked_at=timezone.now())

    def issue(self, user, client=""):
        """A new token for ``user``: returns (token, key). Only a hash of the key is stored,
        so the key is shown to the client once and never again. ``client`` names the app
        for the resident's list of signed-in apps (its User-Agent)."""
        key = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            key_hash=ApiToken.hash(key),
            client=client[: ApiToken._meta.get_field("client").max_length],
            expires_at=timezone.now() + ApiToken.LIFETIME,
        )
        return token, key

    def for_key(self, key):
        return self.active().select_related("user").filter(key_hash=ApiToken.hash(key)).first()


class ApiToken(models.Model):
    """A resident's bearer token for the JSON API (not Wagtail's APIToken, which is for the admin)."""

    LIFETIME = timedelta(days=30)

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="resident_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    client = models.CharField(_("app"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"API token {self.pk}"

    @staticmethod
    def hash(key):
        # The key is 32 random bytes, so a fast hash is enough: nothing to guess from it.
        return hashlib.sha256(key.encode()).hexdigest()


class EnglishVariants:
    """For models that keep an English variant of a field as `<field>_en`."""

    def localized(self, field):
        """The English value on English pages when there is one, else the Chinese."""
        if (get_language() or "").startswith("en"):
            return getattr(self, f"{field}_en") or getattr(self, field)
        return getattr(self, field)


@register_setting(icon="home")
class AreaSettings(EnglishVariants, ClusterableModel, BaseSiteSetting):
    """The residents' committee's contact details, shown in every page's footer."""

    address = models.CharField(_("address"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    office_phone = models.CharField(
        _("office phone"), max_length=30, blank=True, help_text=_("For example 021-64001234.")
    )
    reception_hours = models.CharField(
        _("reception hours"), max_length=200, blank=True, help_text=_("For example 周一至周六 8:30–17:00.")
    )
    reception_hours_en = models.CharField(_("reception hours (English)"), max_length=200, blank=True)
    icp_number = models.CharField(
        _("ICP filing number"), max_length=50, blank=True, help_text=_("For example 沪ICP备12345678号-1.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("office_phone"), FieldPanel("reception_hours")],
            heading=_("Residents' committee"),
        ),
        MultiFieldPanel([FieldPanel("address_en"), FieldPanel("reception_hours_en")], heading=_("English")),
        FieldPanel("icp_number"),
        InlinePanel(
            "buildings",
            heading=_("Buildings"),
            label=_("Building"),
            help_text=_(
                "In the order residents know them. A published duty plan names home visits by these "
                "(one building, or a run of them), never by a flat."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("area settings")
        verbose_name_plural = _("area settings")

    @property
    def address_display(self):
        return self.localized("address")

    @property
    def reception_hours_display(self):
        return self.localized("reception_hours")


class BuildingQuerySet(models.QuerySet):
    def of_area_id(self, area_id):
        return self.filter(settings__site__area__id=area_id).order_by("sort_order", "pk")

    def of_area(self, area):
        return self.of_area_id(area.pk)

    def matching(self, typed):
        """The building a resident's typed building names (5幢 -> 5号楼), or None."""
        return buildings.match(self, typed) if typed else None

    def from_to(self, first, last):
        """The buildings from `first` to `last` in the area's order (both included)."""
        last = last or first
        low, high = sorted([(first.sort_order, first.pk), (last.sort_order, last.pk)])
        return [
            building
            for building in self.filter(settings_id=first.settings_id)
            if low <= (building.sort_order, building.pk) <= high
        ]


class Building(Orderable):
    """One building of an area, as its staff list it in the area settings."""

    settings = ParentalKey(AreaSettings, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(
        _("name"), max_length=30, help_text=_("As residents say it, such as 5号楼 or 沿街商铺. Never a flat.")
    )

    objects = BuildingQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [models.UniqueConstraint(fields=["settings", "name"], name="portal_building_unique_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if re.search(r"\d+\s*室|\d{3,}", self.name):
            raise ValidationError({"name": _("A building, not a flat: 5号楼, not 5号楼301室.")})


class HolidayQuerySet(models.QuerySet):
    def years_entered(self):
        return set(self.dates("date", "year").values_list("date__year", flat=True))


class Holiday(models.Model):
    """The public-holiday calendar: rooms, sessions, staff plans and every deadline counted in
    working days read it (portal/workdays.py, docs/architecture.md).

    A statutory day off closes rooms unless a room is set to open on holidays; a
    make-up working day (调休) is an ordinary day. A year with no rows is "not entered
    yet": nothing is guessed for it, and staff are warned.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("public holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 国庆节."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DAY_OFF)

    objects = HolidayQuerySet.as_manager()

    panels = [FieldPanel("date"), FieldPanel("name"), FieldPanel("kind")]

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

    @classmethod
    def days_off(cls, start, end):
        """The statutory days off from start to end, inclusive, as {date: name}."""
        return dict(cls.objects.filter(date__range=(start, end), kind=cls.Kind.DAY_OFF).values_list("date", "name"))

    @classmethod
    def missing_years(cls, start, end):
        """The years between two dates that nobody has entered holidays for."""
        return set(range(start.year, end.year + 1)) - cls.objects.years_entered()


class OutboundMessage(models.Model):
    """One text message or e-mail to send, written in the transaction that made the news and
    delivered by the background worker (portal/outbox.py, docs/architecture.md "Background work").

    The row is the message's identity: ``key`` is unique, so whatever enqueues it twice gets one
    row, and a row is handed to the gateway only from "queued", so a retry never sends what went.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("text message")
        EMAIL = "email", _("e-mail")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNCERTAIN = "uncertain", _("outcome unknown")

    key = models.CharField(_("idempotency key"), max_length=400, unique=True)  # channel, key, recipient
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    template = models.CharField(_("template"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict)
    attachments = models.JSONField(_("attachments"), default=list)  # [[file name, text, content type]]
    # The resident's area, where the sender knows it: an area's staff see their area's messages.
    area = models.ForeignKey(Area, verbose_name=_("residents' area"), null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.template}"


class TimerRun(models.Model):
    """When each periodic job last started and finished (portal/timers.py): the row is both the
    job's clock and its lock, so two servers' timers never run the same job at once."""

    name = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name
