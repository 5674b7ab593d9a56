"""The demo's staff: each area's members with their photos, who sits at the reception desks
when, the weekend turns, each member's own repeating duties, and the staff schedule page; a
published plan for this week and next is generated from them (staff.plans).

Reception: for Monday to Friday, who sits at desk 1 and desk 2 in the morning and in the
afternoon; weekends are taken in turn, every other week. Everything else each member does is
listed with them, every week unless monthly (on the nth such weekday). A home visit's place is
a part of the area, never whose home (docs/architecture.md, personal data).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from portal.buildings import building_number, run_numbers
from portal.demo import child_page, picture, template
from portal.drawing import portrait
from portal.localtime import monday_of
from portal.models import Building
from staff import plans
from staff.models import Duty, DutyRota, ScheduleWeek, StaffMember, StaffSchedulePage

STAFF_SCHEDULE = {
    "title": "值班安排",
    "slug": "staff-schedule",
    "intro": (
        "工作人员每天在哪里：谁在接待台值班，谁在小区巡查、入户走访。"
        "排班表每周公布，可以按天、按周查看，也可以打印张贴。"
    ),
}


@dataclass(frozen=True)
class Hours:
    """From `start` until `end`, in the area's time ("08:30")."""

    start: str
    end: str


MORNING = Hours("08:30", "11:30")
AFTERNOON = Hours("13:30", "17:00")


@dataclass(frozen=True)
class Rota:
    """One repeating duty of a member: on these weekdays (0 is Monday), at these hours. Every
    week, unless `nth` (monthly, on the nth such weekday) or `alternate` (every other week).
    It repeats from the week four weeks ago, or `weeks_later` weeks after that (an alternate
    rota's odd weeks). `desk` is the reception desk, 1 or 2."""

    weekdays: list[int]
    duty: Duty
    place: str  # for home visits, a run of buildings ("1–4号楼"), published by building
    hours: Hours
    nth: int | None = None
    alternate: bool = False
    weeks_later: int = 0
    desk: int | None = None


@dataclass(frozen=True)
class Member:
    """A staff member (by `key` in the area's rotas) and their own duties."""

    key: str
    name: str
    name_en: str
    role: str
    role_en: str
    work_phone: str
    duties: list[Rota]

    def fields(self):
        """The StaffMember's fields this record sets."""
        return {
            "name": self.name,
            "name_en": self.name_en,
            "role": self.role,
            "role_en": self.role_en,
            "work_phone": self.work_phone,
        }


@dataclass(frozen=True)
class ReceptionDay:
    """Who (by member key) sits at each reception desk on a weekday: desk 1 and desk 2 in the
    morning, desk 1 and desk 2 in the afternoon."""

    weekday: int
    morning_1: str
    morning_2: str
    afternoon_1: str
    afternoon_2: str

    def sittings(self):
        """(member key, desk, Hours) for each sitting of the day, the morning's first."""
        return [
            (self.morning_1, 1, MORNING),
            (self.morning_2, 2, MORNING),
            (self.afternoon_1, 1, AFTERNOON),
            (self.afternoon_2, 2, AFTERNOON),
        ]


@dataclass(frozen=True)
class WeekendDesk:
    """A weekend reception desk, taken in turn: one member on even weeks, another on odd weeks
    (counted from four weeks ago)."""

    weekday: int
    desk: int
    hours: Hours
    even_weeks: str
    odd_weeks: str


@dataclass(frozen=True)
class AreaStaff:
    """An area's staff members and who is at its reception desks when."""

    reception: list[ReceptionDay]
    weekends: list[WeekendDesk]
    members: list[Member]

    def rotas(self):
        """(member key, Rota) for every rota of the area: the reception desks first (one rota per
        person, desk and time of day, over the weekdays they sit there), then the weekend
        turns, then each member's own duties."""
        desks = {}
        for day in self.reception:
            for key, desk, hours in day.sittings():
                desks.setdefault((key, desk, hours), []).append(day.weekday)
        for (key, desk, hours), weekdays in desks.items():
            yield key, Rota(weekdays, Duty.RECEPTION, "", hours, desk=desk)
        for turn in self.weekends:
            for weeks_later, key in enumerate((turn.even_weeks, turn.odd_weeks)):
                yield (
                    key,
                    Rota(
                        [turn.weekday],
                        Duty.RECEPTION,
                        "",
                        turn.hours,
                        alternate=True,
                        weeks_later=weeks_later,
                        desk=turn.desk,
                    ),
                )
        for member in self.members:
            for rota in member.duties:
                yield member.key, rota


STAFF = {
    "xuhuiyuan": AreaStaff(
        reception=[
            ReceptionDay(0, morning_1="gu", morning_2="chen", afternoon_1="zhang", afternoon_2="li"),
            ReceptionDay(1, morning_1="wang", morning_2="zhao", afternoon_1="chen", afternoon_2="gu"),
            ReceptionDay(2, morning_1="zhang", morning_2="li", afternoon_1="wang", afternoon_2="zhao"),
            ReceptionDay(3, morning_1="chen", morning_2="gu", afternoon_1="li", afternoon_2="zhang"),
            ReceptionDay(4, morning_1="zhao", morning_2="wang", afternoon_1="gu", afternoon_2="chen"),
        ],
        weekends=[
            WeekendDesk(5, desk=1, hours=MORNING, even_weeks="zhang", odd_weeks="li"),
            WeekendDesk(5, desk=1, hours=AFTERNOON, even_weeks="zhang", odd_weeks="li"),
            WeekendDesk(6, desk=1, hours=Hours("09:00", "12:00"), even_weeks="wang", odd_weeks="zhao"),
        ],
        members=[
            Member(
                key="gu",
                name="顾文静",
                name_en="Gu Wenjing",
                role="党总支书记、居委会主任",
                role_en="Party branch secretary and committee director",
                work_phone="021-64000101",
                duties=[
                    Rota([0], Duty.MEETING, "5号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.HOME_VISITS, "1–4号楼", Hours("14:30", "17:00")),
                    Rota([1], Duty.HOME_VISITS, "5–8号楼", MORNING),
                    Rota([2], Duty.MEETING, "枫林路街道办事处", MORNING),
                    Rota([2], Duty.PATROL, "1–12号楼", AFTERNOON),
                    Rota([3], Duty.HOME_VISITS, "9–12号楼", AFTERNOON),
                    Rota([4], Duty.OFFICE, "5号楼一层共享工位", MORNING),
                ],
            ),
            Member(
                key="chen",
                name="陈立平",
                name_en="Chen Liping",
                role="居委会副主任",
                role_en="Deputy director",
                work_phone="021-64000102",
                duties=[
                    Rota([0], Duty.MEETING, "5号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.PATROL, "7–12号楼", Hours("14:30", "17:00")),
                    Rota([1], Duty.HOME_VISITS, "9–12号楼", MORNING),
                    Rota([2], Duty.PATROL, "1–6号楼", MORNING),
                    Rota([2], Duty.OFFICE, "5号楼一层共享工位", AFTERNOON),
                    Rota([3], Duty.HOME_VISITS, "1–4号楼", AFTERNOON),
                    Rota([4], Duty.MEETING, "5号楼一层共享办公区", MORNING),
                ],
            ),
            Member(
                key="zhang",
                name="张晓燕",
                name_en="Zhang Xiaoyan",
                role="社工",
                role_en="Social worker",
                work_phone="021-64000103",
                duties=[
                    Rota([0], Duty.HOME_VISITS, "1–4号楼", MORNING),
                    Rota([1], Duty.OFFICE, "5号楼一层共享工位", MORNING),
                    Rota([1], Duty.HOME_VISITS, "5–8号楼", AFTERNOON),
                    Rota([2], Duty.TRAINING, "枫林路街道社区党群服务中心", Hours("14:00", "16:30"), nth=2),
                    Rota([3], Duty.PATROL, "1–6号楼", MORNING),
                    Rota([4], Duty.HOME_VISITS, "9–12号楼", MORNING),
                    Rota([4], Duty.PATROL, "7–12号楼", AFTERNOON),
                ],
            ),
            Member(
                key="li",
                name="李建华",
                name_en="Li Jianhua",
                role="社工",
                role_en="Social worker",
                work_phone="021-64000104",
                duties=[
                    Rota([0], Duty.PATROL, "7–12号楼", MORNING),
                    Rota([1], Duty.HOME_VISITS, "1–4号楼", MORNING),
                    Rota([1], Duty.OFFICE, "5号楼一层共享工位", AFTERNOON),
                    Rota([2], Duty.TRAINING, "枫林路街道社区党群服务中心", Hours("14:00", "16:30"), nth=2),
                    Rota([3], Duty.HOME_VISITS, "5–8号楼", MORNING),
                    Rota([4], Duty.OFFICE, "5号楼一层共享工位", MORNING),
                    Rota([4], Duty.HOME_VISITS, "9–12号楼", AFTERNOON),
                ],
            ),
            Member(
                key="wang",
                name="王敏",
                name_en="Wang Min",
                role="居委会委员（文教）",
                role_en="Committee member for culture and education",
                work_phone="021-64000105",
                duties=[
                    Rota([0, 3], Duty.OFFICE, "5号楼一层共享工位", MORNING),
                    Rota([0], Duty.MEETING, "5号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.PATROL, "1–6号楼", Hours("14:30", "17:00")),
                    Rota([1], Duty.HOME_VISITS, "7–12号楼", AFTERNOON),
                    Rota([2], Duty.HOME_VISITS, "1–4号楼", MORNING),
                    Rota([3], Duty.PATROL, "1–6号楼", AFTERNOON),
                    Rota([4], Duty.HOME_VISITS, "5–8号楼", AFTERNOON),
                    Rota([5], Duty.ACTIVITY, "多功能室（宠物知识普及）", Hours("09:30", "11:00"), nth=2),
                ],
            ),
            Member(
                key="zhao",
                name="赵国强",
                name_en="Zhao Guoqiang",
                role="居委会委员（治保）",
                role_en="Committee member for safety",
                work_phone="021-64000106",
                duties=[
                    Rota([0], Duty.PATROL, "1–12号楼（消防通道）", MORNING),
                    Rota([0], Duty.MEETING, "5号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.OFFICE, "5号楼一层共享工位", Hours("14:30", "17:00")),
                    Rota([1, 4], Duty.PATROL, "1–12号楼", AFTERNOON),
                    Rota([2], Duty.HOME_VISITS, "9–12号楼", MORNING),
                    Rota([3], Duty.PATROL, "1–12号楼（消防通道）", MORNING),
                    Rota([3], Duty.OFFICE, "5号楼一层共享工位", AFTERNOON),
                ],
            ),
        ],
    ),
    "wanliu": AreaStaff(
        reception=[
            ReceptionDay(0, morning_1="shen", morning_2="zhou", afternoon_1="qian", afternoon_2="sun"),
            ReceptionDay(1, morning_1="wu", morning_2="qian", afternoon_1="zhou", afternoon_2="shen"),
            ReceptionDay(2, morning_1="sun", morning_2="wu", afternoon_1="shen", afternoon_2="qian"),
            ReceptionDay(3, morning_1="zhou", morning_2="sun", afternoon_1="wu", afternoon_2="shen"),
            ReceptionDay(4, morning_1="qian", morning_2="wu", afternoon_1="zhou", afternoon_2="sun"),
        ],
        weekends=[
            WeekendDesk(5, desk=1, hours=Hours("09:00", "12:00"), even_weeks="qian", odd_weeks="sun"),
            WeekendDesk(5, desk=1, hours=Hours("13:00", "16:00"), even_weeks="qian", odd_weeks="sun"),
        ],
        members=[
            Member(
                key="shen",
                name="沈立新",
                name_en="Shen Lixin",
                role="党总支书记、居委会主任",
                role_en="Party branch secretary and committee director",
                work_phone="021-64000201",
                duties=[
                    Rota([0], Duty.MEETING, "20号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.HOME_VISITS, "1–10号楼", Hours("14:30", "17:00")),
                    Rota([1], Duty.MEETING, "枫林路街道办事处", MORNING),
                    Rota([2], Duty.HOME_VISITS, "11–20号楼", MORNING),
                    Rota([3], Duty.PATROL, "1–30号楼", MORNING),
                    Rota([4], Duty.OFFICE, "20号楼一层共享工位", MORNING),
                    Rota([4], Duty.HOME_VISITS, "21–30号楼", AFTERNOON),
                ],
            ),
            Member(
                key="zhou",
                name="周海燕",
                name_en="Zhou Haiyan",
                role="居委会副主任",
                role_en="Deputy director",
                work_phone="021-64000202",
                duties=[
                    Rota([0], Duty.MEETING, "20号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.PATROL, "21–30号楼", Hours("14:30", "17:00")),
                    Rota([1], Duty.HOME_VISITS, "1–10号楼", MORNING),
                    Rota([2], Duty.PATROL, "11–20号楼", MORNING),
                    Rota([2], Duty.OFFICE, "20号楼一层共享工位", AFTERNOON),
                    Rota([3], Duty.HOME_VISITS, "11–20号楼", AFTERNOON),
                    Rota([4], Duty.OFFICE, "20号楼一层共享工位", MORNING),
                ],
            ),
            Member(
                key="qian",
                name="钱晓东",
                name_en="Qian Xiaodong",
                role="社工",
                role_en="Social worker",
                work_phone="021-64000203",
                duties=[
                    Rota([0], Duty.HOME_VISITS, "21–30号楼", MORNING),
                    Rota([1], Duty.PATROL, "1–10号楼", AFTERNOON),
                    Rota([2], Duty.OFFICE, "20号楼一层共享工位", MORNING),
                    Rota([3], Duty.HOME_VISITS, "1–10号楼", MORNING),
                    Rota([3], Duty.PATROL, "11–20号楼", AFTERNOON),
                    Rota([4], Duty.HOME_VISITS, "11–20号楼", AFTERNOON),
                ],
            ),
            Member(
                key="sun",
                name="孙佳怡",
                name_en="Sun Jiayi",
                role="社工",
                role_en="Social worker",
                work_phone="021-64000204",
                duties=[
                    Rota([0], Duty.PATROL, "11–20号楼", MORNING),
                    Rota([1], Duty.OFFICE, "20号楼一层共享工位", MORNING),
                    Rota([1], Duty.HOME_VISITS, "21–30号楼", AFTERNOON),
                    Rota([2], Duty.TRAINING, "枫林路街道社区党群服务中心", Hours("14:00", "16:30"), nth=2),
                    Rota([3], Duty.HOME_VISITS, "1–10号楼", AFTERNOON),
                    Rota([4], Duty.PATROL, "21–30号楼", MORNING),
                ],
            ),
            Member(
                key="wu",
                name="吴建平",
                name_en="Wu Jianping",
                role="居委会委员（治保）",
                role_en="Committee member for safety",
                work_phone="021-64000205",
                duties=[
                    Rota([0], Duty.PATROL, "1–30号楼", MORNING),
                    Rota([0], Duty.MEETING, "20号楼一层共享办公区", Hours("13:30", "14:30")),
                    Rota([0], Duty.OFFICE, "20号楼一层共享工位", Hours("14:30", "17:00")),
                    Rota([1], Duty.HOME_VISITS, "11–20号楼", AFTERNOON),
                    Rota([2], Duty.PATROL, "21–30号楼", AFTERNOON),
                    Rota([3], Duty.HOME_VISITS, "21–30号楼", MORNING),
                    Rota([4], Duty.PATROL, "1–30号楼", AFTERNOON),
                ],
            ),
        ],
    ),
}


def build_schedule_page(area, zh):
    """The area's staff schedule page (where to find the staff), in its menu."""
    return child_page(area.site.root_page, StaffSchedulePage, STAFF_SCHEDULE, zh)


def build_staff(area, editor):
    """Five or six staff with a week of repeating duties; this week's and next week's plan
    generated and published by `editor`."""
    if not StaffMember.objects.filter(area=area).exists():
        spec = STAFF[template(area.slug)]
        today = timezone.localdate()
        anchor = today - dt.timedelta(days=today.weekday(), weeks=4)  # a Monday four weeks ago
        by_number = {building_number(building.name): building for building in Building.objects.of_area(area)}
        rotas = {member.key: [] for member in spec.members}
        for key, rota in spec.rotas():
            rotas[key].append(duty_rota(rota, anchor, by_number))
        for order, member in enumerate(spec.members):
            staff = StaffMember(
                area=area,
                sort_order=order,
                photo=picture(area, f"{member.name}（示意头像）", portrait(f"{area.slug}-{member.key}")),
                **member.fields(),
            )
            staff.rotas = rotas[member.key]
            staff.full_clean()
            staff.save()

    plans.regenerate(area)
    this_week = monday_of(timezone.localdate())
    for monday in (this_week, this_week + dt.timedelta(weeks=1)):
        if not ScheduleWeek.objects.filter(area=area, monday=monday, published_at__isnull=False).exists():
            plans.publish(area, monday, editor)


def duty_rota(rota, anchor, by_number):
    """The DutyRota of a Rota, repeating from the anchor's week. by_number: the area's
    buildings by number."""
    place, visited = rota.place, {}
    if rota.duty == Duty.HOME_VISITS:  # published by building, never by free text
        first, last = run_numbers(place)
        visited = {"building_from": by_number[first], "building_to": by_number[last]}
        place = ""
    if rota.alternate:
        repeat = {"interval": 2}
    elif rota.nth:
        repeat = {"frequency": DutyRota.Frequency.MONTHLY, "nth": rota.nth}
    else:
        repeat = {}
    return DutyRota(
        duty=rota.duty,
        desk=rota.desk,
        place=place,
        weekdays=list(rota.weekdays),
        first_date=anchor + dt.timedelta(weeks=rota.weeks_later),
        start_time=dt.time.fromisoformat(rota.hours.start),
        end_time=dt.time.fromisoformat(rota.hours.end),
        skip_holidays=True,
        **visited,
        **repeat,
    )
