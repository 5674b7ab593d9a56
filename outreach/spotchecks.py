"""The subdistrict's quarterly spot checks (抽查) of the visit diary and the reception log.

- A supervisor draws a check for an area and a quarter that has ended: per staff member, a
  sample of that quarter's visit and reception records of the area, leaving out records sampled
  by any check drawn in the 365 days before. The draw is reproducible: ``random.Random(seed)``
  over each staff member's record ids, sorted, visits before cases, staff in the order of their
  ids. The candidate ids and the seed are stored, so the sample can be drawn again by hand.
- A drawn check is locked: drawing again for its area and quarter (with any seed, or by two
  supervisors at once) returns it unchanged.
- The checker marks each sampled record true, problem found (with the finding) or could not be
  verified, after calling the household back if they did, and finishes the check once every
  record is marked; a finished check's marks stay as they are.
- Supervisors draw, mark and read every check. The area's lead and staff read their own area's
  checks once finished (before that the sample stays with the checker, so nobody tidies the
  sampled records first): the lead every record and the workbook, staff their own records.
- Opening a check's records and exporting them is logged (outreach/records.py, ``log``).
"""

import datetime as dt
import random
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outreach.models import RecordAccess, SpotCheck, SpotCheckItem
from outreach.records import KINDS, is_lead, log
from outreach.workbook import sampled, workbook
from portal.areas import sees_every_area, staff_area
from portal.dates import Quarter
from portal.localtime import local_day
from portal.refusals import Refused

Verdict = SpotCheckItem.Verdict
LARGEST_SAMPLE = 20
LARGEST_SEED = 2**63 - 1  # what the seed's column holds
RECENT = dt.timedelta(days=365)


def may_draw(user):
    """Drawing and marking are the subdistrict's supervisors' (they check the areas' staff)."""
    return user.is_authenticated and user.is_active and sees_every_area(user)


may_mark = may_draw


def readable_checks(user):
    """The checks the user may open: every one for supervisors, their own area's finished ones
    for the area's lead and staff, none for anyone else."""
    checks = SpotCheck.objects.select_related("area", "drawn_by")
    if may_draw(user):
        return checks
    area = staff_area(user) if user.is_authenticated and user.is_active else None
    if area is None:
        return checks.none()
    return checks.filter(area=area, finished_at__isnull=False)


def readable_items(check, user):
    """The sampled records of a check the user reads: all of them for supervisors and the area's
    lead, their own for the area's staff."""
    items = sampled(check)
    if may_draw(user) or is_lead(user, check.area):
        return items
    return items.filter(staff=user)


def may_export(user, check):
    """The workbook holds every staff member's records: supervisors and the area's lead."""
    return readable_checks(user).filter(pk=check.pk).exists() and (may_draw(user) or is_lead(user, check.area))


def parse_quarter(text):
    """A quarter that has ended (its sample locks, so a quarter still running would never have
    its later records checked); Refused naming what was typed otherwise."""
    if isinstance(text, Quarter):
        quarter = text
    else:
        try:
            quarter = Quarter.parse(text)
        except ValueError:
            message = _("“%(value)s” is not a quarter from 1900 to 2999: write it like 2026Q4.") % {"value": text}
            raise Refused(message, {"quarter": [message]}) from None
    if quarter.last >= local_day(timezone.now()):
        message = _("%(quarter)s has not ended yet: a check is drawn once its quarter is over.") % {"quarter": quarter}
        raise Refused(message, {"quarter": [message]})
    return quarter


def previous_quarter():
    """The quarter a new check is usually of: the last one that has ended."""
    return Quarter.last_ended(local_day(timezone.now()))


def _check_size(per_staff, seed):
    errors = {}
    if not isinstance(per_staff, int) or not 1 <= per_staff <= LARGEST_SAMPLE:
        errors["per_staff"] = [_("Between 1 and %(most)s records per staff member, please.") % {"most": LARGEST_SAMPLE}]
    if seed is not None and (not isinstance(seed, int) or not 0 <= seed <= LARGEST_SEED):
        errors["seed"] = [_("A whole number from 0 to %(most)s, or leave it empty.") % {"most": LARGEST_SEED}]
    if errors:
        raise Refused(_("Please check the sample's size and seed."), errors)


def candidates(area, quarter):
    """{staff id: {"visit": [ids], "case": [ids]}}: the area's records of the quarter, each
    list sorted, without those sampled by a check drawn in the last 365 days."""
    recent = SpotCheckItem.objects.filter(spot_check__drawn_at__gte=timezone.now() - RECENT)
    found = {}
    for kind, model in KINDS.items():
        checked = recent.filter(**{f"{kind}__isnull": False}).values(f"{kind}_id")
        rows = model.objects.filter(area=area).in_quarter(quarter).exclude(pk__in=checked)
        for staff_id, pk in rows.order_by("staff_id", "pk").values_list("staff_id", "pk"):
            found.setdefault(str(staff_id), {"visit": [], "case": []})[kind].append(pk)
    return dict(sorted(found.items(), key=lambda pair: int(pair[0])))


def sample(found, per_staff, seed):
    """[(staff id, kind, record id)]: up to `per_staff` records of each staff member (all of
    them if they have fewer), the same for the same candidates and seed."""
    chance = random.Random(seed)
    chosen = []
    for staff_id, kinds in sorted(found.items(), key=lambda pair: int(pair[0])):
        pool = [(kind, pk) for kind in KINDS for pk in kinds[kind]]
        picked = set(chance.sample(range(len(pool)), min(per_staff, len(pool))))
        chosen += [(int(staff_id), *pool[index]) for index in sorted(picked)]
    return chosen


def draw(area, quarter, per_staff, seed=None, by=None):
    """(the check, whether it was drawn now): the area's check of the quarter, drawn and
    locked if there was none, else the one drawn before, unchanged. `by` is the supervisor
    drawing it (None: the subdistrict office's script); no seed: a random one, stored."""
    if by is not None and not may_draw(by):
        raise Refused(_("Only the subdistrict's supervisors draw spot checks."), status=403)
    quarter = parse_quarter(quarter)
    drawn = SpotCheck.objects.filter(area=area, quarter=str(quarter)).first()
    if drawn is not None:
        return drawn, False
    _check_size(per_staff, seed)
    if seed is None:
        seed = secrets.randbelow(10**6)  # short enough to write down
    found = candidates(area, quarter)
    if not found:
        message = _("%(area)s has no visit or reception records of %(quarter)s left to check.") % {
            "area": area.name,
            "quarter": quarter,
        }
        raise Refused(message, {"quarter": [message]}, status=409)
    try:
        with transaction.atomic():
            check = SpotCheck.objects.create(
                area=area, quarter=str(quarter), per_staff=per_staff, seed=seed, candidates=found, drawn_by=by
            )
            SpotCheckItem.objects.bulk_create(
                SpotCheckItem(spot_check=check, staff_id=staff_id, position=position, **{f"{kind}_id": pk})
                for position, (staff_id, kind, pk) in enumerate(sample(found, per_staff, seed), start=1)
            )
    except IntegrityError:  # another supervisor drew it a moment ago: theirs is the check
        return SpotCheck.objects.get(area=area, quarter=str(quarter)), False
    return check, True


def mark(item, by, verdict, finding="", called_back=False, callback_result=""):
    """What the checker found on one sampled record; marked again until the check is finished."""
    if not may_mark(by):
        raise Refused(_("Only the subdistrict's supervisors mark spot checks."), status=403)
    finding, callback_result = (finding or "").strip(), (callback_result or "").strip()
    called_back = bool(called_back or callback_result)
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose true, problem found or could not be verified.")]
    if verdict == Verdict.PROBLEM and not finding:
        errors["finding"] = [_("Say what the problem is.")]
    if len(finding) > 1000:
        errors["finding"] = [_("At most 1000 characters, please.")]
    if called_back and not callback_result:
        errors["callback_result"] = [_("Say what the household said on the callback.")]
    if len(callback_result) > 500:
        errors["callback_result"] = [_("At most 500 characters, please.")]
    if errors:
        raise Refused(_("Please check the mark."), errors)
    with transaction.atomic():
        check = SpotCheck.objects.select_for_update().get(pk=item.spot_check_id)
        if check.finished_at:
            raise Refused(_("This check is finished: its marks stay as they are."), status=409)
        item.verdict, item.finding = verdict, finding
        item.called_back, item.callback_result = called_back, callback_result
        item.checked_by, item.checked_at = by, timezone.now()
        item.save(update_fields=["verdict", "finding", "called_back", "callback_result", "checked_by", "checked_at"])
    return item


def finish(check, by):
    """The check is done once every sampled record is marked; its marks stay as they are."""
    if not may_mark(by):
        raise Refused(_("Only the subdistrict's supervisors mark spot checks."), status=403)
    with transaction.atomic():
        check = SpotCheck.objects.select_for_update().get(pk=check.pk)
        if check.finished_at:
            return check
        unmarked = check.items.filter(verdict="").count()
        if unmarked:
            message = ngettext(
                "%(count)s sampled record is not marked yet.", "%(count)s sampled records are not marked yet.", unmarked
            )
            raise Refused(message % {"count": unmarked}, status=409)
        check.finished_at = timezone.now()
        check.save(update_fields=["finished_at"])
    return check


def log_opened(items, by, check):
    """Opening a check shows its records' households (masked): one access row per record."""
    note = _("Spot check %(check)s") % {"check": check}
    log([item.record for item in items], by, RecordAccess.Action.VIEWED, note=note)


def export(check, by=None):
    """The check's workbook (outreach/workbook.py), its export logged for every record in it.
    `by` None: the subdistrict office's script."""
    if by is not None and not may_export(by, check):
        raise Refused(_("There is no such spot check."), status=404)
    items = list(sampled(check))
    data = workbook(check)
    note = _("Spot check %(check)s workbook") % {"check": check}
    log([item.record for item in items], by, RecordAccess.Action.EXPORTED, note=note)
    return data
