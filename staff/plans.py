"""The staff's hour-by-hour plan: rotas expanded into shifts, weeks published, and the
questions residents ask of it (who is at the reception desk now, where is everyone today).

`regenerate()` turns every active staff member's repeating duties into Shift rows for a
rolling window of weeks, the way activities.sessions does for classes: an editor's change to
one day (edited=True) survives, rows that did not change keep their id, days gone by are
history. Residents see a week only once an editor has published it (`publish()`); a later
regeneration changes the rows but never withdraws the week.

Published shifts are public, so what they say about a home visit is the duty and the part of
the area (docs/architecture.md, personal data): their notes are shown to residents for other duties only.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from portal.localtime import monday_of
from portal.models import Area, Holiday
from staff.models import Duty, ScheduleWeek, Shift, StaffMember

WEEKS_BEFORE = 1
WEEKS_AFTER = 8
DESKS = (1, 2)
# How far ahead "reception opens next" looks (the Spring Festival closes it for about a week).
LOOKAHEAD = dt.timedelta(days=14)
# What a shift's row says, compared to decide whether a regeneration changes it.
PLANNED_FIELDS = ("staff_id", "duty", "desk", "place", "building_from_id", "building_to_id", "start", "end")


def window(today=None):
    """The Mondays of the weeks a regeneration covers: last week to eight weeks ahead."""
    this_week = monday_of(today or timezone.localdate())
    return [this_week + dt.timedelta(weeks=n) for n in range(-WEEKS_BEFORE, WEEKS_AFTER + 1)]


@dataclass
class Result:
    created: int = 0
    changed: int = 0
    removed: int = 0


def regenerate(area, today=None):
    """Bring the area's shifts for the window in line with its staff's rotas.

    A day before `today` is history and stays as it is, unless its week is new (the first
    run fills last week too, so the plan has a past from the start)."""
    today = today or timezone.localdate()
    mondays = window(today)
    first, last = mondays[0], mondays[-1] + dt.timedelta(days=6)
    result = Result()
    staff = list(StaffMember.objects.filter(area=area, active=True).prefetch_related("rotas"))
    rotas = [rota for member in staff for rota in member.rotas.all()]
    days_off = {}
    if any(rota.skip_holidays for rota in rotas):
        days_off = Holiday.days_off(first, last)

    with transaction.atomic():
        weeks = {
            week.monday: week
            for week in ScheduleWeek.objects.select_for_update().filter(area=area, monday__range=(first, last))
        }
        new_weeks = set()
        for monday in mondays:
            if monday not in weeks:
                weeks[monday] = ScheduleWeek.objects.create(area=area, monday=monday)
                new_weeks.add(monday)

        def open_to_change(day):
            return day >= today or monday_of(day) in new_weeks

        planned = {}  # (rota id, date) -> the shift the rota gives that day
        for rota in rotas:
            for day in rota.dates(first, last):
                if (rota.skip_holidays and day in days_off) or not open_to_change(day):
                    continue
                start, end = rota.span_on(day)
                planned[rota.pk, day] = Shift(
                    week=weeks[monday_of(day)],
                    staff_id=rota.staff_id,
                    rota=rota,
                    duty=rota.duty,
                    desk=rota.desk if rota.duty == Duty.RECEPTION else None,
                    place=rota.place,
                    building_from_id=rota.building_from_id,
                    building_to_id=rota.building_to_id,
                    start=start,
                    end=end,
                )

        changed, removed = [], []
        for row in Shift.objects.select_for_update().filter(week__in=weeks.values()).order_by("pk"):
            day = timezone.localtime(row.start).date()
            key = (row.rota_id, day)
            if row.edited:
                planned.pop(key, None)  # an editor's version of that day wins
                continue
            if not open_to_change(day):
                continue
            wanted = planned.pop(key, None) if row.rota_id is not None else None
            if wanted is None:
                removed.append(row.pk)
            elif any(getattr(row, name) != getattr(wanted, name) for name in PLANNED_FIELDS):
                for name in PLANNED_FIELDS:
                    setattr(row, name, getattr(wanted, name))
                changed.append(row)
        Shift.objects.filter(pk__in=removed).delete()
        Shift.objects.bulk_update(changed, PLANNED_FIELDS)
        Shift.objects.bulk_create(planned.values())
    result.created, result.changed, result.removed = len(planned), len(changed), len(removed)
    return result


def regenerate_all(today=None):
    """Every area with staff: what the nightly timer runs to roll the window forward."""
    return {area: regenerate(area, today) for area in Area.objects.filter(staff_members__isnull=False).distinct()}


def publish(area, monday, user):
    """Show residents the area's plan for the week of `monday` (again, after changes)."""
    week, _created = ScheduleWeek.objects.get_or_create(area=area, monday=monday_of(monday))
    week.published_at = timezone.now()
    week.published_by = user
    week.save(update_fields=["published_at", "published_by"])
    return week


# What residents see: published weeks only.


@dataclass
class DeskNow:
    desk: int
    shift: Shift | None = None  # who is at the desk now
    until: dt.datetime | None = None  # when they leave it (after any back-to-back shifts of theirs)
    next_shift: Shift | None = None  # the desk's next shift today, when nobody is there now


@dataclass
class ReceptionNow:
    desks: list
    now: dt.datetime
    opens_at: dt.datetime | None = None  # when nobody is on duty: when the next shift starts

    @property
    def anyone(self):
        return any(desk.shift for desk in self.desks)


def on_duty(area, now=None):
    """Who is at each reception desk at `now` and until when; when nobody is, when reception
    opens next. One query."""
    now = now or timezone.now()
    shifts = list(
        Shift.objects.published()
        .filter(week__area=area, duty=Duty.RECEPTION, desk__in=DESKS, staff__active=True)
        .filter(end__gt=now, start__lt=now + LOOKAHEAD)
        .listed()
    )
    today = timezone.localtime(now).date()
    desks = []
    for number in DESKS:
        at_desk = [shift for shift in shifts if shift.desk == number]
        desk = DeskNow(number)
        current = next((shift for shift in at_desk if shift.start <= now), None)
        if current is not None:
            desk.shift, desk.until = current, current.end
            for shift in at_desk:  # a colleague taking over is a new shift; the same person stays on
                if shift.staff_id == current.staff_id and shift.start == desk.until:
                    desk.until = shift.end
        else:
            desk.next_shift = next(
                (shift for shift in at_desk if timezone.localtime(shift.start).date() == today), None
            )
        desks.append(desk)
    result = ReceptionNow(desks, now)
    if not result.anyone and shifts:
        result.opens_at = min(shift.start for shift in shifts if shift.start > now)
    return result


@dataclass
class StaffPlan:
    staff: StaffMember
    days: list  # one list of shifts per day of the plan

    @property
    def shifts(self):
        """The shifts of a one-day plan."""
        return self.days[0]


@dataclass
class Plan:
    days: list
    weeks: list  # the ScheduleWeek rows of those days (missing when never generated)
    rows: list = field(default_factory=list)

    @property
    def day(self):
        return self.days[0]

    @property
    def published(self):
        mondays = {monday_of(day) for day in self.days}
        return {week.monday for week in self.weeks if week.published_at} >= mondays

    @property
    def week(self):
        return self.weeks[0] if self.weeks else None

    @property
    def working(self):
        """The staff members with something planned on the (first) day."""
        return [row for row in self.rows if row.days[0]]


def plan_between(area, first, last, photos=True):
    """Every active staff member of the area with their published shifts day by day, from
    `first` to `last` inclusive. Four queries (three without photos), whatever the number of
    staff and shifts."""
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    weeks = list(ScheduleWeek.objects.filter(area=area, monday__range=(monday_of(first), last)))
    staff = StaffMember.objects.filter(area=area, active=True).order_by("sort_order", "name", "pk")
    if photos:
        staff = staff.select_related("photo").prefetch_related("photo__renditions")
    staff = list(staff)
    by_staff = {member.pk: StaffPlan(member, [[] for _day in days]) for member in staff}
    if any(week.published_at for week in weeks):
        shifts = (
            Shift.objects.published()
            .filter(week__area=area)
            .on_days(first, last)
            .select_related("building_from", "building_to")
            .order_by("start", "end", "pk")
        )
        for shift in shifts:
            row = by_staff.get(shift.staff_id)
            index = (timezone.localtime(shift.start).date() - first).days
            if row is not None and 0 <= index < len(days):
                shift.staff = row.staff
                row.days[index].append(shift)
    return Plan(days, weeks, list(by_staff.values()))


def day_plan(area, day, photos=True):
    """Every active staff member with their published shifts on `day`, in time order."""
    return plan_between(area, day, day, photos)


def week_plan(area, day):
    """The Monday-to-Sunday week around `day`."""
    monday = monday_of(day)
    return plan_between(area, monday, monday + dt.timedelta(days=6))
