"""The demo's activities: the shared categories, each area's activity index and its classes and
groups with their schedules and the changes to their next sessions, and one activity in
English (the staff schedule page is staff/demo.py's).

The classes' times keep clear of the demo bookings (booking/demo.py) and leave residents plenty
to book: the piano room's mornings, early afternoons and Tuesdays, and the reading and
counseling rooms, have no classes. The bookings are made after the classes, so they would step
aside if they ever met.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.rich_text import RichText

from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    ActivityPhoto,
    ActivitySchedule,
    SessionChange,
)
from booking.models import Room
from portal.demo import child_page, picture, template, translation
from portal.drawing import activity_scene
from portal.models import Area, Holiday


@dataclass(frozen=True)
class Category:
    """An activity category, shared by every area."""

    slug: str
    name: str
    name_en: str


CATEGORIES = [
    Category("culture", "文体", "Culture and sport"),
    Category("health", "健康", "Health"),
    Category("education", "教育", "Education"),
    Category("learning", "学习", "Learning"),
    Category("services", "便民", "Everyday services"),
]

ACTIVITY_INDEX = {
    "title": "活动安排",
    "slug": "activities",
    "intro": (
        "本周和本月在居委会活动室举办的班级、讲座和兴趣小组。"
        "大部分活动直接到场即可参加，需要报名的请在活动页面报名或到接待台登记。"
    ),
}


@dataclass(frozen=True)
class Schedule:
    """An activity's repeating sessions: on these weekdays (0 is Monday) from `start` until
    `end`, every `interval` weeks, or monthly on the `nth` such weekday; from six weeks ago,
    skipping holidays."""

    weekdays: list[int]
    start: str
    end: str
    interval: int = 1
    nth: int | None = None

    @property
    def frequency(self):
        return ActivitySchedule.Frequency.MONTHLY if self.nth else ActivitySchedule.Frequency.WEEKLY


@dataclass(frozen=True)
class Change:
    """Cancel or move (by `shift` days) the first session on `weekday` after today, for this
    reason shown to residents."""

    action: SessionChange.Action
    weekday: int
    note: str
    shift: int = 0


@dataclass(frozen=True)
class Activity:
    """An activity page of an area. `picture` is the kind of scene portal.drawing draws for it;
    `photos` are the captions of its gallery's drawings."""

    slug: str
    title: str
    category: str  # a Category's slug
    picture: str
    summary: str
    body: list
    organiser: str
    contact_phone: str
    how_to_join: str
    schedules: list[Schedule]
    room: str | None = None  # the room's slug
    place: str = ""  # where, when not in a room
    capacity: int | None = None
    signup_required: bool = False
    changes: list[Change] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)


def paragraph(html):
    return ("paragraph", RichText(html))


def callout(title, html):
    return ("callout", {"title": title, "text": RichText(html)})


ACTIVITIES = {
    "xuhuiyuan": [
        Activity(
            slug="qipao-group",
            title="旗袍班",
            category="culture",
            room="piano-room",
            picture="qipao",
            summary="穿上旗袍练身姿、学台步。每周一、周四下午在钢琴活动室排练，欢迎阿姨们加入。",
            body=[
                ("heading", {"text": "我们在做什么"}),
                paragraph(
                    "<p>徐汇苑旗袍班成立于2019年，现在有二十多位队员，大多是小区里的退休阿姨。"
                    "每次排练先做二十分钟形体热身，再练台步、转身和团扇、油纸伞的配合，最后跟着钢琴合排整套节目。</p>"
                    "<p>这一季我们在排《茉莉花》和《夜上海》，准备在社区文化节和重阳节敬老活动上演出。</p>"
                ),
                callout(
                    "第一次来请注意",
                    "<p>请穿软底鞋，带上水杯。没有旗袍可以先穿便装，队里有几件备用旗袍可以借穿。</p>",
                ),
            ],
            organiser="旗袍队 沈老师",
            contact_phone="021-64000105",
            how_to_join="直接到钢琴活动室找沈老师，或到一楼接待台登记。不用预约，欢迎先来旁听一次。",
            schedules=[Schedule([0, 3], "16:30", "18:00")],
            changes=[
                Change(
                    SessionChange.Action.MOVE,
                    weekday=3,
                    shift=1,
                    note="钢琴调音、活动室维修，本周四的排练改到周五同一时间",
                )
            ],
            photos=["旗袍班在社区文化节上表演（示意图）"],
        ),
        Activity(
            slug="pet-care-talk",
            title="宠物知识普及",
            category="learning",
            room="multi-function-room",
            picture="pets",
            summary="每月第二个周六上午，宠物医生讲科学养宠、文明养犬和防疫知识。需报名，每场30人。",
            body=[
                ("heading", {"text": "讲什么"}),
                paragraph(
                    "<p>每月请附近宠物医院的医生来讲一个主题：犬只登记和狂犬疫苗，夏季防暑和驱虫，"
                    "老年猫狗的照护，文明遛狗和及时清理粪便。讲完留半小时答疑，可以带上宠物的免疫证来咨询。</p>"
                ),
                callout(
                    "请不要带宠物进场",
                    "<p>多功能室是大家共用的地方，讲座时请把宠物留在家里。需要医生看一看的，讲座后到楼下小广场个别指导。</p>",
                ),
            ],
            organiser="徐汇苑居委会、枫林宠物医院志愿者",
            contact_phone="021-64000103",
            how_to_join="在本页选择场次报名，每场限30人；不会上网的可以到一楼接待台请工作人员代为报名。",
            capacity=30,
            signup_required=True,
            schedules=[Schedule([5], "09:30", "11:00", nth=2)],
        ),
        Activity(
            slug="education-consulting",
            title="教育咨询",
            category="education",
            room="multi-function-room",
            picture="education",
            summary="每周三晚上，退休教师志愿者为家长解答孩子学习、升学和亲子沟通的问题。",
            body=[
                paragraph(
                    "<p>来坐诊的是小区里几位退休的中小学老师。幼升小、小升初怎么准备，孩子写作业拖拉、"
                    "上课走神怎么办，怎样和青春期的孩子好好说话——都可以来问。老师和家长一对一交谈，内容保密。</p>"
                ),
                callout("来之前", "<p>可以带上孩子的作业本或成绩单，方便老师具体分析。</p>"),
            ],
            organiser="关心下一代工作小组 退休教师志愿者",
            contact_phone="021-64000104",
            how_to_join="直接到场，先到先谈，每位家长约20分钟。",
            schedules=[Schedule([2], "18:30", "20:00")],
        ),
        Activity(
            slug="morning-tai-chi",
            title="太极拳晨练",
            category="health",
            room="multi-function-room",
            picture="taichi",
            summary="每周二、周四早上7点，跟着老师打二十四式太极拳，零基础也能学。",
            body=[
                paragraph(
                    "<p>由区武术协会的老师带练，从站桩和基本步法学起，循序渐进学二十四式简化太极拳。"
                    "一小时练完正好回家吃早饭。</p>"
                ),
                callout("安全提示", "<p>有高血压、心脏病的居民请量力而行，身体不舒服随时停下来休息。</p>"),
            ],
            organiser="太极拳队 俞师傅",
            contact_phone="021-64000106",
            how_to_join="直接到二楼多功能室（有电梯），穿宽松的衣服和平底鞋。",
            schedules=[Schedule([1, 3], "07:00", "08:00")],
            changes=[Change(SessionChange.Action.CANCEL, weekday=1, note="老师外出培训，本次暂停")],
        ),
        Activity(
            slug="reading-club",
            title="读书会",
            category="learning",
            room="multi-function-room",
            picture="books",
            summary="每两周的周五晚上，邻居们一起读一本书、聊一本书。",
            body=[
                paragraph(
                    "<p>读书会由居民自发组织，每两周见面一次，每次聊一本书的几个章节，也欢迎带来自己喜欢的书推荐给大家。"
                    "本期共读金宇澄的《繁花》，大字版可以在阅览室借阅。</p>"
                ),
            ],
            organiser="居民读书会 召集人 孙老师",
            contact_phone="021-64000104",
            how_to_join="直接到场，不用报名。想推荐书目的可以在接待台留言。",
            schedules=[Schedule([4], "19:00", "20:30", interval=2)],
        ),
        Activity(
            slug="services-day",
            title="便民服务日",
            category="services",
            place="5号楼前小广场",
            picture="services",
            summary="每月第三个周日上午，在5号楼前小广场免费理发、磨刀、修伞、量血压。",
            body=[
                paragraph(
                    "<p>街道志愿服务队和周边商户一起摆摊：理发，磨剪刀菜刀，修雨伞，小家电维修，量血压、测血糖。"
                    "服务都免费，需要换零件的按成本收费。</p>"
                ),
                callout("下雨怎么办", "<p>遇雨顺延一周，会在本页和宣传栏通知。</p>"),
            ],
            organiser="枫林路街道志愿服务队",
            contact_phone="021-64000001",
            how_to_join="直接到场，到服务台取号排队。",
            schedules=[Schedule([6], "09:00", "11:00", nth=3)],
        ),
    ],
    "wanliu": [
        Activity(
            slug="calligraphy-class",
            title="书法班",
            category="culture",
            room="multi-function-room",
            picture="calligraphy",
            summary="每周一上午，书法老师教楷书和行书，笔墨纸砚活动室都有。",
            body=[
                paragraph(
                    "<p>从握笔和基本笔画练起，先临颜真卿《多宝塔碑》，再学行书。每学期末在宛六小区宣传栏办一次作品展。</p>"
                ),
            ],
            organiser="宛六书法班 蒋老师",
            contact_phone="021-64000205",
            how_to_join="直接到场；想长期参加的请到接待台登记，方便准备纸墨。",
            schedules=[Schedule([0], "09:00", "11:00")],
        ),
        Activity(
            slug="health-talk",
            title="健康讲座",
            category="health",
            room="multi-function-room",
            picture="health",
            summary="每月第一个周五下午，社区卫生服务中心的医生讲常见病预防和用药安全。需报名，每场25人。",
            body=[
                paragraph(
                    "<p>主题每月不同：高血压和糖尿病的日常管理，秋冬季预防流感，老年人防跌倒，家庭药箱怎么整理。"
                    "讲座后医生免费量血压。</p>"
                ),
            ],
            organiser="枫林社区卫生服务中心",
            contact_phone="021-64000202",
            how_to_join="在本页报名，每场限25人；也可以到接待台登记。",
            capacity=25,
            signup_required=True,
            schedules=[Schedule([4], "14:00", "15:30", nth=1)],
        ),
    ],
}

# The English versions of one area's activity index and one of its activities. The English page
# shows its Chinese original's sessions (ActivityPage.source_page).
ENGLISH_AREA = "xuhuiyuan"
ENGLISH_ACTIVITY = "qipao-group"
ACTIVITY_INDEX_EN = {
    "title": "What's on",
    "intro": (
        "Classes, talks and groups in the committee's rooms this week and this month. For most of them you "
        "just turn up; where you need to sign up, do it on the activity's page or at the reception desk."
    ),
}
QIPAO_EN = {
    "title": "Qipao group",
    "summary": (
        "Wear a qipao, work on your posture and learn the catwalk. Rehearsals every Monday and Thursday "
        "afternoon in the piano activity room; new members are welcome."
    ),
    "body": [
        ("heading", {"text": "What we do"}),
        paragraph(
            "<p>The Xuhuiyuan qipao group started in 2019 and has over twenty members, most of them retired "
            "neighbours. Each rehearsal starts with twenty minutes of warm-up, then catwalk steps, turns and "
            "work with fans and oil-paper umbrellas, and ends with a full run-through to the piano.</p>"
            "<p>This season we are rehearsing “Jasmine Flower” and “Shanghai Nights” for the community "
            "culture festival and the Double Ninth celebration for older residents.</p>"
        ),
        callout(
            "Coming for the first time",
            "<p>Wear soft-soled shoes and bring a water bottle. No qipao yet? Come in everyday clothes: the "
            "group has a few spare ones to lend.</p>",
        ),
    ],
    "organiser": "Ms Shen, qipao group",
    "how_to_join": (
        "Come to the piano activity room and ask for Ms Shen, or sign up at the ground-floor reception desk. "
        "No booking needed: you are welcome to watch a rehearsal first."
    ),
}
QIPAO_PHOTO_CAPTIONS_EN = ["The qipao group performing at the community culture festival (illustration)"]


def build_categories():
    """The shared activity categories, by slug."""
    categories = {}
    for order, spec in enumerate(CATEGORIES):
        categories[spec.slug], _created = ActivityCategory.objects.get_or_create(
            slug=spec.slug, defaults={"name": spec.name, "name_en": spec.name_en, "sort_order": order}
        )
    return categories


def build_activity_index(area, zh):
    """The area's activity index (活动安排), in its menu."""
    return child_page(area.site.root_page, ActivityIndexPage, ACTIVITY_INDEX, zh)


def build_activities(area, categories, zh, weeks_back=6):
    """The area's activity pages, under its activity index, repeating from `weeks_back` weeks
    ago. Publishing an activity page makes its sessions (activities.signals), holding its room's
    time, over the sessions' window (activities.sessions)."""
    index = build_activity_index(area, zh)
    rooms = {room.slug: room for room in Room.objects.filter(area=area)}
    today = timezone.localdate()
    first_date = today - dt.timedelta(days=today.weekday(), weeks=weeks_back)  # a Monday
    days_off = Holiday.days_off(today, today + dt.timedelta(days=90))
    existing = set(ActivityPage.objects.child_of(index).values_list("slug", flat=True))
    for spec in ACTIVITIES[template(area.slug)]:
        if spec.slug in existing:
            continue
        page = ActivityPage(
            title=spec.title,
            slug=spec.slug,
            locale=zh,
            summary=spec.summary,
            body=spec.body,
            category=categories[spec.category],
            image=picture(area, f"{spec.title}（示意图）", activity_scene(spec.picture, area.slug)),
            organiser=spec.organiser,
            contact_phone=spec.contact_phone,
            room=rooms.get(spec.room),
            place=spec.place,
            capacity=spec.capacity,
            signup_required=spec.signup_required,
            how_to_join=spec.how_to_join,
        )
        page.schedules = [
            ActivitySchedule(
                frequency=schedule.frequency,
                interval=schedule.interval,
                nth=schedule.nth,
                weekdays=list(schedule.weekdays),
                first_date=first_date,
                start_time=dt.time.fromisoformat(schedule.start),
                end_time=dt.time.fromisoformat(schedule.end),
                skip_holidays=True,
            )
            for schedule in spec.schedules
        ]
        page.session_changes = [session_change(change, today, days_off) for change in spec.changes]
        page.photos = [
            ActivityPhoto(image=picture(area, caption, activity_scene(spec.picture, caption)), caption=caption)
            for caption in spec.photos
        ]
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


def session_change(change, today, days_off):
    """Cancel or move the first session on a weekday after today (skipping weeks where that
    day, or the day it moves to, is a day off)."""
    day = today + dt.timedelta(days=(change.weekday - today.weekday() - 1) % 7 + 1)
    moved_to = day + dt.timedelta(days=change.shift)
    while day in days_off or moved_to in days_off:
        day += dt.timedelta(weeks=1)
        moved_to += dt.timedelta(weeks=1)
    if change.action == SessionChange.Action.MOVE:
        return SessionChange(date=day, action=change.action, note=change.note, new_date=moved_to)
    return SessionChange(date=day, action=change.action, note=change.note)


def translate_activity(en):
    """The English activity index of one area and the English version of one of its activities."""
    area = Area.objects.get(slug=ENGLISH_AREA)
    index = ActivityIndexPage.objects.child_of(area.site.root_page).get()
    page = ActivityPage.objects.child_of(index).get(slug=ENGLISH_ACTIVITY)
    translation(index, en, ACTIVITY_INDEX_EN)
    photos = [
        ActivityPhoto(image=photo.image, caption=caption)
        for photo, caption in zip(page.photos.all(), QIPAO_PHOTO_CAPTIONS_EN, strict=True)
    ]
    translation(page, en, {**QIPAO_EN, "photos": photos})
