"""The visit diary and reception log: who may read which records, and every write.

- A staff member reads their own records; the area's lead reads the area's; supervisors read
  every area's and change none. Residents never read these lists.
- The sensitive field is shown only to the staff member who recorded it and the area's lead,
  and each showing is logged. It is kept only with the resident's separate consent.
- Every opening and export is a ``RecordAccess`` row (docs/architecture.md, personal data).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Rating, ReceptionCase, RecordAccess, Visit
from portal import outbox
from portal.areas import sees_every_area, staff_area
from portal.localtime import days, local_day
from portal.models import Building
from portal.privacy import FOLD, mask_name, mask_text
from portal.refusals import Refused

KINDS = {"visit": Visit, "case": ReceptionCase}
ROOM = re.compile(r"\d{2,5}\s*室")
RATING_WINDOW = dt.timedelta(days=30)  # a resident rates a visit or case within a month of it


def may_be_rated(record, now=None):
    return not record.rated_at and record.at >= (now or timezone.now()) - RATING_WINDOW


LONGEST_VISIT = 8 * 60


def is_lead(user, area):
    return bool(area.lead_group_id) and user.groups.filter(pk=area.lead_group_id).exists()


@dataclass(frozen=True)
class Reader:
    """What a user is to the records, asked once per request: the area whose staff they are,
    whether they lead it, whether they read every area."""

    user: object
    area: object
    lead: bool
    every_area: bool

    @classmethod
    def of(cls, user):
        if not user.is_authenticated or not user.is_active:
            return cls(user, None, False, False)
        area = staff_area(user)
        return cls(user, area, bool(area) and is_lead(user, area), sees_every_area(user))

    def readable(self, model):
        records = model.objects.select_related("area", "staff", "building")
        if self.every_area:
            return records
        if self.area is None:
            return records.none()
        if self.lead:
            return records.filter(area=self.area)
        mine = Q(staff=self.user)
        if model is Visit:  # and the visits whose follow-up was handed to them
            mine |= Q(follow_up_by=self.user)
        return records.filter(mine, area=self.area)

    def may_change(self, record):
        """The staff member who recorded it, and the area's lead; supervisors only read."""
        if self.area is None or self.area.pk != record.area_id:
            return False
        return record.staff_id == self.user.pk or self.lead

    def may_see_sensitive(self, record):
        """Who recorded it and the area's lead: not a colleague seeing a follow-up through."""
        return self.may_change(record)

    def may_finish_follow_up(self, record):
        return isinstance(record, Visit) and (self.may_change(record) or record.follow_up_by_id == self.user.pk)


def readable(model, user):
    """The records of `model` (Visit or ReceptionCase) the user may read."""
    return Reader.of(user).readable(model)


def may_change(user, record):
    return Reader.of(user).may_change(record)


def log(records, by, action, note=""):
    """One access row per record: who opened, exported or changed it, and when."""
    RecordAccess.objects.bulk_create(
        RecordAccess(
            visit=record if isinstance(record, Visit) else None,
            case=record if isinstance(record, ReceptionCase) else None,
            action=action,
            by=by,
            note=note[:200],
        )
        for record in records
    )


def household_name(record):
    return record.household_name or (record.resident.get_full_name() if record.resident else "")


def household_phone(record):
    return record.household_phone or (str(record.resident.phone) if record.resident and record.resident.phone else "")


def masked_phone(typed):
    """138****5678 for a mobile; a landline or anything else keeps only its last four digits."""
    digits = "".join(char for char in typed.translate(FOLD) if char.isdigit())
    if not digits:
        return ""
    if len(digits) >= 11 and digits[-11] == "1":
        return f"{digits[-11:-8]}****{digits[-4:]}"
    return f"****{digits[-4:]}"


def masked_text(text, record):
    """Staff's free text about a household as it may leave the records: numbers and the
    household's name masked (portal.privacy.mask_text), and room numbers too."""
    return ROOM.sub("***室", mask_text(text, {household_name(record)}))


def masked_household(record):
    """What leaves the records in an export or a check: the building, 张*明, 138****5678."""
    return {
        "building": str(record.building or ""),
        "name": mask_name(household_name(record)),
        "phone": masked_phone(household_phone(record)),
    }


def _check(record, staff, *, sensitive_consent):
    """A new record takes its author's area; a changed one keeps the area it was recorded in
    (whoever changes it: its author, or the lead after the author left)."""
    errors = {}
    if record.pk is None:
        area = staff_area(staff)
        if area is None:
            raise Refused(_("Only the area's staff record visits and reception cases."), status=403)
        record.area, record.staff = area, staff
    area = record.area
    if record.resident_id and record.resident.area_id != area.pk:
        errors["resident"] = [_("Choose a resident of your own area.")]
    if record.building_id and not Building.objects.of_area(area).filter(pk=record.building_id).exists():
        errors["building"] = [_("Choose a building of your own area.")]
    if not 1 <= (record.minutes or 0) <= LONGEST_VISIT:
        errors["minutes"] = [_("Between 1 and %(most)s minutes, please.") % {"most": LONGEST_VISIT}]
    if record.at and local_day(record.at) > local_day(timezone.now()):
        errors["at"] = [_("A record is of something that happened: the time cannot be in the future.")]
    if record.sensitive.strip():
        if not sensitive_consent and not record.sensitive_consent_at:
            errors["sensitive"] = [
                _("Sensitive details are kept only with the resident's separate consent: tick that they agreed.")
            ]
        elif not record.sensitive_consent_at:
            record.sensitive_consent_at = timezone.now()
    else:
        record.sensitive, record.sensitive_consent_at = "", None
    if errors:
        raise Refused(_("Please check the record."), errors)


def save_visit(visit, staff, *, sensitive_consent=False):
    """Store a new or changed home visit recorded by `staff` (the form or the API has filled it)."""
    visit.found = (visit.found or "").strip()
    if not visit.found:
        raise Refused(_("Please check the record."), {"found": [_("Say what you found, in a few words.")]})
    if visit.suggestion_id and visit.suggestion.area_id != staff.area_id:
        raise Refused(_("Please check the record."), {"suggestion": [_("Choose a suggestion of your own area.")]})
    return _save(visit, staff, sensitive_consent)


def save_case(case, staff, *, sensitive_consent=False):
    return _save(case, staff, sensitive_consent)


def _save(record, staff, sensitive_consent):
    new = record.pk is None
    if not new and not may_change(staff, record):
        raise Refused(_("Only who recorded it and the area's lead may change this record."), status=403)
    _check(record, staff, sensitive_consent=sensitive_consent)
    if isinstance(record, Visit) and record.follow_up.strip() and record.follow_up_by_id is None:
        record.follow_up_by = record.staff
    with transaction.atomic():
        record.save()
        if not new:
            log([record], staff, RecordAccess.Action.CHANGED)
        elif asks_for_rating(record):
            outbox.text(record.resident.phone, "service_to_rate", {}, area_id=record.area_id)
    return record


def asks_for_rating(record):
    """A resident with an account is texted once a day at most, for a record they may still rate."""
    resident = record.resident
    if not (resident and resident.phone and resident.is_active and may_be_rated(record)):
        return False
    today = days(local_day(timezone.now()), local_day(timezone.now()))
    texted = [
        model.objects.filter(resident=resident, created_at__gte=today[0]).exclude(pk=record.pk).exists()
        for model in KINDS.values()
    ]
    return not any(texted)


def finish_follow_up(visit, user):
    if not Reader.of(user).may_finish_follow_up(visit) or not visit.follow_up:
        raise Refused(_("Only who sees this follow-up through can mark it done."), status=403)
    Visit.objects.filter(pk=visit.pk, follow_up_done_at__isnull=True).update(follow_up_done_at=timezone.now())
    log([visit], user, RecordAccess.Action.CHANGED, _("follow-up done"))


def rate(record, resident, rating, comment=""):
    """The resident whose record it is rates the visit or case, once."""
    if record.resident_id != resident.pk:
        raise Refused(_("You can rate only the visits and cases that concern you."), status=404)
    if not record.rated_at and not may_be_rated(record):
        raise Refused(_("A visit or case is rated within a month of it."), status=409)
    return _rate(record, rating, comment, on_callback=False)


def rate_on_callback(record, staff, rating, comment=""):
    """Staff write down the rating a resident gave on the phone."""
    if not may_change(staff, record):
        raise Refused(_("Only the area's staff record a rating given on a callback."), status=403)
    return _rate(record, rating, comment, on_callback=True)


def _rate(record, rating, comment, *, on_callback):
    if rating not in Rating.values:
        message = _("Please choose satisfied, fairly satisfied or unsatisfied.")
        raise Refused(message, {"rating": [message]})
    with transaction.atomic():
        current = type(record).objects.select_for_update().get(pk=record.pk)
        if current.rated_at:
            raise Refused(_("This has been rated already. Thank you."), status=409)
        current.rating, current.rating_comment = rating, (comment or "").strip()[:500]
        current.rated_at, current.rated_on_callback = timezone.now(), on_callback
        current.save(update_fields=["rating", "rating_comment", "rated_at", "rated_on_callback"])
    return current
