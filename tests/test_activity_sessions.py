"""Schedules expanded into sessions (activities/sessions.py): the weekday and time of day at every
hour, last dates and counts, single-session changes, holidays (entered, missing, entered later),
the rolling window, and room time shared with residents' bookings in both directions."""

import datetime as dt
from functools import partial

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from activities import sessions
from activities.models import (
    ActivityPage,
    ActivitySchedule,
    Occurrence,
    SessionChange,
    SignUp,
)
from booking import rules
from booking.models import Reservation
from portal.models import Holiday
from tests import schedules
from tests.factories import numbered_resident
from tests.helpers import quiet_monday

Status = Occurrence.Status


def at(day, time):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(time)))


weekly = partial(schedules.weekly, starts="19:00", ends="20:30")


def local_starts(page):
    return [timezone.localtime(row.start) for row in Occurrence.objects.filter(activity=page).order_by("start")]


resident = numbered_resident


def class_holds(page):
    return Reservation.objects.holding().filter(
        kind=Reservation.Kind.CLASS,
        source_type=ContentType.objects.get_for_model(Occurrence),
        source_id__in=Occurrence.objects.filter(activity=page).values("pk"),
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def monday(db):
    """A Monday four weeks ahead or more in a week with no public holiday."""
    return quiet_monday(28)


# `reading` (tests/conftest.py): 阅览室, open daily 08:30–17:00, no cleaning buffer, bookable 14 days
# ahead with 60 minutes' notice.


def test_every_hour_of_the_day_stays_on_its_weekday_after_save_reload_and_revision_publish(make_activity, monday):
    """django-recurrence expands in UTC (docs/architecture.md, time zones and recurrence): at 00:00–07:59 Shanghai time it is
    still the day before in UTC, which used to move a Tuesday class to Monday."""
    tuesday = monday + dt.timedelta(days=1)
    for hour in range(24):
        starts = dt.time(hour)
        page = make_activity(
            f"第{hour}点的课",
            f"hour-{hour}",
            schedules=[weekly(1, first=tuesday, starts=f"{hour:02d}:00", ends=f"{hour:02d}:45", count=3)],
        )
        expected = [at(tuesday + dt.timedelta(weeks=n), f"{hour:02d}:00") for n in range(3)]
        assert local_starts(page) == expected, f"{hour:02d}:00"

        reloaded = ActivityPage.objects.get(pk=page.pk)
        assert reloaded.schedules.get().start_time == starts
        reloaded.title += "（修订）"
        reloaded.save_revision().publish()
        published = reloaded.get_latest_revision().as_object()
        assert published.schedules.get().start_time == starts
        assert local_starts(page) == expected, f"{hour:02d}:00 after a revision publish"
        assert all(start.weekday() == 1 and start.hour == hour for start in local_starts(page))


def test_the_last_date_is_inclusive_and_its_evening_session_is_kept(make_activity, monday):
    last = monday + dt.timedelta(weeks=2)
    page = make_activity("合唱", "choir", schedules=[weekly(0, first=monday, starts="19:00", last_date=last)])
    assert local_starts(page) == [at(monday + dt.timedelta(weeks=n), "19:00") for n in range(3)]


def test_count_every_other_week_and_the_nth_weekday_of_the_month(make_activity, monday):
    wednesday = monday + dt.timedelta(days=2)
    fortnightly = make_activity(
        "书法", "calligraphy", schedules=[weekly(2, first=wednesday, starts="09:00", ends="10:00", interval=2, count=4)]
    )
    assert local_starts(fortnightly) == [at(wednesday + dt.timedelta(weeks=2 * n), "09:00") for n in range(4)]

    monthly = make_activity(
        "宠物知识普及",
        "pets",
        schedules=[weekly(5, first=monday, starts="09:30", ends="11:00", frequency="monthly", nth=2, count=3)],
    )
    starts = local_starts(monthly)
    assert len(starts) == 3
    for start in starts:
        assert start.weekday() == 5 and 8 <= start.day <= 14 and start.time() == dt.time(9, 30)
    assert [start.month for start in starts] == sorted({start.month for start in starts})


def test_the_first_date_is_not_a_session_unless_the_rule_gives_it(make_activity, monday):
    """`include_dtstart=False`: a schedule starting on a Monday for Tuesdays starts on Tuesday."""
    page = make_activity("太极", "taiji", schedules=[weekly(1, 3, first=monday, starts="07:00", ends="08:00", count=2)])
    assert local_starts(page) == [
        at(monday + dt.timedelta(days=1), "07:00"),
        at(monday + dt.timedelta(days=3), "07:00"),
    ]


def test_cancel_move_and_note_one_session_without_touching_the_rule(make_activity, monday, reading):
    tuesdays = [monday + dt.timedelta(days=1, weeks=n) for n in range(4)]
    page = make_activity(
        "教育咨询",
        "consulting",
        room=reading,
        schedules=[weekly(1, first=monday, starts="14:00", ends="15:00", count=4)],
    )
    first_uids = {row.original_start: row.uid for row in Occurrence.objects.filter(activity=page)}
    assert class_holds(page).count() == 4

    friday = tuesdays[2] + dt.timedelta(days=3)
    page.session_changes = [
        SessionChange(date=tuesdays[0], action="cancel", note="老师外出培训"),
        SessionChange(date=tuesdays[2], action="move", new_date=friday, new_start_time=dt.time(15), note="活动室维修"),
        SessionChange(date=tuesdays[3], action="note", note="请带上孩子的成绩单"),
    ]
    page.save_revision().publish()

    rows = {timezone.localtime(row.original_start).date(): row for row in Occurrence.objects.filter(activity=page)}
    cancelled, plain, moved, noted = (rows[day] for day in tuesdays)
    assert (cancelled.status, cancelled.note) == (Status.CANCELLED, "老师外出培训")
    assert plain.status == Status.SCHEDULED and plain.sequence == 0
    assert moved.status == Status.MOVED
    assert (moved.local_start, moved.local_end) == (at(friday, "15:00"), at(friday, "16:00"))
    assert moved.local_start != timezone.localtime(moved.original_start)
    assert noted.note == "请带上孩子的成绩单" and noted.status == Status.SCHEDULED
    # Same rows, same UIDs; calendar apps see a higher sequence on what changed.
    assert {row.original_start: row.uid for row in rows.values()} == first_uids
    assert cancelled.sequence == moved.sequence == noted.sequence == 1
    # The cancelled session frees the room; the moved one holds its new time.
    holds = {hold.source_id: hold for hold in class_holds(page)}
    assert cancelled.pk not in holds
    assert (holds[moved.pk].start, holds[moved.pk].end) == (moved.start, moved.end)
    assert len(holds) == 3

    page.session_changes = []
    page.save_revision().publish()
    cancelled.refresh_from_db()
    assert cancelled.status == Status.SCHEDULED and cancelled.note == "" and cancelled.sequence == 2
    assert class_holds(page).count() == 4


def test_public_holidays_are_skipped_unless_the_schedule_says_otherwise(make_activity, monday):
    tuesday = monday + dt.timedelta(days=1)
    Holiday.objects.create(date=tuesday + dt.timedelta(weeks=1), name="测试节")
    Holiday.objects.create(date=monday + dt.timedelta(days=6), name="调休", kind=Holiday.Kind.WORKDAY)
    skipping = make_activity("舞蹈", "dance", schedules=[weekly(1, first=monday, count=3)])
    keeping = make_activity("值守", "watch", schedules=[weekly(1, first=monday, count=3, skip_holidays=False)])
    assert local_starts(skipping) == [at(tuesday, "19:00"), at(tuesday + dt.timedelta(weeks=2), "19:00")]
    assert len(local_starts(keeping)) == 3
    assert not Occurrence.objects.filter(activity=skipping, start__date=monday + dt.timedelta(days=6)).exists()


def test_a_year_without_holiday_data_is_marked_pending_and_rechecked_once_entered(
    make_activity, django_capture_on_commit_callbacks
):
    """chinesecalendar knows years only once the State Council announces them. The test sets the table itself: the year four weeks ahead and later are not entered, the
    years before are, whatever the library knows today."""
    today = timezone.localdate()
    first = today + dt.timedelta(days=28)
    year = first.year
    Holiday.objects.filter(date__year__gte=year).delete()
    for entered in range(today.year - 1, year):
        Holiday.objects.get_or_create(date=dt.date(entered, 10, 1), defaults={"name": "国庆节"})
    page = make_activity("跨年前后的课", "new-year", schedules=[weekly(*range(7), first=first - dt.timedelta(days=3))])
    rows = Occurrence.objects.filter(activity=page)
    assert rows.filter(start__year=year).exists()
    assert all(row.holiday_pending for row in rows.filter(start__year=year))
    assert not any(row.holiday_pending for row in rows.filter(start__year__lt=year))
    assert rows.filter(start__date=first).exists()  # not guessed away

    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=first, name="假日")
    assert not rows.filter(start__date=first).exists()
    assert not rows.filter(holiday_pending=True).exists()


def test_the_window_rolls_forward_and_keeps_the_past(make_activity, today):
    # Every day, holidays included: the first and last rows are the window's ends whatever the date.
    page = make_activity(
        "晨练", "morning", schedules=[weekly(*range(7), first=today - dt.timedelta(days=120), skip_holidays=False)]
    )
    window_start, window_end = sessions.window(today)
    rows = Occurrence.objects.filter(activity=page)
    first_day, last_day = (
        timezone.localtime(rows.order_by(order).first().start).date() for order in ("start", "-start")
    )
    assert (first_day, last_day) == (window_start, window_end)

    later = today + dt.timedelta(days=30)
    sessions.regenerate(page, today=later)
    assert timezone.localtime(rows.order_by("-start").first().start).date() == later + dt.timedelta(days=180)
    # Sessions before the new window's start are history, not deleted.
    assert timezone.localtime(rows.order_by("start").first().start).date() == window_start


def test_unpublishing_removes_future_sessions_and_frees_the_room(make_activity, monday, reading):
    page = make_activity(
        "读书会", "books", room=reading, schedules=[weekly(4, first=monday, starts="10:00", ends="11:00")]
    )
    assert class_holds(page).exists()
    page.unpublish()
    assert not Occurrence.objects.filter(activity=page, end__gt=timezone.now()).exists()
    assert not class_holds(page).exists()


def test_a_class_over_a_residents_booking_is_reported_by_date_never_double_booked(make_activity, monday, reading):
    who = resident(5)
    booked_day = monday + dt.timedelta(days=2)
    now = at(booked_day, "08:00") - dt.timedelta(days=7)
    booking, _created = rules.book(
        room=reading, start=at(booked_day, "10:00"), end=at(booked_day, "11:00"), resident=who, now=now
    )

    page = make_activity(
        "书画", "painting", room=reading, schedules=[weekly(2, first=monday, starts="10:30", ends="11:30", count=3)]
    )
    clashing = Occurrence.objects.get(activity=page, start__date=booked_day)
    assert reading.display_name in clashing.room_clash and "10:30" in clashing.room_clash
    assert who.last_name not in clashing.room_clash  # who booked is never said (王)
    assert clashing.pk not in set(class_holds(page).values_list("source_id", flat=True))
    assert class_holds(page).count() == 2
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CONFIRMED

    # Once the resident cancels, the next regeneration holds the room for the class.
    rules.cancel(booking, who, now=now)
    sessions.regenerate(page)
    clashing.refresh_from_db()
    assert clashing.room_clash == "" and class_holds(page).count() == 3


def test_a_booking_over_a_class_is_refused_and_the_day_shows_the_class(make_activity, monday, reading):
    thursday = monday + dt.timedelta(days=3)
    make_activity(
        "旗袍班", "qipao-test", room=reading, schedules=[weekly(3, first=monday, starts="14:00", ends="16:00")]
    )
    now = at(thursday, "08:00") - dt.timedelta(days=7)
    with pytest.raises(rules.BookingRefused) as refused:
        rules.book(room=reading, start=at(thursday, "15:00"), end=at(thursday, "16:00"), resident=resident(6), now=now)
    assert refused.value.status == 409
    labels = {slot.start.time(): slot.text for slot in rules.day_slots(reading, thursday, now=now)}
    assert labels[dt.time(14)] == labels[dt.time(15, 30)] == "旗袍班"


def test_only_the_chinese_page_produces_sessions_and_its_translation_shows_them(make_activity, monday, en_locale):
    page = make_activity(
        "太极拳", "taiji-en", schedules=[weekly(1, first=monday, starts="07:00", ends="08:00", count=2)]
    )
    english = page.copy_for_translation(en_locale, copy_parents=True, alias=False)
    english.title = "Tai chi"
    english.save_revision().publish()
    assert not Occurrence.objects.filter(activity=english).exists()
    assert sessions.regenerate(english).created == 0
    assert list(english.sessions()) == list(page.sessions())
    assert len(page.sessions()) == 2


def test_the_preview_shows_an_unsaved_schedule_with_its_clashes(make_activity, monday, reading):
    taken = make_activity(
        "合唱团", "choir-taken", room=reading, schedules=[weekly(0, first=monday, starts="09:00", ends="10:00")]
    )
    draft = ActivityPage(title="新课", slug="draft", room=reading)
    draft.schedules = [ActivitySchedule(**weekly(0, 2, first=monday, starts="09:30", ends="10:30", count=4))]
    result = sessions.preview(draft, today=monday - dt.timedelta(days=1))
    assert [session.start for session in result.sessions] == [
        at(monday + dt.timedelta(days=offset), "09:30") for offset in (0, 2, 7, 9)
    ]
    clashing = [session.start.weekday() for session in result.clashes]
    assert clashing == [0, 0] and taken.title in result.clashes[0].clash
    assert not Occurrence.objects.filter(activity__slug="draft").exists()  # nothing written


def test_a_room_closure_over_sessions_frees_their_time_and_marks_them(
    make_activity, monday, reading, xhy_staff, django_capture_on_commit_callbacks
):
    from booking.models import Closure

    page = make_activity(
        "书法", "calligraphy-closed", room=reading, schedules=[weekly(0, first=monday, starts="10:00", ends="11:00")]
    )
    closure = Closure(
        area=reading.area, room=reading, start=at(monday, "08:00"), end=at(monday, "18:00"), reason="设备维修"
    )
    with django_capture_on_commit_callbacks(execute=True):
        rules.close(closure, xhy_staff)
    closed = Occurrence.objects.get(activity=page, start__date=monday)
    assert "设备维修" in closed.room_clash
    assert closed.pk not in set(class_holds(page).values_list("source_id", flat=True))
    next_week = Occurrence.objects.get(activity=page, start__date=monday + dt.timedelta(weeks=1))
    assert next_week.room_clash == ""


def test_a_new_time_of_day_keeps_each_sessions_row_sign_ups_and_room(make_activity, monday, reading):
    page = make_activity(
        "书法",
        "calligraphy-moved",
        room=reading,
        schedules=[weekly(0, first=monday, starts="09:00", ends="10:30", count=3)],
    )
    first = Occurrence.objects.get(activity=page, start__date=monday)
    who = resident(7)
    SignUp.objects.create(occurrence=first, resident=who)
    uids = set(Occurrence.objects.filter(activity=page).values_list("pk", flat=True))

    page.schedules = [ActivitySchedule(**weekly(0, first=monday, starts="09:30", ends="11:00", count=3))]
    page.save_revision().publish()

    rows = Occurrence.objects.filter(activity=page)
    assert set(rows.values_list("pk", flat=True)) == uids  # same sessions, same UIDs
    assert [row.local_start.time() for row in rows] == [dt.time(9, 30)] * 3
    assert all(row.room_clash == "" and row.status == Status.SCHEDULED for row in rows)  # not taken by itself
    assert sorted((h.start, h.end) for h in class_holds(page)) == sorted((row.start, row.end) for row in rows)
    assert first.signups.get().resident == who


def test_a_session_removed_after_a_cancelled_sign_up_stays_as_cancelled(make_activity, monday):
    page = make_activity("讲座", "talk-removed", schedules=[weekly(0, first=monday, count=2)])
    session = Occurrence.objects.filter(activity=page).first()
    SignUp.objects.create(occurrence=session, resident=resident(8), status=SignUp.Status.CANCELLED)
    page.schedules = [ActivitySchedule(**weekly(2, first=monday, count=2))]
    page.save_revision().publish()
    session.refresh_from_db()
    assert session.status == Status.CANCELLED and session.note
    assert Occurrence.objects.filter(activity=page, status=Status.SCHEDULED).count() == 2


def test_two_schedules_giving_the_same_start_make_one_session(make_activity, monday):
    page = make_activity(
        "重复", "twice", schedules=[weekly(0, first=monday, count=2), weekly(0, 2, first=monday, count=4)]
    )
    starts = local_starts(page)
    assert len(starts) == len(set(starts)) == 4


def test_a_change_for_a_date_no_schedule_gives_is_pointed_out(make_activity, monday, client, xhy_staff):
    from django.urls import reverse

    page = make_activity(
        "合唱",
        "choir-unmatched",
        schedules=[weekly(0, first=monday, count=3)],
        changes=[{"date": monday + dt.timedelta(days=1), "action": "cancel", "note": "老师生病"}],
    )
    result = sessions.plan(page, monday, monday + dt.timedelta(weeks=3))
    assert result.unmatched_changes == [monday + dt.timedelta(days=1)]
    client.force_login(xhy_staff)
    panel = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    tuesday = monday + dt.timedelta(days=1)
    warnings = panel.split('class="next-dates__warning">')[1:]
    assert any(f"{tuesday.month}月{tuesday.day}日" in warning.split("</p>")[0] for warning in warnings)
