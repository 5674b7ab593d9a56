"""The demo's rooms and the demo residents' bookings (portal/demo.py has the plumbing and the
residents; home/management/commands/seed_demo.py builds everything in order)."""

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from booking import rules
from booking.models import OpeningHours, Reservation, Room
from portal.demo import picture, template
from portal.drawing import room_scene
from portal.models import Holiday

WEEKDAYS = range(7)
WORKDAYS = range(5)


@dataclass(frozen=True)
class Opening:
    """A room is open on this weekday (0 is Monday) from `opens` until `closes`."""

    weekday: int
    opens: dt.time
    closes: dt.time


def hours(days, *ranges):
    """The Openings on each of these weekdays, over each (opens, closes) range: "08:30", "11:30"."""
    return [
        Opening(day, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes))
        for day in days
        for opens, closes in ranges
    ]


@dataclass(frozen=True)
class DemoRoom:
    """A room of an area, with its opening hours. A booking rule left at None is the room's
    default (booking.models.Room)."""

    slug: str
    name: str
    name_en: str
    description: str
    description_en: str
    location: str
    capacity: int
    equipment: str
    accessibility: str
    opening: list[Opening]
    slot_minutes: int | None = None
    min_minutes: int | None = None
    max_minutes: int | None = None
    buffer_minutes: int | None = None
    max_hours_per_week: int | None = None
    max_active_bookings: int | None = None
    needs_approval: bool | None = None
    hide_bookings: bool | None = None

    def fields(self):
        """The Room's fields this record sets."""
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name != "opening" and getattr(self, field.name) is not None
        }


ROOMS = {
    "xuhuiyuan": [
        DemoRoom(
            slug="piano-room",
            name="钢琴活动室",
            name_en="Piano activity room",
            description="有立式钢琴、整面墙的镜子和音响，适合合唱、舞蹈、旗袍班排练。请穿软底鞋。",
            description_en=(
                "An upright piano, a wall of mirrors and a sound system: for choirs, dance and the qipao group."
            ),
            location="5号楼一层东侧",
            capacity=20,
            equipment="钢琴、镜子、音响",
            accessibility="无台阶，轮椅可进；门口有扶手",
            buffer_minutes=15,
            max_minutes=120,
            opening=hours(WEEKDAYS, ("08:30", "11:30"), ("13:30", "20:30")),
        ),
        DemoRoom(
            slug="reading-room",
            name="阅览室",
            name_en="Reading room",
            description="报刊、图书和大字版读物，安静阅读；可以借书回家。",
            description_en="Newspapers, books and large-print editions; quiet reading, and books to borrow.",
            location="5号楼一层西侧",
            capacity=12,
            equipment="大字版图书、放大镜、台灯",
            accessibility="无台阶，有老花镜和放大镜",
            max_minutes=180,
            max_hours_per_week=8,
            opening=hours(WEEKDAYS, ("08:30", "17:00")),
        ),
        DemoRoom(
            slug="counseling-room",
            name="谈心室",
            name_en="Counseling room",
            description="一对一谈心、邻里调解和心理咨询。预约需工作人员确认，谁预约、谈什么都保密。",
            description_en=(
                "One-to-one talks, mediation and counselling. Bookings are confirmed by staff and kept private."
            ),
            location="5号楼一层接待台旁",
            capacity=4,
            equipment="沙发、茶几、纸巾",
            accessibility="无台阶，隔音",
            min_minutes=60,
            max_minutes=60,
            slot_minutes=30,
            needs_approval=True,
            hide_bookings=True,
            max_active_bookings=1,
            opening=hours(WORKDAYS, ("09:00", "11:30"), ("14:00", "17:00")),
        ),
        DemoRoom(
            slug="multi-function-room",
            name="多功能室",
            name_en="Multi-function room",
            description="讲座、培训、居民议事会和小型聚会。有投影仪和40把折叠椅。",
            description_en=(
                "Talks, training, residents' meetings and small gatherings, with a projector and 40 chairs."
            ),
            location="5号楼二层（有电梯）",
            capacity=40,
            equipment="投影仪、幕布、话筒、折叠椅",
            accessibility="电梯可达，有无障碍卫生间",
            buffer_minutes=30,
            min_minutes=60,
            max_minutes=180,
            opening=hours(WEEKDAYS, ("07:00", "21:00")),
        ),
    ],
    "wanliu": [
        DemoRoom(
            slug="reading-room",
            name="阅览室",
            name_en="Reading room",
            description="报刊和图书，安静阅读。",
            description_en="Newspapers and books for quiet reading.",
            location="20号楼一层",
            capacity=10,
            equipment="图书、报刊",
            accessibility="无台阶",
            opening=hours(WEEKDAYS, ("08:30", "17:00")),
        ),
        DemoRoom(
            slug="counseling-room",
            name="谈心室",
            name_en="Counseling room",
            description="一对一谈心和调解，预约需确认，内容保密。",
            description_en="One-to-one talks and mediation; bookings confirmed by staff, kept private.",
            location="20号楼一层",
            capacity=4,
            equipment="沙发、茶几",
            accessibility="无台阶",
            min_minutes=60,
            max_minutes=60,
            needs_approval=True,
            hide_bookings=True,
            max_active_bookings=1,
            opening=hours(WORKDAYS, ("09:00", "11:30"), ("14:00", "17:00")),
        ),
        DemoRoom(
            slug="multi-function-room",
            name="多功能室",
            name_en="Multi-function room",
            description="讲座、培训和居民议事会。",
            description_en="Talks, training and residents' meetings.",
            location="20号楼一层",
            capacity=30,
            equipment="投影仪、话筒",
            accessibility="无台阶",
            buffer_minutes=30,
            min_minutes=60,
            max_minutes=180,
            opening=hours(WEEKDAYS, ("08:00", "20:00")),
        ),
    ],
}


@dataclass(frozen=True)
class DemoBooking:
    """A demo resident's booking of a room of the first area: `days` from today (or the first
    day after that the room is open), from `start` for `minutes`."""

    room: str  # the room's slug
    days: int
    start: str
    minutes: int
    purpose: str


# For demo residents 1, 2, 3, ... in turn.
BOOKINGS = [
    DemoBooking("piano-room", days=1, start="09:00", minutes=90, purpose="合唱练习"),
    DemoBooking("piano-room", days=2, start="14:00", minutes=120, purpose="广场舞排练"),
    DemoBooking("reading-room", days=1, start="13:30", minutes=120, purpose="老年英语角"),
    DemoBooking("multi-function-room", days=3, start="14:00", minutes=120, purpose="楼组议事会"),
    DemoBooking("counseling-room", days=2, start="09:00", minutes=60, purpose=""),
    DemoBooking("piano-room", days=4, start="19:30", minutes=60, purpose="钢琴练习"),
    DemoBooking("reading-room", days=5, start="09:00", minutes=60, purpose="辅导孩子功课"),
]


def build_rooms(area):
    """The area's rooms, each with a drawn photo and its opening hours."""
    for order, spec in enumerate(ROOMS[template(area.slug)]):
        if Room.objects.filter(area=area, slug=spec.slug).exists():
            continue
        room = Room(area=area, sort_order=order, **spec.fields())
        room.photo = picture(area, f"{area.name}{room.name}（示意图）", room_scene(f"{area.slug}-{room.slug}"))
        room.opening_hours = [
            OpeningHours(weekday=opening.weekday, opens=opening.opens, closes=opening.closes)
            for opening in spec.opening
        ]
        room.full_clean()
        room.save()


def build_bookings(area, residents):
    """The demo residents' bookings, made through the booking rules like any other (after the
    classes, so that they step aside from them)."""
    if Reservation.objects.bookings().for_area(area).exists():
        return
    rooms = {room.slug: room for room in Room.objects.filter(area=area).prefetch_related("opening_hours")}
    today = timezone.localdate()
    for resident, booking in zip(residents, BOOKINGS, strict=False):
        # The first day from `days` on that the room is open (weekends and holidays vary).
        for day in range(booking.days, booking.days + 7):
            begins = timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=day), dt.time.fromisoformat(booking.start))
            )
            try:
                rules.book(
                    room=rooms[booking.room],
                    start=begins,
                    end=begins + dt.timedelta(minutes=booking.minutes),
                    resident=resident,
                    purpose=booking.purpose,
                )
                break
            except rules.BookingRefused:
                continue


def build_many_bookings(area, residents, days_back=365, days_ahead=13, seed=2026):
    """A year of a generated area's bookings, in bulk: about a third of each room's open hours
    on each working day, taken in turn by the residents; past ones completed (one in ten a
    no-show), coming ones confirmed. Drawn from a fixed seed; no two rows of a room hold the
    same time (the class sessions included), as the rules would have it. Built once."""
    if Reservation.objects.bookings().for_area(area).exists():
        return
    chance = random.Random(f"{seed}-{area.slug}")
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=days_back), today + dt.timedelta(days=days_ahead)
    days_off = Holiday.days_off(first, last)
    now = timezone.now()
    rows, turn = [], 0
    for room in Room.objects.filter(area=area).prefetch_related("opening_hours").order_by("sort_order"):
        held = {}  # by day: no row holds a room past midnight
        for span in room.reservations.holding().values_list("held_start", "held_end"):
            held.setdefault(timezone.localdate(span[0]), []).append(span)
        minutes = max(room.min_minutes, 60)
        length = dt.timedelta(minutes=minutes)
        for offset in range((last - first).days + 1):
            day = first + dt.timedelta(days=offset)
            if day in days_off:
                continue
            for hours in (h for h in room.opening_hours.all() if h.weekday == day.weekday()):
                start = timezone.make_aware(dt.datetime.combine(day, hours.opens))
                closes = timezone.make_aware(dt.datetime.combine(day, hours.closes))
                while start + length <= closes:
                    end = start + length
                    span = (start, end + room.buffer)
                    taken = held.setdefault(day, [])
                    if chance.random() < 1 / 3 and not any(s < span[1] and span[0] < e for s, e in taken):
                        taken.append(span)
                        if end > now:
                            status = Reservation.Status.PENDING if room.needs_approval else Reservation.Status.CONFIRMED
                        else:
                            status = chance.choices(
                                [Reservation.Status.COMPLETED, Reservation.Status.NO_SHOW], weights=[9, 1]
                            )[0]
                        rows.append(
                            Reservation(
                                room=room,
                                resident=residents[turn % len(residents)],
                                start=start,
                                end=end,
                                held_start=span[0],
                                held_end=span[1],
                                status=status,
                                checked_in_at=start if status == Reservation.Status.COMPLETED else None,
                            )
                        )
                        turn += 1
                    start = end + room.buffer
    Reservation.objects.bulk_create(rows, batch_size=1000)
