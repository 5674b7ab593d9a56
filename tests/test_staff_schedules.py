"""Staff and their published schedules: rotas expanded into shifts on the right days, editors'
single-day changes kept, weeks published, who is at the reception desk now, the day and week
pages, the poster with its QR code, home visits that never say whose home, and the admin
scoped to each area."""

import datetime as dt
import io
import re

import pytest
import segno
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.buildings import building_number
from portal.localtime import at, monday_of
from portal.models import AreaSettings, Building, Holiday
from staff import plans
from staff.models import (
    Duty,
    DutyRota,
    ScheduleWeek,
    Shift,
    StaffMember,
    StaffSchedulePage,
)
from tests.factories import StaffMemberFactory
from tests.helpers import client_for, refused

T = dt.time.fromisoformat


@pytest.fixture
def area(xhy, wanliu):
    """徐汇苑居民区 (1号楼 to 12号楼, office phone 021-64000001) beside 宛六居民区, neither with
    staff members yet; each area's staff group has the staff rights portal/roles.py grants."""
    AreaSettings.objects.filter(site=xhy.site).update(office_phone="021-64000001")
    return xhy


@pytest.fixture
def schedule_page(area):
    home = area.site.root_page
    page = StaffSchedulePage(title="工作人员值班安排", slug="staff-schedule")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def base(schedule_page):
    """The schedule page's address on its site (a path)."""
    return schedule_page.get_url_parts()[2]


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


def staff(area, name, role="社工", phone="021-64000011", order=0, rotas=(), **fields):
    member = StaffMemberFactory(area=area, name=name, role=role, work_phone=phone, sort_order=order, **fields)
    for rota in rotas:
        DutyRota.objects.create(staff=member, **{"first_date": dt.date(2020, 1, 6), "skip_holidays": False, **rota})
    return member


def rota(duty, weekdays, start, end, **fields):
    return {"duty": duty, "weekdays": list(weekdays), "start_time": T(start), "end_time": T(end), **fields}


def buildings(area, first, last=None):
    """Home visits to buildings `first` to `last` of the area's list (徐汇苑's are 1号楼 to 12号楼)."""
    by_number = {building_number(building.name): building for building in Building.objects.of_area(area)}
    return {"building_from": by_number[first], "building_to": by_number[last] if last else None}


def monday():
    return monday_of(timezone.localdate())


def local(value):
    return timezone.localtime(value)


def shifts_of(member):
    return list(Shift.objects.filter(staff=member).order_by("start"))


def text_of(response):
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# Expanding rotas


def test_rotas_become_shifts_on_their_weekdays_and_times_for_last_week_to_eight_weeks_ahead(area):
    wednesday = monday() + dt.timedelta(days=2)
    taiji = staff(area, "周敏", rotas=[rota(Duty.PATROL, [1, 3], "07:00", "08:30", place="1–12号楼")])

    plans.regenerate(area, today=wednesday)

    shifts = shifts_of(taiji)
    assert len(shifts) == 10 * 2  # last week, this week and eight more, Tuesdays and Thursdays
    for shift in shifts:
        shift.refresh_from_db()
        # 07:00 in Shanghai is 23:00 UTC the day before: the shift stays on its own weekday.
        assert local(shift.start).weekday() in (1, 3)
        assert (local(shift.start).time(), local(shift.end).time()) == (T("07:00"), T("08:30"))
        assert shift.week.monday == monday_of(local(shift.start).date())
        assert shift.place == "1–12号楼" and not shift.edited
    assert local(shifts[0].start).date() == monday() - dt.timedelta(days=6)
    assert local(shifts[-1].start).date() == monday() + dt.timedelta(weeks=8, days=3)
    assert sorted(ScheduleWeek.objects.filter(area=area).values_list("monday", flat=True)) == [
        monday() + dt.timedelta(weeks=n) for n in range(-1, 9)
    ]


def test_a_rota_ends_on_its_last_date_inclusive_and_an_evening_shift_that_day_is_kept(area):
    last = monday() + dt.timedelta(days=10)  # next week's Thursday
    member = staff(area, "李娜", rotas=[rota(Duty.MEETING, [3], "19:00", "20:30", last_date=last, place="多功能室")])
    plans.regenerate(area)
    assert local(shifts_of(member)[-1].start) == at(last, T("19:00"))


def test_public_holidays_are_skipped_by_rotas_that_say_so(area):
    holiday = monday() + dt.timedelta(days=9)  # next week's Wednesday
    Holiday.objects.update_or_create(date=holiday, defaults={"name": "测试节", "kind": Holiday.Kind.DAY_OFF})
    skipping = staff(area, "王强", rotas=[rota(Duty.PATROL, range(5), "09:00", "11:00", skip_holidays=True)])
    working = staff(area, "赵丽", rotas=[rota(Duty.RECEPTION, range(5), "09:00", "11:00", desk=1)])

    plans.regenerate(area)

    assert holiday not in {local(shift.start).date() for shift in shifts_of(skipping)}
    assert holiday + dt.timedelta(days=1) in {local(shift.start).date() for shift in shifts_of(skipping)}
    assert holiday in {local(shift.start).date() for shift in shifts_of(working)}


def test_regenerating_keeps_edited_shifts_and_leaves_unchanged_rows_alone(area):
    member = staff(area, "陈静", rotas=[rota(Duty.RECEPTION, range(7), "08:30", "12:00", desk=1)])
    plans.regenerate(area)
    before = {shift.pk: (shift.start, shift.end) for shift in shifts_of(member)}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    edited = Shift.objects.get(staff=member, start=at(tomorrow, T("08:30")))
    edited.start, edited.end, edited.desk, edited.edited = at(tomorrow, T("10:00")), at(tomorrow, T("12:00")), 2, True
    edited.save()

    result = plans.regenerate(area)

    assert (result.created, result.changed, result.removed) == (0, 0, 0)
    after = shifts_of(member)
    assert {shift.pk for shift in after} == set(before)
    edited.refresh_from_db()
    assert (local(edited.start).time(), edited.desk, edited.edited) == (T("10:00"), 2, True)
    # No second shift from the rota on the edited day.
    assert [shift.pk for shift in after if local(shift.start).date() == tomorrow] == [edited.pk]


def test_a_changed_rota_moves_its_future_shifts_and_a_removed_one_takes_them_away_but_not_the_past(area):
    wednesday = monday() + dt.timedelta(days=2)
    member = staff(
        area,
        "刘洋",
        rotas=[
            rota(Duty.PATROL, range(7), "09:00", "10:00", place="东区"),
            rota(Duty.HOME_VISITS, range(7), "14:00", "16:00", **buildings(area, 1, 12)),
        ],
    )
    patrol, visits = member.rotas.order_by("start_time")
    plans.regenerate(area, today=wednesday)
    patrol_ids = set(Shift.objects.filter(rota=patrol).values_list("pk", flat=True))

    patrol.start_time, patrol.end_time = T("09:30"), T("10:30")
    patrol.save()
    visits.delete()
    result = plans.regenerate(area, today=wednesday)

    assert result.removed > 0 and result.changed > 0
    for shift in shifts_of(member):
        day = local(shift.start).date()
        if shift.duty == Duty.PATROL:
            assert shift.pk in patrol_ids
            assert local(shift.start).time() == (T("09:30") if day >= wednesday else T("09:00"))
        else:  # what is left of the home visits is history: last week's, this Monday's and Tuesday's
            assert day < wednesday and shift.rota_id is None
    assert Shift.objects.filter(staff=member, duty=Duty.HOME_VISITS).count() == 9


def test_a_staff_member_who_leaves_loses_their_future_shifts_except_single_day_changes(area):
    member = staff(area, "孙悦", rotas=[rota(Duty.PATROL, range(7), "09:00", "10:00")])
    plans.regenerate(area)
    kept = Shift.objects.create(
        week=ScheduleWeek.objects.get(area=area, monday=monday() + dt.timedelta(days=7)),
        staff=member,
        duty=Duty.TRAINING,
        start=at(monday() + dt.timedelta(days=8), T("14:00")),
        end=at(monday() + dt.timedelta(days=8), T("16:00")),
        edited=True,
    )
    member.active = False
    member.save()
    plans.regenerate(area)
    future = Shift.objects.filter(staff=member, start__gte=at(timezone.localdate(), T("00:00")))
    assert list(future) == [kept]


# Publishing


def test_a_week_is_public_once_published_and_regenerating_does_not_withdraw_it(area, base, xhy_staff, client):
    staff(area, "何琳", rotas=[rota(Duty.PATROL, range(7), "09:00", "10:30", place="6–10号楼")])
    plans.regenerate(area)
    today = timezone.localdate()

    hidden = client.get(base)
    assert hidden.status_code == 200
    assert "not published" in text_of(hidden) or "还没有公布" in text_of(hidden)
    assert "6–10号楼" not in text_of(hidden)

    week = plans.publish(area, today, xhy_staff)
    assert week.monday == monday() and week.published_by == xhy_staff
    shown = client.get(base)
    assert "09:00–10:30" in text_of(shown) and "6–10号楼" in text_of(shown)

    plans.regenerate(area)
    week.refresh_from_db()
    assert week.published_at is not None
    first_stamp = week.published_at
    assert plans.publish(area, today, xhy_staff).published_at >= first_stamp

    next_week = client.get(f"{base}week/{(monday() + dt.timedelta(days=7)).isoformat()}/")
    assert "6–10号楼" not in text_of(next_week)
    assert "not published" in text_of(next_week) or "还没有公布" in text_of(next_week)


# Who is at the reception desk now


@pytest.fixture
def reception(area, xhy_staff):
    """Desk 1: 钱 08:30–12:00 then 吴 12:00–17:00; desk 2: 郑 09:00–12:00 and on until 13:00; every day."""
    every_day = range(7)
    people = {
        "钱": staff(area, "钱芳", rotas=[rota(Duty.RECEPTION, every_day, "08:30", "12:00", desk=1)]),
        "吴": staff(area, "吴刚", rotas=[rota(Duty.RECEPTION, every_day, "12:00", "17:00", desk=1)]),
        "郑": staff(
            area,
            "郑洁",
            rotas=[
                rota(Duty.RECEPTION, every_day, "09:00", "12:00", desk=2),
                rota(Duty.RECEPTION, every_day, "12:00", "13:00", desk=2),
            ],
        ),
    }
    plans.regenerate(area)
    next_week = monday() + dt.timedelta(days=7)
    plans.publish(area, next_week, xhy_staff)
    return next_week, people


def desk_now(result, number):
    desk = result.desks[number - 1]
    return (desk.shift.staff.name if desk.shift else None, desk.until and local(desk.until).time())


def test_who_is_at_the_reception_desks_at_several_instants(area, reception):
    day, people = reception

    before = plans.on_duty(area, at(day, T("08:00")))
    assert not before.anyone and before.opens_at == at(day, T("08:30"))

    early = plans.on_duty(area, at(day, T("08:45")))
    assert desk_now(early, 1) == ("钱芳", T("12:00"))
    assert desk_now(early, 2) == (None, None)
    assert local(early.desks[1].next_shift.start).time() == T("09:00")

    morning = plans.on_duty(area, at(day, T("09:30")))
    assert desk_now(morning, 1) == ("钱芳", T("12:00"))
    assert desk_now(morning, 2) == ("郑洁", T("13:00"))  # the same person stays on: until 13:00

    handover = plans.on_duty(area, at(day, T("12:00")))
    assert desk_now(handover, 1) == ("吴刚", T("17:00"))
    assert desk_now(handover, 2) == ("郑洁", T("13:00"))

    afternoon = plans.on_duty(area, at(day, T("13:00")))
    assert desk_now(afternoon, 2) == (None, None) and afternoon.desks[1].next_shift is None

    after = plans.on_duty(area, at(day, T("17:00")))
    assert not after.anyone and after.opens_at == at(day + dt.timedelta(days=1), T("08:30"))


def test_nobody_is_on_duty_in_a_week_that_is_not_published(area, reception):
    day, _people = reception
    unpublished = day + dt.timedelta(days=7)
    result = plans.on_duty(area, at(unpublished, T("09:30")))
    assert not result.anyone and result.opens_at is None


def test_a_cancelled_shift_leaves_the_desk_empty(area, reception):
    day, people = reception
    Shift.objects.filter(staff=people["钱"], start=at(day, T("08:30"))).update(cancelled=True, edited=True)
    result = plans.on_duty(area, at(day, T("09:30")))
    assert desk_now(result, 1) == (None, None)
    assert desk_now(result, 2) == ("郑洁", T("13:00"))


# The home page


def around_now(area, member, duty, minutes=30, **fields):
    """A shift of today, entered for the day only, that covers this very minute (published)."""
    now = timezone.now()
    midnight = at(timezone.localdate(), T("00:00"))
    start = max(now - dt.timedelta(minutes=minutes), midnight)
    week, _created = ScheduleWeek.objects.get_or_create(area=area, monday=monday())
    return Shift.objects.create(
        week=week, staff=member, duty=duty, start=start, end=now + dt.timedelta(minutes=minutes), edited=True, **fields
    )


def test_the_home_page_shows_who_is_at_reception_now_and_todays_plan(area, base, xhy_staff, client):
    desk = around_now(area, staff(area, "钱芳", role="居委会主任", order=1), Duty.RECEPTION, desk=1)
    around_now(area, staff(area, "吴刚", order=2), Duty.PATROL, minutes=45, place="13–20号楼")
    staff(area, "不在班", order=3)
    plans.publish(area, monday(), xhy_staff)

    page = client.get("/")
    assert page.status_code == 200
    text = text_of(page)
    assert re.search(rf"钱芳 (until|值班至) {local(desk.end):%H:%M}", text)
    assert "13–20号楼" in text and "吴刚" in text
    assert "不在班" not in text  # nothing planned today: not in today's plan
    assert f'href="{base}"' in page.content.decode()
    assert "021-64000001" in text  # the office phone line stays


def test_the_home_page_says_when_reception_opens_when_nobody_is_there(area, xhy_staff, client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    member = staff(area, "钱芳")
    week, _created = ScheduleWeek.objects.get_or_create(area=area, monday=monday_of(tomorrow))
    Shift.objects.create(
        week=week,
        staff=member,
        duty=Duty.RECEPTION,
        desk=1,
        start=at(tomorrow, T("08:30")),
        end=at(tomorrow, T("12:00")),
        edited=True,
    )
    plans.publish(area, tomorrow, xhy_staff)
    text = text_of(client.get("/"))
    assert ("明天 08:30" in text) or ("tomorrow at 08:30" in text)


def test_home_visits_say_the_part_of_the_area_never_whose_home(area, base, xhy_staff, client):
    member = staff(area, "林娟", rotas=[rota(Duty.HOME_VISITS, range(7), "14:00", "16:00", **buildings(area, 1, 12))])
    plans.regenerate(area)
    today = timezone.localdate()
    visit = around_now(area, member, Duty.HOME_VISITS, note="看望王秀英 5号楼301室", **buildings(area, 1, 12))
    Shift.objects.filter(staff=member, start=at(today, T("14:00"))).update(note="李桂兰家 3号楼402室", edited=True)
    plans.publish(area, today, xhy_staff)
    plans.publish(area, local(visit.start).date(), xhy_staff)

    for url in (
        "/",
        base,
        f"{base}week/{today.isoformat()}/",
        f"{base}poster/{today.isoformat()}/",
        f"{base}poster/week/{today.isoformat()}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "1–12号楼" in html, url
        for secret in ("王秀英", "李桂兰", "301室", "402室"):
            assert secret not in html, (url, secret)


# The schedule page: day, week, poster


@pytest.fixture
def published_plan(area, xhy_staff):
    staff(
        area,
        "钱芳",
        role="居委会主任",
        phone="021-64000011",
        order=1,
        rotas=[
            rota(Duty.RECEPTION, range(7), "08:30", "12:00", desk=1),
            rota(Duty.PATROL, range(7), "13:30", "15:00", place="13–20号楼"),
        ],
    )
    staff(area, "吴刚", role="社工", phone="021-64000012", order=2, rotas=[rota(Duty.TRAINING, [2], "09:00", "11:00")])
    plans.regenerate(area)
    for n in range(2):
        plans.publish(area, monday() + dt.timedelta(weeks=n), xhy_staff)


def test_the_day_view_lists_each_staff_member_with_their_plan_and_links_around(area, base, published_plan, client):
    wednesday = monday() + dt.timedelta(days=2)
    url = f"{base}{wednesday.isoformat()}/"
    response = client.get(url)
    assert response.status_code == 200
    html, text = response.content.decode(), text_of(response)
    assert text.index("钱芳") < text.index("08:30–12:00") < text.index("13:30–15:00") < text.index("吴刚")
    assert "居委会主任" in text and "09:00–11:00" in text
    assert 'href="tel:02164000011"' in html
    previous, following = wednesday - dt.timedelta(days=1), wednesday + dt.timedelta(days=1)
    assert f'href="{base}{previous.isoformat()}/"' in html
    assert f'href="{base}{following.isoformat()}/"' in html
    assert f'href="{base}week/{monday().isoformat()}/"' in html

    thursday = client.get(f"{base}{following.isoformat()}/")
    assert "09:00–11:00" not in text_of(thursday)  # training is on Wednesdays only


def test_the_week_view_is_a_table_of_staff_by_day(area, base, published_plan, client):
    wednesday = monday() + dt.timedelta(days=2)
    response = client.get(f"{base}week/{wednesday.isoformat()}/")
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r"<table class=\"staff-week\">.*?</table>", html, re.DOTALL).group(0)
    assert "<caption>" in table
    assert len(re.findall(r'<th scope="col"', table)) == 8  # the staff column and seven days
    assert len(re.findall(r'<th scope="row"', table)) == 2
    for n in range(7):  # each day has its own page
        assert f'href="{base}{(monday() + dt.timedelta(days=n)).isoformat()}/"' in html
    assert table.count("08:30–12:00") == 7 and table.count("09:00–11:00") == 1
    assert f'href="{base}week/{(monday() + dt.timedelta(days=7)).isoformat()}/"' in html


@pytest.mark.parametrize(
    "address", ["2026-02-30/", "week/2026-13-01/", "poster/2026-02-30/", "poster/week/2025-02-29/"]
)
def test_dates_that_do_not_exist_are_not_found(area, base, client, address):
    assert client.get(f"{base}{address}").status_code == 404


def qr_path(url):
    """The drawing of a QR code of url, made here independently of the page."""
    svg = segno.make(url, error="m").svg_inline(border=2, omitsize=True)
    return re.search(r' d="([^"]+)"', svg).group(1)


@pytest.mark.parametrize("week", [False, True])
def test_the_poster_is_a4_with_the_area_phone_and_a_qr_code_of_the_live_page(area, base, published_plan, client, week):
    wednesday = monday() + dt.timedelta(days=2)
    if week:
        address, live = f"poster/week/{wednesday.isoformat()}/", f"week/{monday().isoformat()}/"
    else:
        address, live = f"poster/{wednesday.isoformat()}/", f"{wednesday.isoformat()}/"
    response = client.get(f"{base}{address}")
    assert response.status_code == 200
    html = response.content.decode()
    live_url = f"http://localhost{base}{live}"
    svg = re.search(r'<svg role="img"[^>]*class="qr".*?</svg>', html, re.DOTALL).group(0)
    assert qr_path(live_url) in svg and qr_path(live_url + "x") not in svg
    assert live_url in html
    assert "poster.css" in html and "http" not in re.sub(r"https?://(localhost|beian\.miit\.gov\.cn)", "", svg)
    text = text_of(response)
    assert "徐汇苑" in text and "021-64000001" in text and "钱芳" in text and "08:30–12:00" in text


def test_poster_css_prints_on_a4(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/poster.css"), encoding="utf-8").read()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)


# Query budgets


def staff_photo():
    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images import get_image_model

    data = io.BytesIO()
    Picture.new("RGB", (240, 240), "#a4161a").save(data, "PNG")
    return get_image_model().objects.create(title="工作照", file=ImageFile(data, name="staff.png"))


def many_staff(area, first, last, photo):
    for n in range(first, last):
        staff(
            area,
            f"员工{n:02d}",
            order=n,
            photo=photo,
            rotas=[
                rota(Duty.RECEPTION, range(7), "08:30", "12:00", desk=1 + n % 2),
                rota(Duty.PATROL, range(7), "13:00", "14:00", place=f"{n}号楼"),
                rota(Duty.HOME_VISITS, range(7), "14:30", "16:00", **buildings(area, n % 12 + 1)),
            ],
        )


def test_schedule_pages_and_the_home_page_keep_a_fixed_number_of_queries(area, base, xhy_staff, client):
    photo = staff_photo()
    today = timezone.localdate().isoformat()
    budgets = {
        "/": 34,
        base: 22,
        f"{base}week/{today}/": 22,
        f"{base}poster/{today}/": 22,
        f"{base}poster/week/{today}/": 22,
    }
    counts = {}
    for first, last in ((0, 3), (3, 16)):
        many_staff(area, first, last, photo)
        plans.regenerate(area)
        plans.publish(area, monday(), xhy_staff)
        for url in budgets:
            client.get(url)  # the first view makes the photos' renditions
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            assert f"员工{last - 1:02d}" in response.content.decode(), url
            counts.setdefault(url, []).append(len(queries))
    for url, (few, many) in counts.items():
        assert many == few <= budgets[url], (url, few, many)


# The admin


def staff_form(name, area_rotas=(), **extra):
    rotas = [dict(each) for each in area_rotas]
    weekdays = [each.pop("weekdays") for each in rotas]
    data = nested_form_data(
        {
            "name": name,
            "role": "社工",
            "work_phone": "021-64000099",
            "sort_order": 5,
            "active": "on",
            "name_en": "",
            "role_en": "",
            "rotas": inline_formset(rotas),
            **extra,
        }
    )
    for n, days in enumerate(weekdays):  # a multiple choice is one name with several values
        data[f"rotas-{n}-weekdays"] = days
    return data


def rota_form(duty, weekdays, start, end, **fields):
    return {
        "duty": duty,
        "desk": fields.pop("desk", ""),
        "place": fields.pop("place", ""),
        "building_from": fields.pop("building_from", ""),
        "building_to": fields.pop("building_to", ""),
        "frequency": "weekly",
        "interval": 1,
        "weekdays": [str(day) for day in weekdays],
        "nth": "",
        "first_date": "2024-01-01",
        "last_date": "",
        "count": "",
        "start_time": start,
        "end_time": end,
        "skip_holidays": "",
        **fields,
    }


def test_staff_add_a_staff_member_with_rotas_to_their_own_area_and_the_plan_follows(area, wanliu, xhy_staff):
    client = client_for(xhy_staff)
    assert client.get(reverse("staff_members:add")).status_code == 200
    response = client.post(
        reverse("staff_members:add"),
        staff_form("冯丹", [rota_form("reception", [0, 2], "08:30", "12:00", desk=1)]),
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(name="冯丹")
    assert member.area == area
    assert {local(shift.start).weekday() for shift in shifts_of(member)} == {0, 2}


@pytest.mark.parametrize("place", ["5号楼301室", "5幢 301", "5-301"])
def test_no_rota_names_a_home(area, place, xhy_staff):
    client = client_for(xhy_staff)
    for duty in ("home_visits", "patrol"):
        response = client.post(
            reverse("staff_members:add"),
            staff_form("冯丹", [rota_form(duty, [1], "14:00", "16:00", place=place, **as_posted(buildings(area, 5)))]),
        )
        assert response.status_code == 200, duty
        assert not StaffMember.objects.filter(name="冯丹").exists()
        if duty == "patrol":
            assert "1–12号楼" in response.content.decode()


def as_posted(fields):
    return {name: building.pk if building else "" for name, building in fields.items()}


def test_home_visits_are_published_by_the_areas_buildings_only(area, base, xhy_staff, client, wanliu):
    staff_client = client_for(xhy_staff)
    theirs = Building.objects.of_area(wanliu).first()
    refused_form = staff_client.post(
        reverse("staff_members:add"),
        staff_form("冯丹", [rota_form("home_visits", [0, 1, 2, 3, 4, 5, 6], "14:00", "16:00")]),
    )
    assert "入户走访按楼栋公布：请选择楼栋。" in refused_form.content.decode()
    other_area = staff_client.post(
        reverse("staff_members:add"),
        staff_form("冯丹", [rota_form("home_visits", range(7), "14:00", "16:00", building_from=theirs.pk)]),
    )
    assert other_area.status_code == 200 and not StaffMember.objects.filter(name="冯丹").exists()

    done = staff_client.post(
        reverse("staff_members:add"),
        staff_form("冯丹", [rota_form("home_visits", range(7), "14:00", "16:00", **as_posted(buildings(area, 1, 4)))]),
    )
    assert done.status_code == 302
    plans.publish(area, monday(), xhy_staff)
    week = client.get(f"{base}week/{timezone.localdate().isoformat()}/").content.decode()
    assert "1–4号楼" in week


@pytest.fixture
def both_areas(area, wanliu):
    ours = staff(area, "钱芳", rotas=[rota(Duty.RECEPTION, range(7), "08:30", "12:00", desk=1)])
    theirs = staff(wanliu, "宛六的人", rotas=[rota(Duty.PATROL, range(7), "09:00", "10:00", place="宛六一号楼")])
    plans.regenerate(area)
    plans.regenerate(wanliu)
    return ours, theirs


def test_area_staff_reach_only_their_own_staff_and_shifts(area, wanliu, both_areas, xhy_staff):
    ours, theirs = both_areas
    client = client_for(xhy_staff)
    listing = client.get(reverse("staff_members:index"))
    assert "钱芳" in listing.content.decode() and "宛六的人" not in listing.content.decode()
    assert refused(client.get(reverse("staff_members:edit", args=[theirs.pk])))
    assert refused(client.post(reverse("staff_members:edit", args=[theirs.pk]), staff_form("改名")))
    assert refused(client.get(reverse("staff_members:inspect", args=[theirs.pk])))
    theirs.refresh_from_db()
    assert theirs.name == "宛六的人"

    week = client.get(reverse("staff_week:index"))
    assert week.status_code == 200
    assert "钱芳" in week.content.decode() and "宛六的人" not in week.content.decode()
    assert client.get(reverse("staff_week:index"), {"area": wanliu.pk}).status_code == 404
    their_shift = Shift.objects.filter(staff=theirs).first()
    assert client.get(reverse("staff_week:edit_shift", args=[their_shift.pk])).status_code == 404
    assert client.post(reverse("staff_week:cancel_shift", args=[their_shift.pk])).status_code == 404
    assert client.post(reverse("staff_week:publish"), {"area": wanliu.pk}).status_code == 404
    their_shift.refresh_from_db()
    assert not their_shift.cancelled
    assert not ScheduleWeek.objects.filter(area=wanliu, published_at__isnull=False).exists()


def test_supervisors_read_every_area_and_change_nothing(area, wanliu, both_areas, supervisor):
    ours, theirs = both_areas
    client = client_for(supervisor)
    listing = client.get(reverse("staff_members:index")).content.decode()
    assert "钱芳" in listing and "宛六的人" in listing
    assert client.get(reverse("staff_members:inspect", args=[theirs.pk])).status_code == 200
    assert refused(client.get(reverse("staff_members:edit", args=[theirs.pk])))
    week = client.get(reverse("staff_week:index"), {"area": wanliu.pk})
    assert week.status_code == 200 and "宛六的人" in week.content.decode()
    assert (
        "staff_week/publish" not in week.content.decode() and reverse("staff_week:publish") not in week.content.decode()
    )
    assert refused(client.post(reverse("staff_week:publish"), {"area": wanliu.pk}))
    assert not ScheduleWeek.objects.filter(published_at__isnull=False).exists()


def test_editors_change_one_day_publish_the_week_and_regenerating_keeps_the_change(area, both_areas, xhy_staff):
    ours, _theirs = both_areas
    client = client_for(xhy_staff)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shift = Shift.objects.get(staff=ours, start=at(tomorrow, T("08:30")))

    week = client.get(reverse("staff_week:index"), {"week": tomorrow.isoformat()})
    html = week.content.decode()
    assert reverse("staff_week:edit_shift", args=[shift.pk]) in html
    assert "not published" in html.lower() or "未公布" in html

    form = client.get(reverse("staff_week:edit_shift", args=[shift.pk]))
    assert form.status_code == 200
    bad = client.post(
        reverse("staff_week:edit_shift", args=[shift.pk]),
        {"starts": "12:00", "ends": "10:00", "duty": "reception", "desk": "1", "place": "", "note": ""},
    )
    assert bad.status_code == 400
    done = client.post(
        reverse("staff_week:edit_shift", args=[shift.pk]),
        {
            "area": area.pk,
            "starts": "09:00",
            "ends": "12:00",
            "duty": "reception",
            "desk": "2",
            "place": "",
            "note": "替班",
        },
    )
    assert done.status_code == 302
    shift.refresh_from_db()
    assert (local(shift.start).time(), shift.desk, shift.edited) == (T("09:00"), 2, True)

    regenerate = client.post(reverse("staff_week:regenerate"), {"area": area.pk, "week": tomorrow.isoformat()})
    assert regenerate.status_code == 302
    shift.refresh_from_db()
    assert (local(shift.start).time(), shift.desk) == (T("09:00"), 2)

    publish = client.post(reverse("staff_week:publish"), {"area": area.pk, "week": tomorrow.isoformat()})
    assert publish.status_code == 302
    published = ScheduleWeek.objects.get(area=area, monday=monday_of(tomorrow))
    assert published.published_at is not None and published.published_by.username == "xhy-staff"
    again = client.get(reverse("staff_week:index"), {"week": tomorrow.isoformat()}).content.decode()
    assert timezone.localtime(published.published_at).strftime("%Y-%m-%d %H:%M") in again

    cancel = client.post(reverse("staff_week:cancel_shift", args=[shift.pk]))
    assert cancel.status_code == 302
    shift.refresh_from_db()
    assert shift.cancelled
    assert plans.day_plan(area, tomorrow).rows[0].shifts == []

    add = client.post(
        reverse("staff_week:add_shift"),
        {
            "area": area.pk,
            "staff": ours.pk,
            "date": tomorrow.isoformat(),
            "starts": "15:00",
            "ends": "16:00",
            "duty": "meeting",
            "desk": "",
            "place": "多功能室",
            "note": "",
        },
    )
    assert add.status_code == 302
    added = Shift.objects.get(staff=ours, duty=Duty.MEETING)
    assert added.edited and added.rota_id is None and local(added.start) == at(tomorrow, T("15:00"))


def test_editors_are_warned_that_next_week_is_not_published(area, both_areas, xhy_staff):
    client = client_for(xhy_staff)
    next_monday = monday() + dt.timedelta(days=7)
    warning = f'href="{reverse("staff_week:index")}?area={area.pk}&amp;week={next_monday.isoformat()}"'
    assert warning in client.get(reverse("staff_week:index")).content.decode()
    assert warning in client.get(reverse("staff_members:index")).content.decode()
    assert warning in client.get(reverse("wagtailadmin_home")).content.decode()
    plans.publish(area, next_monday, xhy_staff)
    assert warning not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_first_and_last_days_of_the_calendar_are_404_not_500(client, base):
    assert client.get(base).status_code == 200  # the schedule page is there: the 404s are the dates'
    for day in ("9999-12-31", "0001-01-01"):
        assert client.get(f"{base}{day}/", HTTP_HOST="localhost").status_code == 404
