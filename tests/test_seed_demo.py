import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from activities import staffing
from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    Duty,
    DutyRota,
    Occurrence,
    ScheduleWeek,
    Shift,
    StaffMember,
    StaffSchedulePage,
)
from booking.models import Holiday, Reservation, Room
from home.management.commands.seed_demo import RESIDENT_NAMES
from home.models import ContentPage, HomePage
from portal.models import Area, AreaSettings, User
from tests.conftest import django_says, run_project

Status = Occurrence.Status


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.order_by("pk").values_list("hostname", "port", "root_page_id", "is_default_site")),
        "areas": list(Area.objects.values_list("name", "staff_group_id", "collection_id")),
        "images": get_image_model().objects.count(),
        "users": list(User.objects.order_by("username").values_list("username", "password")),
        "groups": Group.objects.count(),
        "settings": AreaSettings.objects.count(),
        "categories": list(ActivityCategory.objects.order_by("slug").values_list("slug", "name")),
        "sessions": list(
            Occurrence.objects.order_by("pk").values_list(
                "pk", "start", "end", "status", "note", "sequence", "room_clash"
            )
        ),
        "room time": list(
            Reservation.objects.order_by("pk").values_list("pk", "room_id", "kind", "status", "start", "end", "label")
        ),
        "staff": list(StaffMember.objects.order_by("pk").values_list("pk", "name", "photo_id")),
        "rotas": DutyRota.objects.count(),
        "weeks": list(ScheduleWeek.objects.order_by("pk").values_list("area_id", "monday", "published_at")),
        "shifts": list(
            Shift.objects.order_by("pk").values_list("pk", "staff_id", "duty", "desk", "place", "start", "end")
        ),
    }


def test_seed_builds_two_areas_with_chinese_and_english_home_pages(demo):
    assert set(demo) == {"xuhuiyuan", "wanliu"}
    assert demo["xuhuiyuan"].name == "徐汇苑居民区"
    assert demo["xuhuiyuan"].subdistrict == "枫林路街道"
    assert Site.objects.get(is_default_site=True).area == demo["xuhuiyuan"]
    assert demo["wanliu"].site.hostname == "wanliu.localhost"
    for area in demo.values():
        home = area.site.root_page.specific
        assert isinstance(home, HomePage) and home.live and home.hero_image is not None
        english = [p for p in home.get_translations() if p.locale.language_code == "en"]
        assert len(english) == 1 and english[0].live
        assert ContentPage.objects.child_of(home).live().filter(slug="about").exists()
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(depth=2, content_type__app_label="wagtailcore").exists()


def test_seeding_twice_changes_nothing(demo):
    before = snapshot()
    assert len(before["sessions"]) > 100 and len(before["shifts"]) > 100 and len(before["staff"]) == 11
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_seed_prints_addresses_and_demo_accounts(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "http://localhost:8000/" in text
    assert "http://wanliu.localhost:8000/" in text
    assert "/admin/" in text
    assert "http://localhost:8000/activities/" in text
    assert "http://wanliu.localhost:8000/staff-schedule/" in text
    for username, password in [
        ("xhy-staff", "xuhuiyuan2026"),
        ("wl-staff", "wanliu2026"),
        ("supervisor", "jiedao2026"),
    ]:
        assert f"{username} / {password}" in text
        assert User.objects.get(username=username).check_password(password)


def test_seed_refuses_without_demo_permission(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="xhy-staff").exists()


PRODUCTION = {
    "settings_module": "portal.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.cn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_refuse_seed_demo_and_need_a_secret_key():
    assert django_says("settings.DEMO_DATA_ALLOWED", **PRODUCTION) == "False"

    refused = run_project("manage.py", "seed_demo", **PRODUCTION)
    assert refused.returncode != 0
    assert "演示账号绝不能进入生产环境" in refused.stderr

    without_secret = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    missing = run_project("-c", "import django; django.setup()", **without_secret)
    assert missing.returncode != 0
    assert "SECRET_KEY is not set" in missing.stderr


# Activities and the staff's plan


def local(value):
    return timezone.localtime(value)


def activity(area, slug):
    return ActivityPage.objects.descendant_of(area.site.root_page).get(slug=slug)


def class_rows(sessions):
    """The class rows of booking's table holding time for these sessions, as (id, room, start, end)."""
    return set(
        Reservation.objects.holding()
        .filter(
            kind=Reservation.Kind.CLASS,
            source_type=ContentType.objects.get_for_model(Occurrence),
            source_id__in=[session.pk for session in sessions],
        )
        .values_list("source_id", "room_id", "start", "end")
    )


def test_each_area_has_its_activity_index_and_staff_schedule_in_the_menu(demo):
    for area in demo.values():
        home = area.site.root_page
        index = ActivityIndexPage.objects.child_of(home).get()
        schedule = StaffSchedulePage.objects.child_of(home).get()
        assert (index.title, index.slug, index.live, index.show_in_menus) == ("活动安排", "activities", True, True)
        assert (schedule.title, schedule.slug, schedule.live, schedule.show_in_menus) == (
            "值班安排",
            "staff-schedule",
            True,
            True,
        )
        assert index.intro and schedule.intro
        pages = ActivityPage.objects.child_of(index)
        assert pages.count() >= 2 and all(page.live and page.image_id and page.body for page in pages)
        assert all(re.fullmatch(r"[a-z-]+", page.slug) for page in pages)
        assert all(re.fullmatch(r"021-6\d{7}", page.contact_phone) for page in pages)
    assert set(ActivityCategory.objects.values_list("slug", flat=True)) >= {"culture", "health", "education"}


def test_the_qipao_group_rehearses_twice_a_week_in_the_piano_room_holding_its_time(xhy):
    qipao = activity(xhy, "qipao-group")
    piano = Room.objects.get(area=xhy, slug="piano-room")
    sessions = list(Occurrence.objects.filter(activity=qipao))
    assert qipao.room == piano and len(sessions) > 40
    assert any(session.end < timezone.now() for session in sessions)  # it has a past
    for session in sessions:
        scheduled = local(session.original_start)
        assert scheduled.weekday() in (0, 3) and scheduled.time() == dt.time(16, 30)
        assert session.end - session.start == dt.timedelta(minutes=90)
        assert session.room == piano and session.area == xhy
    live = [session for session in sessions if session.status != Status.CANCELLED]
    assert class_rows(live) == {(session.pk, piano.pk, session.start, session.end) for session in live}


def test_one_session_is_cancelled_and_one_moved_after_today(xhy):
    today = timezone.localdate()
    cancelled = Occurrence.objects.filter(status=Status.CANCELLED).get()
    assert cancelled.activity.slug == "morning-tai-chi" and cancelled.note == "老师外出培训，本次暂停"
    assert local(cancelled.start).weekday() == 1 and local(cancelled.start).date() > today
    assert not class_rows([cancelled])  # the room is free that morning

    moved = Occurrence.objects.filter(status=Status.MOVED).get()
    assert moved.activity.slug == "qipao-group" and "维修" in moved.note
    was, now = local(moved.original_start), local(moved.start)
    assert was.weekday() == 3 and was.date() > today
    assert now == was + dt.timedelta(days=1) and now.weekday() == 4  # Friday, same time
    assert moved.end - moved.start == dt.timedelta(minutes=90)
    assert class_rows([moved]) == {(moved.pk, moved.room_id, moved.start, moved.end)}


def test_tai_chi_is_at_seven_on_tuesdays_and_thursdays_in_the_multi_function_room(xhy):
    tai_chi = activity(xhy, "morning-tai-chi")
    assert tai_chi.room.slug == "multi-function-room"
    starts = [local(session.start) for session in Occurrence.objects.filter(activity=tai_chi)]
    assert starts and {start.weekday() for start in starts} == {1, 3}
    assert {start.time() for start in starts} == {dt.time(7)}


def test_the_pet_care_talk_is_monthly_with_sign_up(xhy):
    talk = activity(xhy, "pet-care-talk")
    assert talk.signup_required and talk.capacity == 30
    for session in Occurrence.objects.filter(activity=talk):
        start = local(session.start)
        assert start.weekday() == 5 and 8 <= start.day <= 14 and start.time() == dt.time(9, 30)


def test_no_session_clashes_with_another_use_of_its_room(demo):
    assert Occurrence.objects.exists()
    assert not Occurrence.objects.exclude(room_clash="").exists()
    held_until = {}  # room: the end of the latest span held so far
    for row in Reservation.objects.holding().order_by("held_start"):
        assert row.held_start >= held_until.get(row.room_id, row.held_start), row
        held_until[row.room_id] = max(row.held_end, held_until.get(row.room_id, row.held_end))
    # The demo residents' bookings are all there, beside the classes.
    assert Reservation.objects.bookings().count() == 7


def this_and_next_week():
    monday = staffing.monday_of(timezone.localdate())
    return [monday + dt.timedelta(days=n) for n in range(14)]


def published_shifts(area, day, **filters):
    return (
        Shift.objects.published()
        .filter(week__area=area, **filters)
        .between(
            timezone.make_aware(dt.datetime.combine(day, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)),
        )
    )


def covered(shifts, start, end):
    """Do these shifts together cover [start, end) without a gap?"""
    reached = start
    for shift in sorted(shifts, key=lambda shift: shift.start):
        if shift.start > reached:
            break
        reached = max(reached, shift.end)
    return reached >= end


def test_both_reception_desks_are_covered_every_working_day_this_week_and_next(demo):
    days = this_and_next_week()
    days_off = Holiday.days_off(days[0], days[-1])
    for area in demo.values():
        weeks = ScheduleWeek.objects.filter(area=area, monday__in=[days[0], days[7]], published_at__isnull=False)
        assert weeks.count() == 2
        for day in days:
            if day.weekday() >= 5 or day in days_off:
                continue
            for desk in (1, 2):
                shifts = list(published_shifts(area, day, duty=Duty.RECEPTION, desk=desk))
                for opens, closes in (("08:30", "11:30"), ("13:30", "17:00")):
                    span = [
                        timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(time)))
                        for time in (opens, closes)
                    ]
                    assert covered(shifts, *span), f"{area.slug} {day} desk {desk} {opens}"
    saturdays = [day for day in days if day.weekday() == 5 and day not in days_off]
    for saturday in saturdays:
        assert published_shifts(demo["xuhuiyuan"], saturday, duty=Duty.RECEPTION, desk=1).exists()


def test_staff_have_a_full_week_and_are_never_in_two_places_at_once(demo):
    assert StaffMember.objects.filter(area=demo["xuhuiyuan"]).count() == 6
    assert StaffMember.objects.filter(area=demo["wanliu"]).count() == 5
    for member in StaffMember.objects.all():
        assert member.photo_id and re.fullmatch(r"021-64\d{6}", member.work_phone)
        shifts = list(Shift.objects.filter(staff=member).order_by("start"))
        assert {shift.duty for shift in shifts} >= {Duty.RECEPTION, Duty.HOME_VISITS}, member
        for first, second in zip(shifts, shifts[1:], strict=False):
            assert first.end <= second.start, (first, second)
    duties = set(Shift.objects.values_list("duty", flat=True))
    assert duties >= {Duty.RECEPTION, Duty.PATROL, Duty.HOME_VISITS, Duty.MEETING, Duty.TRAINING, Duty.OFFICE}


def test_home_visits_name_a_part_of_the_area_never_whose_home(demo):
    visits = list(Shift.objects.filter(duty=Duty.HOME_VISITS).select_related("rota"))
    assert visits
    residents = User.objects.filter(phone__startswith="+86139")
    names = set(RESIDENT_NAMES) | {f"{person.last_name}{person.first_name}" for person in residents}
    homes = {f"{person.building}{person.room_number}" for person in residents} | {
        person.room_number for person in residents if person.room_number
    }
    for shift in visits:
        for place in (shift.place, shift.note, shift.rota.place if shift.rota else ""):
            assert not any(name and name in place for name in names), place
            assert not any(home and home in place for home in homes), place
        assert re.fullmatch(r"\d+–\d+号楼", shift.place), shift.place
