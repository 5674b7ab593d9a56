"""Expanding activity schedules into session rows, and keeping their rooms' time held.

`plan()` says what a page's schedules and single-session changes produce, without writing
(the editor's preview uses it on unsaved pages). `regenerate()` brings the page's session rows
for the rolling window in line with it: on publish, on unpublish, when holidays are entered and
from the `update_sessions` command a system timer runs every night. A session keeps its row,
its iCal UID and its sign-ups across edits; past sessions are history and are left alone.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from activities.models import ActivityPage, Occurrence, SessionChange
from booking import rules
from booking.models import Reservation
from portal.localtime import at, days
from portal.models import Holiday

DAYS_BEFORE = 90
DAYS_AFTER = 180

Status = Occurrence.Status


def window(today=None):
    """The dates (inclusive) for which sessions exist as rows."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=DAYS_BEFORE), today + dt.timedelta(days=DAYS_AFTER)


@dataclass
class Planned:
    original_start: dt.datetime
    start: dt.datetime
    end: dt.datetime
    status: str = Status.SCHEDULED
    note: str = ""
    holiday_pending: bool = False
    clash: str = ""

    @property
    def is_cancelled(self):
        return self.status == Status.CANCELLED

    @property
    def is_moved(self):
        return self.status == Status.MOVED


@dataclass
class Plan:
    sessions: list = field(default_factory=list)
    holidays_skipped: list = field(default_factory=list)  # (date, holiday name)
    pending_years: set = field(default_factory=set)
    unmatched_changes: list = field(default_factory=list)  # changes for a date no schedule gives

    @property
    def clashes(self):
        return [session for session in self.sessions if session.clash]


def plan(page, start, end):
    """The sessions page's schedules and changes give from start to end (dates, inclusive).

    Works on an unsaved page too (the preview): schedules and changes are read through
    the page's in-memory child relations."""
    schedules = list(page.schedules.all())
    changes = {change.date: change for change in page.session_changes.all()}
    result = Plan()
    if any(schedule.skip_holidays for schedule in schedules):
        days_off = Holiday.days_off(start, end)
        result.pending_years = Holiday.missing_years(start, end)
    else:
        days_off = {}
    produced = set()
    for schedule in schedules:
        for day in schedule.dates(start, end):
            produced.add(day)
            if schedule.skip_holidays and day in days_off:
                result.holidays_skipped.append((day, days_off[day]))
                continue
            original_start, original_end = schedule.span_on(day)
            session = Planned(
                original_start,
                original_start,
                original_end,
                holiday_pending=schedule.skip_holidays and day.year in result.pending_years,
            )
            if change := changes.get(day):
                _apply(session, change, schedule)
            result.sessions.append(session)
    result.unmatched_changes = sorted(day for day in changes if start <= day <= end and day not in produced)
    # Two schedules giving the same start make one session.
    result.sessions = list({session.original_start: session for session in reversed(result.sessions)}.values())
    result.sessions.sort(key=lambda session: (session.start, session.original_start))
    result.holidays_skipped.sort()
    return result


def _apply(session, change, schedule):
    session.note = change.note
    if change.action == SessionChange.Action.CANCEL:
        session.status = Status.CANCELLED
    elif change.action == SessionChange.Action.MOVE and change.new_date:
        starts = change.new_start_time or schedule.start_time
        if change.new_end_time:
            session.start, session.end = at(change.new_date, starts), at(change.new_date, change.new_end_time)
        else:
            session.start = at(change.new_date, starts)
            session.end = session.start + _length(schedule)
        session.status = Status.MOVED


def _length(schedule):
    return dt.datetime.combine(dt.date.min, schedule.end_time) - dt.datetime.combine(dt.date.min, schedule.start_time)


def preview(page, today=None, limit=12):
    """The next sessions a (possibly unsaved) page will produce, each with any room clash."""
    today = today or timezone.localdate()
    result = plan(page, today, window(today)[1])
    upcoming = [session for session in result.sessions if session.end > timezone.now()][:limit]
    if page.room_id:
        mark_clashes(page, upcoming)
    result.sessions = upcoming
    return result


def mark_clashes(page, sessions):
    """Fill in `clash` for sessions whose room time is held by something else than this activity."""
    live = [session for session in sessions if not session.is_cancelled]
    if not live:
        return
    own = Occurrence.objects.filter(activity_id=page.pk).values("pk") if page.pk else Occurrence.objects.none()
    taken = list(
        Reservation.objects.holding()
        .filter(room_id=page.room_id, held_start__lt=max(s.end for s in live), held_end__gt=min(s.start for s in live))
        .exclude(source_type=ContentType.objects.get_for_model(Occurrence), source_id__in=own)
    )
    for session in live:
        for row in taken:
            if row.held_start < session.end and row.held_end > session.start:
                session.clash = rules.taken(page.room, session.start, session.end, row).message
                break


@dataclass
class Result:
    created: int = 0
    changed: int = 0
    removed: int = 0
    clashes: list = field(default_factory=list)  # Occurrence rows whose room could not be held


def regenerate(page, today=None):
    """Bring the page's session rows for the window in line with its published schedules."""
    page = page.specific
    result = Result()
    if page.locale_id != Locale.get_default().pk:
        return result  # a translation shows its original's sessions
    start, end = window(today)
    now = timezone.now()
    planned = plan(page, start, end).sessions if page.live else []
    area = page.get_site().area
    with transaction.atomic():
        first, after = days(start, end)
        rows = page.occurrences.select_for_update().filter(original_start__gte=first, original_start__lt=after)
        pairs, leftover = _match(planned, list(rows))
        # The past is history: sessions already over stay as they were.
        pairs = [(row, session) for row, session in pairs if row is None or row.end > now]
        leftover = [row for row in leftover if row.end > now]
        holds = _holds([row for row, _session in pairs if row is not None] + leftover)
        # Free what is going away or moving first, so a class never clashes with its own old times.
        for row in leftover:
            _remove(row, holds.pop(row.pk, None))
            result.removed += 1
        for row, session in pairs:
            held = holds.get(row.pk) if row is not None else None
            keeps = (held.room_id, held.start, held.end) == (page.room_id, session.start, session.end) if held else True
            if held is not None and (not keeps or session.status == Status.CANCELLED):
                rules.release(held, _("Session changed"))
                holds.pop(row.pk)
        for row, session in pairs:
            values = {
                "area_id": area.pk,
                "original_start": session.original_start,
                "start": session.start,
                "end": session.end,
                "status": session.status,
                "note": session.note,
                "holiday_pending": session.holiday_pending,
                "room_id": page.room_id,
            }
            if row is None:
                row = Occurrence.objects.create(activity=page, **values)
                result.created += 1
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.sequence += 1
                row.save()
                result.changed += 1
            if _hold_room(row, holds.get(row.pk), page):
                result.clashes.append(row)
    return result


def _match(planned, rows):
    """Pair planned sessions with existing rows: by scheduled start, then by date (a schedule moved
    to another time of the same day keeps its row, UID and sign-ups). Returns (pairs, rows left)."""
    by_start = {row.original_start: row for row in rows}
    pairs = [(by_start.pop(session.original_start, None), session) for session in planned]
    by_day = {}
    for row in by_start.values():
        by_day.setdefault(timezone.localtime(row.original_start).date(), []).append(row)
    for index, (row, session) in enumerate(pairs):
        if row is None and (same_day := by_day.get(timezone.localtime(session.original_start).date())):
            pairs[index] = (same_day.pop(0), session)
    return pairs, [row for rows in by_day.values() for row in rows]


def _holds(rows):
    """The class rows holding time for these sessions, by session id, in one query."""
    ids = [row.pk for row in rows]
    held = (
        Reservation.objects.holding()
        .filter(
            kind=Reservation.Kind.CLASS, source_type=ContentType.objects.get_for_model(Occurrence), source_id__in=ids
        )
        .select_related("room")
    )
    return {reservation.source_id: reservation for reservation in held}


def _hold_room(row, held, page):
    """Keep the room's time held for a session (or free it); True when the room was taken."""
    label = page.title
    wanted = row.room_id is not None and row.status != Status.CANCELLED
    if held is not None and (not wanted or (held.room_id, held.start, held.end) != (row.room_id, row.start, row.end)):
        rules.release(held, _("Session changed"))
        held = None
    elif held is not None and held.label != label:
        held.label = label
        held.save(update_fields=["label", "updated_at"])
    clash = ""
    if wanted and held is None:
        try:
            rules.hold(page.room, row.start, row.end, label=label, source=row)
        except rules.BookingRefused as refused:
            clash = refused.message
    if row.room_clash != clash:
        row.room_clash = clash
        row.save(update_fields=["room_clash", "updated_at"])
    return bool(clash)


def _remove(row, held):
    """A session the schedules no longer produce: gone, unless residents ever signed up for it
    (then it stays, cancelled, so they see what happened)."""
    if held is not None:
        rules.release(held, _("Session removed"))
    if row.signups.exists():
        if row.status != Status.CANCELLED:
            row.status, row.note = Status.CANCELLED, _("The schedule has changed")
            row.sequence += 1
            row.save()
    else:
        row.delete()


def regenerate_all(today=None, skipping_holidays=False):
    """Every published Chinese activity page, and what is left of unpublished ones
    (only those with a schedule that skips holidays, when the holidays changed)."""
    pages = ActivityPage.objects.filter(
        Q(live=True) | Q(occurrences__end__gt=timezone.now()), locale=Locale.get_default()
    )
    if skipping_holidays:
        pages = pages.filter(schedules__skip_holidays=True)
    pages = pages.distinct()
    return {page: regenerate(page, today) for page in pages}
