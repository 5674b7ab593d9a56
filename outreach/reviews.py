"""Each staff member's quarter, side by side for the area; the lead's review against it; the
supervisor's comparison of areas; and handing a departing member's open work to a colleague.

The figures are counted with one grouped query per kind of record, whatever the area's size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import QuarterReview, Rating, ReceptionCase, SpotCheckItem, Suggestion, SuggestionEvent, Visit
from outreach.records import is_lead
from portal.accounts import sign_out_everywhere
from portal.localtime import days, local_day
from portal.models import User
from portal.refusals import Refused
from staff.models import Duty, Shift

Verdict = SpotCheckItem.Verdict


@dataclass
class StaffQuarter:
    """One staff member's quarter: what they did, how residents rated it, what a check found."""

    staff: User
    visits: int = 0
    cases: int = 0
    cases_by_service: Counter = field(default_factory=Counter)
    handled: int = 0
    on_time: int = 0
    ratings: Counter = field(default_factory=Counter)
    checked: Counter = field(default_factory=Counter)
    review: QuarterReview | None = None

    @property
    def rated(self):
        return sum(self.ratings.values())

    @property
    def satisfied(self):
        return self.ratings[Rating.SATISFIED] + self.ratings[Rating.FAIR]

    @property
    def services(self):
        """[(service, cases)], the most frequent first (templates cannot call a Counter's methods)."""
        return self.cases_by_service.most_common()

    @property
    def check_results(self):
        """[(verdict label, records)] of the quarter's spot check."""
        return [(Verdict(verdict).label, n) for verdict, n in sorted(self.checked.items())]

    @property
    def name(self):
        return self.staff.get_full_name() or self.staff.get_username()


def _moments(quarter):
    return days(quarter.first, quarter.last)


def _rating_counts(queryset, who):
    """{staff id: Counter(rating)} of the rated rows of `queryset`, grouped by the field `who`."""
    counts = defaultdict(Counter)
    for row in queryset.exclude(rating="").values(who, "rating").annotate(n=Count("pk")):
        counts[row[who]][row["rating"]] += row["n"]
    return counts


def staff_quarters(area, quarter):
    """Every member of the area's staff with a record or a suggestion in the quarter, and every
    active one, in name order."""
    start, end = _moments(quarter)
    visits = Visit.objects.filter(area=area, at__gte=start, at__lt=end)
    cases = ReceptionCase.objects.filter(area=area, at__gte=start, at__lt=end)
    handled = Suggestion.objects.filter(area=area, answered_at__gte=start, answered_at__lt=end, handler__isnull=False)
    people = {}

    def row(staff_id):
        return people.setdefault(staff_id, StaffQuarter(staff=None))

    for entry in visits.values("staff").annotate(n=Count("pk")):
        row(entry["staff"]).visits = entry["n"]
    for entry in cases.values("staff", "service__title").annotate(n=Count("pk")):
        staff_row = row(entry["staff"])
        staff_row.cases += entry["n"]
        staff_row.cases_by_service[entry["service__title"] or _("Other")] += entry["n"]
    for entry in handled.values("handler").annotate(
        n=Count("pk"), on_time=Count("pk", filter=Q(answered_at__date__lte=F("answer_due")))
    ):
        row(entry["handler"]).handled, row(entry["handler"]).on_time = entry["n"], entry["on_time"]
    for counts in (_rating_counts(visits, "staff"), _rating_counts(cases, "staff"), _rating_counts(handled, "handler")):
        for staff_id, ratings in counts.items():
            row(staff_id).ratings.update(ratings)
    items = SpotCheckItem.objects.filter(spot_check__area=area, spot_check__quarter=str(quarter)).exclude(verdict="")
    for entry in items.values("staff", "verdict").annotate(n=Count("pk")):
        row(entry["staff"]).checked[entry["verdict"]] += entry["n"]
    staff = User.objects.filter(Q(pk__in=people) | Q(groups=area.staff_group_id, is_active=True)).distinct()
    reviews = {review.staff_id: review for review in QuarterReview.objects.filter(area=area, quarter=str(quarter))}
    for user in staff:
        row(user.pk).staff = user
        people[user.pk].review = reviews.get(user.pk)
    return sorted((r for r in people.values() if r.staff), key=lambda r: (not r.staff.is_active, r.name))


@dataclass
class AreaQuarter:
    area: object
    staff: int
    visits: int
    cases: int
    handled: int
    on_time: int
    rated: int
    satisfied: int
    problems: int
    praised: int
    urged: int


def compare_areas(areas, quarter):
    """The supervisor's view: each area's quarter in one row."""
    rows = []
    for area in areas:
        members = staff_quarters(area, quarter)
        rows.append(
            AreaQuarter(
                area=area,
                staff=len(members),
                visits=sum(m.visits for m in members),
                cases=sum(m.cases for m in members),
                handled=sum(m.handled for m in members),
                on_time=sum(m.on_time for m in members),
                rated=sum(m.rated for m in members),
                satisfied=sum(m.satisfied for m in members),
                problems=sum(m.checked[Verdict.PROBLEM] for m in members),
                praised=sum(bool(m.review and m.review.verdict == QuarterReview.Verdict.PRAISE) for m in members),
                urged=sum(bool(m.review and m.review.verdict == QuarterReview.Verdict.URGE) for m in members),
            )
        )
    return rows


def review(area, staff, quarter, verdict, note, by):
    """The lead's word on a staff member's quarter (表扬 / 督促 / reviewed); a second review of the
    same quarter replaces the first."""
    if not is_lead(by, area):
        raise Refused(_("Only the area's lead reviews its staff."), status=403)
    if staff.area_id != area.pk or not staff.groups.filter(pk=area.staff_group_id).exists():
        raise Refused(_("Choose a member of your own area's staff."), {"staff": [_("Not of this area's staff.")]})
    errors = {}
    if verdict not in QuarterReview.Verdict.values:
        errors["verdict"] = [_("Choose commended, to improve or reviewed.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say what the review is based on.")]
    if errors:
        raise Refused(_("Please check the review."), errors)
    found, _created = QuarterReview.objects.update_or_create(
        staff=staff,
        quarter=str(quarter),
        defaults={"area": area, "verdict": verdict, "note": note[:2000], "by": by, "at": timezone.now()},
    )
    return found


def open_work(user):
    """What a staff member still has in hand: open suggestions they handle, follow-ups not done."""
    return (
        Suggestion.objects.open().filter(handler=user),
        Visit.objects.filter(follow_up_by=user, follow_up_done_at__isnull=True).exclude(follow_up=""),
    )


def hand_over(departing, successor, by):
    """A staff member leaves: the lead gives their open suggestions and follow-ups to a colleague
    in one step, and their account is closed and signed out everywhere. Returns the counts."""
    area = departing.area
    if area is None or not is_lead(by, area):
        raise Refused(_("Only the area's lead hands over a departing member's work."), status=403)
    if departing.pk == by.pk:
        raise Refused(_("Another lead hands over your own work."), status=409)
    if successor is None or successor.pk == departing.pk or successor.area_id != area.pk or not successor.is_active:
        raise Refused(_("Please choose who takes over."), {"successor": [_("An active colleague of this area.")]})
    with transaction.atomic():
        open_suggestions, follow_ups = open_work(departing)
        moved = list(open_suggestions.select_for_update())
        note = _("Handed over from %(from)s to %(to)s.") % {
            "from": departing.get_full_name() or departing.get_username(),
            "to": successor.get_full_name() or successor.get_username(),
        }
        SuggestionEvent.objects.bulk_create(
            SuggestionEvent(suggestion=s, action=SuggestionEvent.Action.NOTE, by=by, note=note, internal=True)
            for s in moved
        )
        Suggestion.objects.filter(pk__in=[s.pk for s in moved]).update(handler=successor)
        follow_up_count = follow_ups.update(follow_up_by=successor)
        departing.is_active = False
        departing.set_unusable_password()
        departing.save()
        departing.groups.clear()
        sign_out_everywhere(departing)
        if hasattr(departing, "staff_member"):
            departing.staff_member.active = False
            departing.staff_member.save(update_fields=["active"])
    return {"suggestions": len(moved), "follow_ups": follow_up_count}


def today_visit_shifts(user, now=None):
    """The staff member's published home-visit shifts of today, earliest first (the diary form
    offers them, the building filled in)."""
    member = getattr(user, "staff_member", None)
    if member is None:
        return []
    day = local_day(now or timezone.now())
    return list(
        Shift.objects.published()
        .on_days(day, day)
        .filter(staff=member, duty=Duty.HOME_VISITS)
        .select_related("building_from", "building_to")
        .order_by("start")
    )


def today(user, now=None):
    """A staff member's day so far: today's published home-visit shifts, and the visits and
    reception cases they have recorded today."""
    day = local_day(now or timezone.now())
    start, end = days(day, day)
    return {
        "shifts": today_visit_shifts(user, now),
        "visits": Visit.objects.filter(staff=user, at__gte=start, at__lt=end).count(),
        "cases": ReceptionCase.objects.filter(staff=user, at__gte=start, at__lt=end).count(),
    }
