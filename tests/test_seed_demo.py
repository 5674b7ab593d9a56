import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site, WorkflowPage

from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    Occurrence,
)
from booking.models import Reservation, Room
from home.models import (
    ContentPage,
    HomePage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
)
from outreach.models import QuarterReview, ReceptionCase, SpotCheck, Suggestion, Visit
from portal.demo import RESIDENT_NAMES
from portal.localtime import monday_of
from portal.models import Area, AreaSettings, Holiday, User
from services.models import (
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceLibraryPage,
    ServiceTheme,
    ServiceTraining,
)
from staff.models import (
    Duty,
    DutyRota,
    ScheduleWeek,
    Shift,
    StaffMember,
    StaffSchedulePage,
)
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
        "notices": list(
            NoticePage.objects.order_by("pk").values_list("pk", "date", "pinned_until", "important", "expire_at")
        ),
        "trainings": list(
            ServiceTraining.objects.order_by("pk").values_list("staff_member_id", "service_id", "trained_on")
        ),
        "workflows": list(WorkflowPage.objects.order_by("page_id").values_list("page_id", "workflow_id")),
        "memberships": list(User.groups.through.objects.order_by("pk").values_list("user_id", "group_id")),
        "visits": list(Visit.objects.order_by("pk").values_list("pk", "area_id", "at", "resident_id")),
        "cases": list(ReceptionCase.objects.order_by("pk").values_list("pk", "area_id", "at", "resident_id")),
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
    assert len(before["notices"]) >= 10 and len(before["trainings"]) > 100
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_areas_adds_generated_areas_with_people_sessions_bookings_and_records_once(demo):
    """seed_demo --areas 3: the demo's two areas and a third, built like them (the bench's
    subdistrict-scale data set, small); a second run changes nothing."""
    out = io.StringIO()
    call_command("seed_demo", "--areas", "3", stdout=out)
    assert "area-03.localhost" in out.getvalue()
    area = Area.objects.get(slug="area-03")
    assert area.site.hostname == "area-03.localhost" and area.site.root_page.live
    assert User.objects.filter(area=area, phone_verified=True).count() >= 200
    assert User.objects.get(username="a03-staff").groups.filter(pk=area.staff_group_id).exists()
    assert StaffMember.objects.filter(area=area).count() == 5
    assert Shift.objects.published().filter(week__area=area).exists()
    room_time = Reservation.objects.for_area(area)
    assert room_time.filter(kind=Reservation.Kind.CLASS).count() > 30
    bookings = room_time.bookings()
    assert bookings.filter(status=Reservation.Status.COMPLETED, start__lt=timezone.now()).count() > 1000
    assert bookings.filter(status=Reservation.Status.CONFIRMED, start__gt=timezone.now()).exists()
    held_until = {}  # no two rows hold a room's time at once
    for row in room_time.holding().order_by("held_start"):
        assert row.held_start >= held_until.get(row.room_id, row.held_start), row
        held_until[row.room_id] = max(row.held_end, held_until.get(row.room_id, row.held_end))
    assert Visit.objects.filter(area=area).count() > 100 and ReceptionCase.objects.filter(area=area).count() > 100

    before = snapshot()
    call_command("seed_demo", "--areas", "3", stdout=io.StringIO())
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
    assert "http://localhost:8000/notices/" in text
    assert "http://wanliu.localhost:8000/services/" in text
    for username, password in [
        ("xhy-staff", "xuhuiyuan2026"),
        ("xhy-lead", "xhylead2026"),
        ("wl-staff", "wanliu2026"),
        ("wl-lead", "wllead2026"),
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
    "WAGTAILADMIN_BASE_URL": "https://portal.example.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
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


def test_the_qipao_group_rehearses_twice_a_week_in_the_piano_room_holding_its_time(demo, xhy):
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


def test_one_session_is_cancelled_and_one_moved_after_today(demo, xhy):
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


def test_tai_chi_is_at_seven_on_tuesdays_and_thursdays_in_the_multi_function_room(demo, xhy):
    tai_chi = activity(xhy, "morning-tai-chi")
    assert tai_chi.room.slug == "multi-function-room"
    starts = [local(session.start) for session in Occurrence.objects.filter(activity=tai_chi)]
    assert starts and {start.weekday() for start in starts} == {1, 3}
    assert {start.time() for start in starts} == {dt.time(7)}


def test_the_pet_care_talk_is_monthly_with_sign_up(demo, xhy):
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
    monday = monday_of(timezone.localdate())
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
        # Published by the area's buildings, never by free text.
        assert shift.place == "" and re.fullmatch(r"\d+–\d+号楼", shift.where), shift.where


# Notices, service guides, the English pages and the 全科 matrix


def english():
    return Locale.objects.get(language_code="en")


def chinese_guides():
    library = ServiceLibraryPage.objects.get(locale=Locale.get_default())
    return library, list(ServiceGuidePage.objects.child_of(library).order_by("path"))


def words(guide):
    """Everything a resident reads in a guide, as one string."""
    streams = json.dumps([guide.materials.get_prep_value(), guide.steps.get_prep_value()], ensure_ascii=False)
    return "".join([guide.title, guide.summary, guide.eligibility, streams, guide.fees, guide.notes])


def test_the_subdistrict_keeps_one_set_of_15_sample_guides_outside_every_site(demo):
    library, guides = chinese_guides()
    assert (library.title, library.slug, library.live) == ("枫林路街道办事指南", "service-guides", True)
    assert library.get_parent().is_root()
    assert not Site.objects.filter(root_page=library).exists()
    assert len(guides) == 15 and all(guide.live for guide in guides)
    assert all(guide.sample_content and guide.online_service_url == "" and not guide.forms for guide in guides)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", guide.slug) for guide in guides)
    assert {guide.theme for guide in guides} == set(ServiceTheme.values)
    assert 3 <= sum(guide.popular for guide in guides) <= 4
    for guide in guides:
        assert guide.summary and guide.eligibility and guide.processing_time and guide.fees, guide.slug
        checklists = [block.value for block in guide.materials]
        assert checklists and all(checklist["items"] for checklist in checklists), guide.slug
        assert len(guide.steps) >= 2, guide.slug
        assert "http" not in words(guide), guide.slug  # no invented links
    everything = {guide.slug: words(guide) for guide in guides}
    care = everything["long-term-care-insurance"]
    assert "长期护理保险" in care and "长护险" in care
    for topic in ("养老金", "敬老卡", "门诊大病", "居住证", "低保", "就业失业登记", "残疾人证", "医疗救助", "灵活就业"):
        assert any(topic in text for text in everything.values()), topic
    assert sum("免费" in guide.fees for guide in guides) >= 12


def test_two_guides_the_library_and_each_services_page_are_in_english(demo):
    en = english()
    library, guides = chinese_guides()
    assert library.get_translation(en).live
    translated = ServiceGuidePage.objects.filter(locale=en)
    assert {guide.slug for guide in translated} == {"long-term-care-insurance", "senior-allowance"}
    for guide in translated:
        assert guide.live and guide.sample_content and guide.online_service_url == ""
        assert not re.search(r"[\u4e00-\u9fff]", words(guide) + guide.processing_time)  # all in English
        assert guide.get_parent().specific.locale == en
    assert ServiceGuidePage.objects.in_language(en).count() == 15  # the other 13 in Chinese
    for area in demo.values():
        home = area.site.root_page
        services = ServiceIndexPage.objects.child_of(home).get()
        assert (services.title, services.slug, services.live) == ("办事指南", "services", True)
        assert services.show_in_menus
        services_en = services.get_translation(en)
        assert (services_en.title, services_en.live, services_en.show_in_menus) == ("Services", True, True)
        assert services_en.get_parent().pk == home.get_translation(en).pk


def test_each_area_has_a_notice_board_with_pinned_important_and_table_notices(demo):
    today = timezone.localdate()
    titles = {}
    for area in demo.values():
        index = NoticeIndexPage.objects.child_of(area.site.root_page).get()
        assert (index.title, index.slug, index.live, index.show_in_menus) == ("通知公告", "notices", True, True)
        # Staff submit to the area's workflow, which its lead approves.
        assert index.get_workflow().name == f"{area.name}通知审核"
        notices = list(NoticePage.objects.child_of(index))
        assert 5 <= len(notices) <= 7 and all(notice.live for notice in notices)
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", notice.slug) for notice in notices)
        assert {notice.category for notice in notices} == set(NoticeCategory.values)
        assert all(today - dt.timedelta(days=35) <= notice.date <= today for notice in notices)
        assert len({notice.date for notice in notices}) == len(notices)
        titles[area.slug] = {notice.title for notice in notices}

        [pinned] = [notice for notice in notices if notice.pinned]
        assert pinned.pinned_until == today + dt.timedelta(days=7)
        assert index.notices().first() == pinned and pinned.date < max(notice.date for notice in notices)
        [important] = NoticePage.objects.child_of(index).current().important()
        assert timezone.now() + dt.timedelta(days=6) < important.expire_at <= timezone.now() + dt.timedelta(days=7)
        # A week on it is gone from the board and the banner, even before publish_scheduled runs.
        later = timezone.now() + dt.timedelta(days=8)
        assert important not in NoticePage.objects.child_of(index).current(now=later)

        assert any(block.block_type == "table" for notice in notices for block in notice.body)
        texts = [str(block.value) for notice in notices for block in notice.body if block.block_type == "paragraph"]
        assert any(text.find("旗袍") > 10 for text in texts)
    assert not titles["xuhuiyuan"] & titles["wanliu"]


def test_both_home_pages_link_to_their_notices_and_services(client, demo):
    for area in demo.values():
        host = f"{area.site.hostname}:8000"
        chinese = client.get("/", HTTP_HOST=host).content.decode()
        assert 'href="/notices/">通知公告</a>' in chinese and 'href="/services/">办事指南</a>' in chinese
        assert 'href="/en/services/">Services</a>' in client.get("/en/", HTTP_HOST=host).content.decode()


def test_the_qipao_group_reads_in_english_with_the_chinese_pages_sessions(client, demo, xhy):
    qipao = activity(xhy, "qipao-group")
    qipao_en = qipao.get_translation(english())
    assert qipao_en.live and qipao_en.title == "Qipao group" and qipao_en.get_parent().title == "What's on"
    assert not Occurrence.objects.filter(activity=qipao_en).exists()  # only the Chinese page makes sessions
    response = client.get("/en/activities/qipao-group/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Qipao group" in html and "soft-soled shoes" in html and "穿上旗袍" not in html
    upcoming = qipao.sessions().filter(start__gt=timezone.now()).order_by("start").first()
    assert f'id="session-{upcoming.pk}"' in html
    # The other area has no English activities.
    assert not ActivityPage.objects.filter(locale=english()).exclude(pk=qipao_en.pk).exists()


@pytest.mark.parametrize(
    "username, password, area_slug", [("xhy-lead", "xhylead2026", "xuhuiyuan"), ("wl-lead", "wllead2026", "wanliu")]
)
def test_the_area_leads_sign_in_and_approve_their_own_areas_notices(client, demo, username, password, area_slug):
    area = demo[area_slug]
    lead = User.objects.get(username=username)
    assert lead.area == area and lead.get_full_name()
    assert set(lead.groups.all()) == {area.staff_group, area.lead_group}
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})
    # A lead's first sign-in sets up two-step verification before the admin opens.
    assert response.status_code == 302 and client.get(reverse("wagtailadmin_home"))["Location"].startswith(
        reverse("portal_2fa_setup")
    )
    assert client.get(reverse("portal_2fa_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("portal_2fa_setup"), {"otp_token": code, "password": password})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    index = NoticeIndexPage.objects.child_of(area.site.root_page).get()
    assert index.permissions_for_user(lead).can_publish_subpage()
    for staff in area.staff_group.user_set.exclude(pk=lead.pk):
        assert not index.permissions_for_user(staff).can_publish_subpage()
    [other] = [a for a in demo.values() if a != area]
    other_index = NoticeIndexPage.objects.child_of(other.site.root_page).get()
    assert not other_index.permissions_for_user(lead).can_edit()


def test_staff_are_trained_on_most_services_and_a_few_still_need_training(demo):
    _library, guides = chinese_guides()
    today = timezone.localdate()
    for area in demo.values():
        staff = list(StaffMember.objects.filter(area=area))
        rows = ServiceTraining.objects.filter(staff_member__area=area)
        assert set(rows.values_list("service__locale", flat=True)) == {Locale.get_default().pk}
        assert all(today - dt.timedelta(days=365) <= row.trained_on <= today for row in rows)
        trained = {(row.staff_member_id, row.service_id) for row in rows}
        gaps = [(member, guide) for member in staff for guide in guides if (member.pk, guide.pk) not in trained]
        assert 1 <= len(gaps) <= len(guides) // 2
        assert len({member for member, _guide in gaps}) <= 2  # the others are trained on all 15


def test_xuhuiyuan_has_a_quarter_of_records_with_the_bicycle_parking_story(demo, xhy):
    suggestions = Suggestion.objects.filter(area=xhy)
    parking = suggestions.get(text__startswith="5号楼东侧车棚")
    visits = list(parking.visits.order_by("at"))
    check = SpotCheck.objects.get(area=xhy)

    assert 35 <= suggestions.count() <= 45
    assert set(suggestions.values_list("status", flat=True)) == set(Suggestion.Status.values)
    assert (Visit.objects.filter(area=xhy).count(), ReceptionCase.objects.filter(area=xhy).count()) == (150, 200)
    assert len(visits) == 3 and parking.answered_at > visits[-1].at - dt.timedelta(hours=1)
    assert (parking.answered_at - parking.received_at).days < 14 and parking.rating == "satisfied"
    assert check.finished_at and not check.items.filter(verdict="").exists()
    assert QuarterReview.objects.filter(area=xhy, quarter=check.quarter).count() == 1
    assert not Visit.objects.filter(area=Area.objects.get(slug="wanliu")).exists()
