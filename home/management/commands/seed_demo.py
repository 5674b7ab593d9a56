"""Build the demo residents' areas of 枫林路街道: sites, rooms, residents and their bookings,
activities with their sessions, staff with a published plan for this week and next, notice
boards, and the subdistrict's 15 service guides with who has been trained on which.
Idempotent: what exists is left alone.

Everything here is invented: the people, phone numbers and filing numbers.
"""

import contextlib
import datetime as dt
import io

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler as index_on_save
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.rich_text import RichText
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    update_reference_index_on_save,
)

from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    ActivityPhoto,
    ActivitySchedule,
    SessionChange,
)
from booking import rules
from booking.models import OpeningHours, Reservation, Room
from home import demo_notices
from home.drawing import activity_scene, neighbourhood_scene, portrait, room_scene
from home.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from portal.buildings import building_number, run_numbers
from portal.localtime import monday_of
from portal.models import Area, AreaSettings, Building, Holiday, User
from portal.roles import SUPERVISOR_GROUP_NAME
from services import demo_guides
from services.models import (
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceLibraryPage,
    ServiceTraining,
)
from services.roles import ensure_guide_editors
from staff import plans
from staff.models import Duty, DutyRota, ScheduleWeek, StaffMember, StaffSchedulePage

SUBDISTRICT = "枫林路街道"

AREAS = [
    {
        "slug": "xuhuiyuan",
        "name": "徐汇苑居民区",
        "hostname": "localhost",
        "default": True,
        "title_en": "Xuhuiyuan Residents' Committee",
        "buildings": 12,
        "intro": (
            "欢迎来到徐汇苑居民区！居委会的办公室已经变成了居民的活动室，工作人员走出办公室，"
            "走进楼组和家家户户。有事请到一楼接待台，任何一位值班的工作人员都能为您办理15项社区事务。"
        ),
        "intro_en": (
            "Welcome to Xuhuiyuan! Our old offices are now rooms for residents, and our staff spend "
            "their days out in the buildings and at your door. Come to the ground-floor reception desk: "
            "any staff member on duty can handle all 15 community services for you."
        ),
        "picture": "徐汇苑小区的楼房和绿树（示意图）",
        "settings": {
            "address": "上海市徐汇区枫林路街道徐汇苑5号楼一层",
            "address_en": "Ground floor, Building 5, Xuhuiyuan, Fenglin Road Subdistrict, Xuhui District, Shanghai",
            "office_phone": "021-64000001",
            "reception_hours": "周一至周六 8:30–17:00，周日 9:00–12:00",
            "reception_hours_en": "Mon–Sat 08:30–17:00, Sun 09:00–12:00",
            "icp_number": "沪ICP备2026000001号-1",
        },
        "staff": {"username": "xhy-staff", "password": "xuhuiyuan2026", "last_name": "顾", "first_name": "文静"},
        "lead": {"username": "xhy-lead", "password": "xhylead2026", "last_name": "陈", "first_name": "立平"},
    },
    {
        "slug": "wanliu",
        "name": "宛六居民区",
        "hostname": "wanliu.localhost",
        "default": False,
        "title_en": "Wanliu Residents' Committee",
        "buildings": 30,
        "intro": (
            "欢迎来到宛六居民区！阅览室、谈心室和多功能室向居民开放，工作人员每天按公布的计划巡查和走访。"
            "办事、咨询、提建议，请到接待台找任何一位值班的工作人员。"
        ),
        "intro_en": (
            "Welcome to Wanliu! The reading room, the counseling room and the multi-function room are open "
            "to residents, and our staff patrol and visit homes on a published plan. For any service, "
            "question or suggestion, ask whoever is on duty at the reception desk."
        ),
        "picture": "宛六小区的楼房和绿树（示意图）",
        "settings": {
            "address": "上海市徐汇区枫林路街道宛六小区20号楼一层",
            "address_en": "Ground floor, Building 20, Wanliu, Fenglin Road Subdistrict, Xuhui District, Shanghai",
            "office_phone": "021-64000002",
            "reception_hours": "周一至周五 8:30–17:00，周六 9:00–16:00",
            "reception_hours_en": "Mon–Fri 08:30–17:00, Sat 09:00–16:00",
            "icp_number": "沪ICP备2026000001号-2",
        },
        "staff": {"username": "wl-staff", "password": "wanliu2026", "last_name": "沈", "first_name": "立新"},
        "lead": {"username": "wl-lead", "password": "wllead2026", "last_name": "周", "first_name": "海燕"},
    },
]

SUPERVISOR = {"username": "supervisor", "password": "jiedao2026", "last_name": "陆", "first_name": "敏华"}
GUIDE_EDITOR = {"username": "guide-editor", "password": "zhinan2026", "last_name": "吴", "first_name": "晓燕"}
ADMIN = {"username": "admin", "password": "admin2026"}

# Demo residents of the first area: phones 13900000001 to 13900000030, one password.
RESIDENT_PASSWORD = "portal-demo"
RESIDENT_COUNT = 30
RESIDENT_NAMES = "王秀英 李桂兰 张建国 刘玉珍 陈志强 杨淑芬 赵德明 黄美华 周国平 吴丽娟".split()

WEEKDAYS = range(7)
WORKDAYS = range(5)


def hours(days, *ranges):
    return [
        (day, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)) for day in days for opens, closes in ranges
    ]


ROOMS = {
    "xuhuiyuan": [
        {
            "slug": "piano-room",
            "name": "钢琴活动室",
            "name_en": "Piano activity room",
            "description": "有立式钢琴、整面墙的镜子和音响，适合合唱、舞蹈、旗袍班排练。请穿软底鞋。",
            "description_en": (
                "An upright piano, a wall of mirrors and a sound system: for choirs, dance and the qipao group."
            ),
            "location": "5号楼一层东侧",
            "capacity": 20,
            "equipment": "钢琴、镜子、音响",
            "accessibility": "无台阶，轮椅可进；门口有扶手",
            "buffer_minutes": 15,
            "max_minutes": 120,
            "opening": hours(WEEKDAYS, ("08:30", "11:30"), ("13:30", "20:30")),
        },
        {
            "slug": "reading-room",
            "name": "阅览室",
            "name_en": "Reading room",
            "description": "报刊、图书和大字版读物，安静阅读；可以借书回家。",
            "description_en": "Newspapers, books and large-print editions; quiet reading, and books to borrow.",
            "location": "5号楼一层西侧",
            "capacity": 12,
            "equipment": "大字版图书、放大镜、台灯",
            "accessibility": "无台阶，有老花镜和放大镜",
            "max_minutes": 180,
            "max_hours_per_week": 8,
            "opening": hours(WEEKDAYS, ("08:30", "17:00")),
        },
        {
            "slug": "counseling-room",
            "name": "谈心室",
            "name_en": "Counseling room",
            "description": "一对一谈心、邻里调解和心理咨询。预约需工作人员确认，谁预约、谈什么都保密。",
            "description_en": (
                "One-to-one talks, mediation and counselling. Bookings are confirmed by staff and kept private."
            ),
            "location": "5号楼一层接待台旁",
            "capacity": 4,
            "equipment": "沙发、茶几、纸巾",
            "accessibility": "无台阶，隔音",
            "min_minutes": 60,
            "max_minutes": 60,
            "slot_minutes": 30,
            "needs_approval": True,
            "hide_bookings": True,
            "max_active_bookings": 1,
            "opening": hours(WORKDAYS, ("09:00", "11:30"), ("14:00", "17:00")),
        },
        {
            "slug": "multi-function-room",
            "name": "多功能室",
            "name_en": "Multi-function room",
            "description": "讲座、培训、居民议事会和小型聚会。有投影仪和40把折叠椅。",
            "description_en": (
                "Talks, training, residents' meetings and small gatherings, with a projector and 40 chairs."
            ),
            "location": "5号楼二层（有电梯）",
            "capacity": 40,
            "equipment": "投影仪、幕布、话筒、折叠椅",
            "accessibility": "电梯可达，有无障碍卫生间",
            "buffer_minutes": 30,
            "min_minutes": 60,
            "max_minutes": 180,
            "opening": hours(WEEKDAYS, ("07:00", "21:00")),
        },
    ],
    "wanliu": [
        {
            "slug": "reading-room",
            "name": "阅览室",
            "name_en": "Reading room",
            "description": "报刊和图书，安静阅读。",
            "description_en": "Newspapers and books for quiet reading.",
            "location": "20号楼一层",
            "capacity": 10,
            "equipment": "图书、报刊",
            "accessibility": "无台阶",
            "opening": hours(WEEKDAYS, ("08:30", "17:00")),
        },
        {
            "slug": "counseling-room",
            "name": "谈心室",
            "name_en": "Counseling room",
            "description": "一对一谈心和调解，预约需确认，内容保密。",
            "description_en": "One-to-one talks and mediation; bookings confirmed by staff, kept private.",
            "location": "20号楼一层",
            "capacity": 4,
            "equipment": "沙发、茶几",
            "accessibility": "无台阶",
            "min_minutes": 60,
            "max_minutes": 60,
            "needs_approval": True,
            "hide_bookings": True,
            "max_active_bookings": 1,
            "opening": hours(WORKDAYS, ("09:00", "11:30"), ("14:00", "17:00")),
        },
        {
            "slug": "multi-function-room",
            "name": "多功能室",
            "name_en": "Multi-function room",
            "description": "讲座、培训和居民议事会。",
            "description_en": "Talks, training and residents' meetings.",
            "location": "20号楼一层",
            "capacity": 30,
            "equipment": "投影仪、话筒",
            "accessibility": "无台阶",
            "buffer_minutes": 30,
            "min_minutes": 60,
            "max_minutes": 180,
            "opening": hours(WEEKDAYS, ("08:00", "20:00")),
        },
    ],
}

# (room slug, days from today, start, minutes, purpose) for demo residents 1, 2, 3, ...
DEMO_BOOKINGS = [
    ("piano-room", 1, "09:00", 90, "合唱练习"),
    ("piano-room", 2, "14:00", 120, "广场舞排练"),
    ("reading-room", 1, "13:30", 120, "老年英语角"),
    ("multi-function-room", 3, "14:00", 120, "楼组议事会"),
    ("counseling-room", 2, "09:00", 60, ""),
    ("piano-room", 4, "19:30", 60, "钢琴练习"),
    ("reading-room", 5, "09:00", 60, "辅导孩子功课"),
]

HOME_BODY = [
    ("heading", {"text": "我们的新工作方式"}),
    (
        "paragraph",
        RichText(
            "<p>过去居委会有八张办公桌，现在只保留两个共享工位和两个轮流值班的接待台。"
            "腾出来的房间成了居民的钢琴活动室、阅览室、谈心室和多功能室，"
            "旗袍班、宠物知识普及、教育咨询都在这里举办。</p>"
            "<p>工作人员每天按小时排班：有人在接待台值班，有人在小区巡查，有人入户走访。"
            "排班表每周公布，您随时知道该找谁、到哪里找。</p>"
        ),
    ),
    (
        "callout",
        {
            "title": "来办事请带好",
            "text": RichText("<p>本人身份证、户口本；代办的请带上委托书和代办人身份证。</p>"),
        },
    ),
]

HOME_BODY_EN = [
    ("heading", {"text": "How we work now"}),
    (
        "paragraph",
        RichText(
            "<p>The committee used to have eight office desks. Now there are two shared workstations and "
            "two reception desks staffed in rotation. The rooms we freed became a piano activity room, a "
            "reading room, a counseling room and a multi-function room, used by the qipao class, pet-care "
            "talks and education consulting.</p>"
            "<p>Staff plan their day hour by hour: reception duty, patrols and home visits. The plan is "
            "published every week, so you always know whom to ask and where to find them.</p>"
        ),
    ),
    (
        "callout",
        {
            "title": "Please bring",
            "text": RichText(
                "<p>Your ID card and household register; if acting for someone, "
                "their letter of authorisation and your own ID card.</p>"
            ),
        },
    ),
]

ABOUT_BODY = [
    ("heading", {"text": "居委会的公共房间"}),
    (
        "paragraph",
        RichText(
            "<ul>"
            "<li>钢琴活动室：有镜子和钢琴，适合旗袍班排练、合唱和舞蹈。</li>"
            "<li>阅览室：报刊和图书，安静阅读，可以借书。</li>"
            "<li>谈心室：一对一谈心、调解和咨询，预约内容保密。</li>"
            "<li>多功能室：讲座、培训和居民议事会。</li>"
            "</ul>"
        ),
    ),
    ("heading", {"text": "居民议事"}),
    (
        "paragraph",
        RichText(
            "<p>您的意见和建议，我们会尽快答复并公开处理结果。可以在接待台当面提出，也可以告诉巡查中的工作人员。</p>"
        ),
    ),
]

# Activities: shared categories, then each area's classes and groups. Their times keep clear
# of the demo bookings above and leave residents plenty to book: the piano room's mornings,
# early afternoons and Tuesdays, and the reading and counseling rooms, have no classes. The
# bookings are made after the classes, so they would step aside if they ever met.
CATEGORIES = [
    ("culture", "文体", "Culture and sport"),
    ("health", "健康", "Health"),
    ("education", "教育", "Education"),
    ("learning", "学习", "Learning"),
    ("services", "便民", "Everyday services"),
]

ACTIVITY_INDEX = {
    "title": "活动安排",
    "slug": "activities",
    "intro": (
        "本周和本月在居委会活动室举办的班级、讲座和兴趣小组。"
        "大部分活动直接到场即可参加，需要报名的请在活动页面报名或到接待台登记。"
    ),
}
STAFF_SCHEDULE = {
    "title": "值班安排",
    "slug": "staff-schedule",
    "intro": (
        "工作人员每天在哪里：谁在接待台值班，谁在小区巡查、入户走访。"
        "排班表每周公布，可以按天、按周查看，也可以打印张贴。"
    ),
}


def paragraph(html):
    return ("paragraph", RichText(html))


def callout(title, html):
    return ("callout", {"title": title, "text": RichText(html)})


def weekly(weekdays, start, end, **extra):
    return {"weekdays": weekdays, "start": start, "end": end, **extra}


# changes: (action, weekday of the first session after today, days it moves by, reason)
ACTIVITIES = {
    "xuhuiyuan": [
        {
            "slug": "qipao-group",
            "title": "旗袍班",
            "category": "culture",
            "room": "piano-room",
            "picture": "qipao",
            "summary": "穿上旗袍练身姿、学台步。每周一、周四下午在钢琴活动室排练，欢迎阿姨们加入。",
            "body": [
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
            "organiser": "旗袍队 沈老师",
            "contact_phone": "021-64000105",
            "how_to_join": "直接到钢琴活动室找沈老师，或到一楼接待台登记。不用预约，欢迎先来旁听一次。",
            "schedules": [weekly([0, 3], "16:30", "18:00")],
            "changes": [("move", 3, 1, "钢琴调音、活动室维修，本周四的排练改到周五同一时间")],
            "photos": ["旗袍班在社区文化节上表演（示意图）"],
        },
        {
            "slug": "pet-care-talk",
            "title": "宠物知识普及",
            "category": "learning",
            "room": "multi-function-room",
            "picture": "pets",
            "summary": "每月第二个周六上午，宠物医生讲科学养宠、文明养犬和防疫知识。需报名，每场30人。",
            "body": [
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
            "organiser": "徐汇苑居委会、枫林宠物医院志愿者",
            "contact_phone": "021-64000103",
            "how_to_join": "在本页选择场次报名，每场限30人；不会上网的可以到一楼接待台请工作人员代为报名。",
            "capacity": 30,
            "signup_required": True,
            "schedules": [weekly([5], "09:30", "11:00", frequency="monthly", nth=2)],
        },
        {
            "slug": "education-consulting",
            "title": "教育咨询",
            "category": "education",
            "room": "multi-function-room",
            "picture": "education",
            "summary": "每周三晚上，退休教师志愿者为家长解答孩子学习、升学和亲子沟通的问题。",
            "body": [
                paragraph(
                    "<p>来坐诊的是小区里几位退休的中小学老师。幼升小、小升初怎么准备，孩子写作业拖拉、"
                    "上课走神怎么办，怎样和青春期的孩子好好说话——都可以来问。老师和家长一对一交谈，内容保密。</p>"
                ),
                callout("来之前", "<p>可以带上孩子的作业本或成绩单，方便老师具体分析。</p>"),
            ],
            "organiser": "关心下一代工作小组 退休教师志愿者",
            "contact_phone": "021-64000104",
            "how_to_join": "直接到场，先到先谈，每位家长约20分钟。",
            "schedules": [weekly([2], "18:30", "20:00")],
        },
        {
            "slug": "morning-tai-chi",
            "title": "太极拳晨练",
            "category": "health",
            "room": "multi-function-room",
            "picture": "taichi",
            "summary": "每周二、周四早上7点，跟着老师打二十四式太极拳，零基础也能学。",
            "body": [
                paragraph(
                    "<p>由区武术协会的老师带练，从站桩和基本步法学起，循序渐进学二十四式简化太极拳。"
                    "一小时练完正好回家吃早饭。</p>"
                ),
                callout("安全提示", "<p>有高血压、心脏病的居民请量力而行，身体不舒服随时停下来休息。</p>"),
            ],
            "organiser": "太极拳队 俞师傅",
            "contact_phone": "021-64000106",
            "how_to_join": "直接到二楼多功能室（有电梯），穿宽松的衣服和平底鞋。",
            "schedules": [weekly([1, 3], "07:00", "08:00")],
            "changes": [("cancel", 1, 0, "老师外出培训，本次暂停")],
        },
        {
            "slug": "reading-club",
            "title": "读书会",
            "category": "learning",
            "room": "multi-function-room",
            "picture": "books",
            "summary": "每两周的周五晚上，邻居们一起读一本书、聊一本书。",
            "body": [
                paragraph(
                    "<p>读书会由居民自发组织，每两周见面一次，每次聊一本书的几个章节，也欢迎带来自己喜欢的书推荐给大家。"
                    "本期共读金宇澄的《繁花》，大字版可以在阅览室借阅。</p>"
                ),
            ],
            "organiser": "居民读书会 召集人 孙老师",
            "contact_phone": "021-64000104",
            "how_to_join": "直接到场，不用报名。想推荐书目的可以在接待台留言。",
            "schedules": [weekly([4], "19:00", "20:30", interval=2)],
        },
        {
            "slug": "services-day",
            "title": "便民服务日",
            "category": "services",
            "place": "5号楼前小广场",
            "picture": "services",
            "summary": "每月第三个周日上午，在5号楼前小广场免费理发、磨刀、修伞、量血压。",
            "body": [
                paragraph(
                    "<p>街道志愿服务队和周边商户一起摆摊：理发，磨剪刀菜刀，修雨伞，小家电维修，量血压、测血糖。"
                    "服务都免费，需要换零件的按成本收费。</p>"
                ),
                callout("下雨怎么办", "<p>遇雨顺延一周，会在本页和宣传栏通知。</p>"),
            ],
            "organiser": "枫林路街道志愿服务队",
            "contact_phone": "021-64000001",
            "how_to_join": "直接到场，到服务台取号排队。",
            "schedules": [weekly([6], "09:00", "11:00", frequency="monthly", nth=3)],
        },
    ],
    "wanliu": [
        {
            "slug": "calligraphy-class",
            "title": "书法班",
            "category": "culture",
            "room": "multi-function-room",
            "picture": "calligraphy",
            "summary": "每周一上午，书法老师教楷书和行书，笔墨纸砚活动室都有。",
            "body": [
                paragraph(
                    "<p>从握笔和基本笔画练起，先临颜真卿《多宝塔碑》，再学行书。每学期末在宛六小区宣传栏办一次作品展。</p>"
                ),
            ],
            "organiser": "宛六书法班 蒋老师",
            "contact_phone": "021-64000205",
            "how_to_join": "直接到场；想长期参加的请到接待台登记，方便准备纸墨。",
            "schedules": [weekly([0], "09:00", "11:00")],
        },
        {
            "slug": "health-talk",
            "title": "健康讲座",
            "category": "health",
            "room": "multi-function-room",
            "picture": "health",
            "summary": "每月第一个周五下午，社区卫生服务中心的医生讲常见病预防和用药安全。需报名，每场25人。",
            "body": [
                paragraph(
                    "<p>主题每月不同：高血压和糖尿病的日常管理，秋冬季预防流感，老年人防跌倒，家庭药箱怎么整理。"
                    "讲座后医生免费量血压。</p>"
                ),
            ],
            "organiser": "枫林社区卫生服务中心",
            "contact_phone": "021-64000202",
            "how_to_join": "在本页报名，每场限25人；也可以到接待台登记。",
            "capacity": 25,
            "signup_required": True,
            "schedules": [weekly([4], "14:00", "15:30", frequency="monthly", nth=1)],
        },
    ],
}

# The English versions of one area's activity index and one of its activities. The English page
# shows its Chinese original's sessions (ActivityPage.source_page).
ENGLISH_ACTIVITY = ("xuhuiyuan", "qipao-group")
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

# Staff. Reception: for Monday to Friday, who sits at (desk 1 morning, desk 2 morning, desk 1
# afternoon, desk 2 afternoon); weekends are taken in turn, every other week. Everything else
# each member does is listed with them: (weekdays, duty, where, start, end[, repeat]), where
# the repeat is ("monthly", nth) or, by default, every week. A home visit's place is a part
# of the area, never whose home (docs/architecture.md, personal data).
MORNING = ("08:30", "11:30")
AFTERNOON = ("13:30", "17:00")
STAFF = {
    "xuhuiyuan": {
        "reception": {
            0: ("gu", "chen", "zhang", "li"),
            1: ("wang", "zhao", "chen", "gu"),
            2: ("zhang", "li", "wang", "zhao"),
            3: ("chen", "gu", "li", "zhang"),
            4: ("zhao", "wang", "gu", "chen"),
        },
        # (weekday, desk, start, end, who on even weeks, who on odd weeks)
        "weekends": [
            (5, 1, *MORNING, "zhang", "li"),
            (5, 1, *AFTERNOON, "zhang", "li"),
            (6, 1, "09:00", "12:00", "wang", "zhao"),
        ],
        "members": [
            {
                "key": "gu",
                "name": "顾文静",
                "name_en": "Gu Wenjing",
                "role": "党总支书记、居委会主任",
                "role_en": "Party branch secretary and committee director",
                "work_phone": "021-64000101",
                "duties": [
                    ([0], "meeting", "5号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "home_visits", "1–4号楼", "14:30", "17:00"),
                    ([1], "home_visits", "5–8号楼", *MORNING),
                    ([2], "meeting", "枫林路街道办事处", *MORNING),
                    ([2], "patrol", "1–12号楼", *AFTERNOON),
                    ([3], "home_visits", "9–12号楼", *AFTERNOON),
                    ([4], "office", "5号楼一层共享工位", *MORNING),
                ],
            },
            {
                "key": "chen",
                "name": "陈立平",
                "name_en": "Chen Liping",
                "role": "居委会副主任",
                "role_en": "Deputy director",
                "work_phone": "021-64000102",
                "duties": [
                    ([0], "meeting", "5号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "patrol", "7–12号楼", "14:30", "17:00"),
                    ([1], "home_visits", "9–12号楼", *MORNING),
                    ([2], "patrol", "1–6号楼", *MORNING),
                    ([2], "office", "5号楼一层共享工位", *AFTERNOON),
                    ([3], "home_visits", "1–4号楼", *AFTERNOON),
                    ([4], "meeting", "5号楼一层共享办公区", *MORNING),
                ],
            },
            {
                "key": "zhang",
                "name": "张晓燕",
                "name_en": "Zhang Xiaoyan",
                "role": "社工",
                "role_en": "Social worker",
                "work_phone": "021-64000103",
                "duties": [
                    ([0], "home_visits", "1–4号楼", *MORNING),
                    ([1], "office", "5号楼一层共享工位", *MORNING),
                    ([1], "home_visits", "5–8号楼", *AFTERNOON),
                    ([2], "training", "枫林路街道社区党群服务中心", "14:00", "16:30", ("monthly", 2)),
                    ([3], "patrol", "1–6号楼", *MORNING),
                    ([4], "home_visits", "9–12号楼", *MORNING),
                    ([4], "patrol", "7–12号楼", *AFTERNOON),
                ],
            },
            {
                "key": "li",
                "name": "李建华",
                "name_en": "Li Jianhua",
                "role": "社工",
                "role_en": "Social worker",
                "work_phone": "021-64000104",
                "duties": [
                    ([0], "patrol", "7–12号楼", *MORNING),
                    ([1], "home_visits", "1–4号楼", *MORNING),
                    ([1], "office", "5号楼一层共享工位", *AFTERNOON),
                    ([2], "training", "枫林路街道社区党群服务中心", "14:00", "16:30", ("monthly", 2)),
                    ([3], "home_visits", "5–8号楼", *MORNING),
                    ([4], "office", "5号楼一层共享工位", *MORNING),
                    ([4], "home_visits", "9–12号楼", *AFTERNOON),
                ],
            },
            {
                "key": "wang",
                "name": "王敏",
                "name_en": "Wang Min",
                "role": "居委会委员（文教）",
                "role_en": "Committee member for culture and education",
                "work_phone": "021-64000105",
                "duties": [
                    ([0, 3], "office", "5号楼一层共享工位", *MORNING),
                    ([0], "meeting", "5号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "patrol", "1–6号楼", "14:30", "17:00"),
                    ([1], "home_visits", "7–12号楼", *AFTERNOON),
                    ([2], "home_visits", "1–4号楼", *MORNING),
                    ([3], "patrol", "1–6号楼", *AFTERNOON),
                    ([4], "home_visits", "5–8号楼", *AFTERNOON),
                    ([5], "activity", "多功能室（宠物知识普及）", "09:30", "11:00", ("monthly", 2)),
                ],
            },
            {
                "key": "zhao",
                "name": "赵国强",
                "name_en": "Zhao Guoqiang",
                "role": "居委会委员（治保）",
                "role_en": "Committee member for safety",
                "work_phone": "021-64000106",
                "duties": [
                    ([0], "patrol", "1–12号楼（消防通道）", *MORNING),
                    ([0], "meeting", "5号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "office", "5号楼一层共享工位", "14:30", "17:00"),
                    ([1, 4], "patrol", "1–12号楼", *AFTERNOON),
                    ([2], "home_visits", "9–12号楼", *MORNING),
                    ([3], "patrol", "1–12号楼（消防通道）", *MORNING),
                    ([3], "office", "5号楼一层共享工位", *AFTERNOON),
                ],
            },
        ],
    },
    "wanliu": {
        "reception": {
            0: ("shen", "zhou", "qian", "sun"),
            1: ("wu", "qian", "zhou", "shen"),
            2: ("sun", "wu", "shen", "qian"),
            3: ("zhou", "sun", "wu", "shen"),
            4: ("qian", "wu", "zhou", "sun"),
        },
        "weekends": [
            (5, 1, "09:00", "12:00", "qian", "sun"),
            (5, 1, "13:00", "16:00", "qian", "sun"),
        ],
        "members": [
            {
                "key": "shen",
                "name": "沈立新",
                "name_en": "Shen Lixin",
                "role": "党总支书记、居委会主任",
                "role_en": "Party branch secretary and committee director",
                "work_phone": "021-64000201",
                "duties": [
                    ([0], "meeting", "20号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "home_visits", "1–10号楼", "14:30", "17:00"),
                    ([1], "meeting", "枫林路街道办事处", *MORNING),
                    ([2], "home_visits", "11–20号楼", *MORNING),
                    ([3], "patrol", "1–30号楼", *MORNING),
                    ([4], "office", "20号楼一层共享工位", *MORNING),
                    ([4], "home_visits", "21–30号楼", *AFTERNOON),
                ],
            },
            {
                "key": "zhou",
                "name": "周海燕",
                "name_en": "Zhou Haiyan",
                "role": "居委会副主任",
                "role_en": "Deputy director",
                "work_phone": "021-64000202",
                "duties": [
                    ([0], "meeting", "20号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "patrol", "21–30号楼", "14:30", "17:00"),
                    ([1], "home_visits", "1–10号楼", *MORNING),
                    ([2], "patrol", "11–20号楼", *MORNING),
                    ([2], "office", "20号楼一层共享工位", *AFTERNOON),
                    ([3], "home_visits", "11–20号楼", *AFTERNOON),
                    ([4], "office", "20号楼一层共享工位", *MORNING),
                ],
            },
            {
                "key": "qian",
                "name": "钱晓东",
                "name_en": "Qian Xiaodong",
                "role": "社工",
                "role_en": "Social worker",
                "work_phone": "021-64000203",
                "duties": [
                    ([0], "home_visits", "21–30号楼", *MORNING),
                    ([1], "patrol", "1–10号楼", *AFTERNOON),
                    ([2], "office", "20号楼一层共享工位", *MORNING),
                    ([3], "home_visits", "1–10号楼", *MORNING),
                    ([3], "patrol", "11–20号楼", *AFTERNOON),
                    ([4], "home_visits", "11–20号楼", *AFTERNOON),
                ],
            },
            {
                "key": "sun",
                "name": "孙佳怡",
                "name_en": "Sun Jiayi",
                "role": "社工",
                "role_en": "Social worker",
                "work_phone": "021-64000204",
                "duties": [
                    ([0], "patrol", "11–20号楼", *MORNING),
                    ([1], "office", "20号楼一层共享工位", *MORNING),
                    ([1], "home_visits", "21–30号楼", *AFTERNOON),
                    ([2], "training", "枫林路街道社区党群服务中心", "14:00", "16:30", ("monthly", 2)),
                    ([3], "home_visits", "1–10号楼", *AFTERNOON),
                    ([4], "patrol", "21–30号楼", *MORNING),
                ],
            },
            {
                "key": "wu",
                "name": "吴建平",
                "name_en": "Wu Jianping",
                "role": "居委会委员（治保）",
                "role_en": "Committee member for safety",
                "work_phone": "021-64000205",
                "duties": [
                    ([0], "patrol", "1–30号楼", *MORNING),
                    ([0], "meeting", "20号楼一层共享办公区", "13:30", "14:30"),
                    ([0], "office", "20号楼一层共享工位", "14:30", "17:00"),
                    ([1], "home_visits", "11–20号楼", *AFTERNOON),
                    ([2], "patrol", "21–30号楼", *AFTERNOON),
                    ([3], "home_visits", "21–30号楼", *MORNING),
                    ([4], "patrol", "1–30号楼", *AFTERNOON),
                ],
            },
        ],
    },
}


# The 全科 matrix: every staff member is trained on every service but these, so that staff
# see who still needs training (services.ServiceTraining).
TRAINING_GAPS = {
    "xuhuiyuan": {
        "li": ["disability-certificate", "birth-registration", "employment-assistance", "flexible-employment"],
        "wang": ["temporary-assistance"],
    },
    "wanliu": {
        "sun": ["long-term-care-insurance", "serious-illness-outpatient", "medical-assistance"],
        "wu": ["residence-permit"],
    },
}


@contextlib.contextmanager
def indexing_once():
    """Bring the search and reference indexes up to date once for each object saved inside, at
    the end, rather than at every save: making and publishing a page saves it three times, and
    cutting its Chinese text into words is most of what a save costs."""
    searched = {model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)}
    saved = {}  # (model, pk), in the order first saved

    def collect(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender, instance.pk] = None

    for model in searched:
        post_save.disconnect(index_on_save, sender=model)
    post_save.connect(collect, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(collect)
        for model in searched:
            post_save.connect(index_on_save, sender=model)
    for model, pk in saved:
        # Wagtail tracks more models as the admin registers them (snippets): ask at the end.
        referenced = model in ReferenceIndex.tracked_models
        instance = model._default_manager.filter(pk=pk).first() if model in searched or referenced else None
        if instance is None:
            continue
        if model in searched:
            index_on_save(instance)
        if referenced:
            update_reference_index_on_save(instance)


class Command(BaseCommand):
    help = "Load the demo residents' areas of 枫林路街道 (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites are served on.")

    def handle(self, *args, port, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _("Demo data is not allowed with these settings: demo accounts must never reach production.")
            )
        with transaction.atomic(), indexing_once():
            zh = Locale.get_default()
            en, _created = Locale.objects.get_or_create(language_code="en")
            self.remove_wagtail_welcome_page()
            areas = [self.build_area(spec, port, zh, en) for spec in AREAS]
            accounts = self.build_accounts(areas)
            call_command("load_holidays", stdout=io.StringIO())
            for area in areas:
                self.build_rooms(area)
            residents = self.build_residents(areas[0])
            categories = self.build_categories()
            guides = self.build_guides(zh, en)
            pages = {}
            for area in areas:
                activities, staff_schedule = self.build_activities(area, categories, zh)
                pages[area.slug] = {"activities": activities, "staff_schedule": staff_schedule}
            self.translate_activity(*ENGLISH_ACTIVITY, en)
            for area in areas:
                pages[area.slug]["notices"] = self.build_notices(area, zh)
                pages[area.slug]["services"] = self.build_services_page(area, zh, en)
            # After the classes, so that the residents' bookings step aside from them.
            self.build_bookings(areas[0], residents)
            for spec, area in zip(AREAS, areas, strict=True):
                self.build_staff(area, User.objects.get(username=spec["staff"]["username"]))
                self.build_training(area, guides)
        self.report(areas, accounts, port, pages)

    def remove_wagtail_welcome_page(self):
        # Wagtail's first migration creates a placeholder page and site; the areas replace them.
        Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
        # The tree root shows in the admin's breadcrumbs: name it after the subdistrict.
        Page.objects.filter(depth=1).exclude(title=SUBDISTRICT).update(title=SUBDISTRICT, draft_title=SUBDISTRICT)

    def build_area(self, spec, port, zh, en):
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(slug=spec["slug"], locale=zh).first()
        if home is None:
            home = root.add_child(
                instance=HomePage(title=spec["name"], slug=spec["slug"], locale=zh, intro=spec["intro"], body=HOME_BODY)
            )
            home.save_revision().publish()

        site = Site.objects.filter(hostname=spec["hostname"], root_page=home).first() or Site.objects.create(
            hostname=spec["hostname"],
            port=port,
            root_page=home,
            site_name=spec["name"],
            is_default_site=spec["default"],
        )
        if site.port != port:  # `make run PORT=…` on an existing database
            site.port = port
            site.save(update_fields=["port"])
        area = Area.objects.filter(slug=spec["slug"]).first() or Area.objects.create(
            name=spec["name"], slug=spec["slug"], subdistrict=SUBDISTRICT, site=site
        )
        area_settings, _created = AreaSettings.objects.get_or_create(site=site, defaults=spec["settings"])
        if not area_settings.buildings.exists():
            Building.objects.bulk_create(
                Building(settings=area_settings, name=f"{number}号楼", sort_order=number)
                for number in range(1, spec["buildings"] + 1)
            )

        if home.hero_image is None:
            home.hero_image = self.picture(area, spec["picture"], neighbourhood_scene(spec["slug"]))
            home.save_revision().publish()

        if not home.get_children().filter(slug="about").exists():
            about = home.add_child(
                instance=ContentPage(
                    title="关于我们",
                    slug="about",
                    locale=zh,
                    show_in_menus=True,
                    intro=f"{spec['name']}居民委员会：把办公室还给居民，把服务送到家门口。",
                    image=self.picture(area, f"{spec['name']}活动室（示意图）", room_scene(spec["slug"])),
                    body=ABOUT_BODY,
                )
            )
            about.save_revision().publish()

        self.translation(home, en, {"title": spec["title_en"], "intro": spec["intro_en"], "body": HOME_BODY_EN})
        return area

    def picture(self, area, title, data):
        Image = get_image_model()
        image = Image.objects.filter(title=title, collection=area.collection).first()
        if image is None:
            image = Image(title=title, description=title, collection=area.collection)
            image.file = ImageFile(io.BytesIO(data), name=f"{area.slug}-{len(data)}.jpg")
            image.save()
        return image

    def build_accounts(self, areas):
        accounts = []
        for spec, area in zip(AREAS, areas, strict=True):
            user = self.account(spec["staff"], area=area)
            user.groups.add(area.staff_group)
            accounts.append((spec["staff"], _("staff of %(area)s") % {"area": area.name}))
            lead = self.account(spec["lead"], area=area)
            lead.groups.add(area.staff_group, area.lead_group)
            accounts.append((spec["lead"], _("lead of %(area)s (approves notices)") % {"area": area.name}))
        supervisor = self.account(SUPERVISOR)
        supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP_NAME))
        accounts.append((SUPERVISOR, _("subdistrict supervisor (reads every area)")))
        guide_editor = self.account(GUIDE_EDITOR)
        guide_editor.groups.add(ensure_guide_editors())
        accounts.append((GUIDE_EDITOR, _("subdistrict editor of the 15 service guides")))
        self.account(ADMIN, is_superuser=True, is_staff=True)
        accounts.append((ADMIN, _("administrator (creates areas)")))
        return accounts

    def build_rooms(self, area):
        for order, spec in enumerate(ROOMS[area.slug]):
            spec = dict(spec)
            opening = spec.pop("opening")
            if Room.objects.filter(area=area, slug=spec["slug"]).exists():
                continue
            room = Room(area=area, sort_order=order, **spec)
            room.photo = self.picture(area, f"{area.name}{room.name}（示意图）", room_scene(f"{area.slug}-{room.slug}"))
            room.opening_hours = [OpeningHours(weekday=d, opens=o, closes=c) for d, o, c in opening]
            room.full_clean()
            room.save()

    def build_residents(self, area):
        password = make_password(RESIDENT_PASSWORD)  # hashed once for all thirty
        residents = []
        for number in range(1, RESIDENT_COUNT + 1):
            name = RESIDENT_NAMES[(number - 1) % len(RESIDENT_NAMES)]
            resident, _created = User.objects.get_or_create(
                phone=f"+86139000000{number:02d}",
                defaults={
                    "username": f"resident-{number:02d}",
                    "password": password,
                    "last_name": name[0],
                    "first_name": name[1:],
                    "area": area,
                    "phone_verified": True,
                    "building": f"{(number - 1) % 12 + 1}号楼",
                    "room_number": f"{(number - 1) % 6 + 1}0{(number - 1) % 3 + 1}室",
                    "residency_verified_at": timezone.now(),
                    "privacy_consent_version": settings.PRIVACY_NOTICE_VERSION,
                    "privacy_consent_at": timezone.now(),
                },
            )
            residents.append(resident)
        return residents

    def build_bookings(self, area, residents):
        if Reservation.objects.bookings().for_area(area).exists():
            return
        rooms = {room.slug: room for room in Room.objects.filter(area=area).prefetch_related("opening_hours")}
        today = timezone.localdate()
        for resident, (slug, days, start, minutes, purpose) in zip(residents, DEMO_BOOKINGS, strict=False):
            # The first day from `days` on that the room is open (weekends and holidays vary).
            for day in range(days, days + 7):
                begins = timezone.make_aware(
                    dt.datetime.combine(today + dt.timedelta(days=day), dt.time.fromisoformat(start))
                )
                try:
                    rules.book(
                        room=rooms[slug],
                        start=begins,
                        end=begins + dt.timedelta(minutes=minutes),
                        resident=resident,
                        purpose=purpose,
                    )
                    break
                except rules.BookingRefused:
                    continue

    def build_categories(self):
        categories = {}
        for order, (slug, name, name_en) in enumerate(CATEGORIES):
            categories[slug], _created = ActivityCategory.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
            )
        return categories

    def child_page(self, home, model, spec, zh):
        """The area's one page of this type, made and published the first time."""
        page = model.objects.child_of(home).first()
        if page is None:
            page = home.add_child(
                instance=model(
                    title=spec["title"], slug=spec["slug"], locale=zh, show_in_menus=True, intro=spec["intro"]
                )
            )
            page.save_revision().publish()
        return page

    def build_activities(self, area, categories, zh):
        """The area's activity index, staff schedule page and activity pages. Publishing an
        activity page makes its sessions (activities.signals), holding its room's time."""
        home = area.site.root_page
        index = self.child_page(home, ActivityIndexPage, ACTIVITY_INDEX, zh)
        schedule_page = self.child_page(home, StaffSchedulePage, STAFF_SCHEDULE, zh)
        rooms = {room.slug: room for room in Room.objects.filter(area=area)}
        today = timezone.localdate()
        first_date = today - dt.timedelta(days=today.weekday(), weeks=6)  # a Monday six weeks ago
        days_off = Holiday.days_off(today, today + dt.timedelta(days=90))
        existing = set(ActivityPage.objects.child_of(index).values_list("slug", flat=True))
        for spec in ACTIVITIES[area.slug]:
            if spec["slug"] in existing:
                continue
            page = ActivityPage(
                title=spec["title"],
                slug=spec["slug"],
                locale=zh,
                summary=spec["summary"],
                body=spec["body"],
                category=categories[spec["category"]],
                image=self.picture(area, f"{spec['title']}（示意图）", activity_scene(spec["picture"], area.slug)),
                organiser=spec["organiser"],
                contact_phone=spec["contact_phone"],
                room=rooms.get(spec.get("room")),
                place=spec.get("place", ""),
                capacity=spec.get("capacity"),
                signup_required=spec.get("signup_required", False),
                how_to_join=spec["how_to_join"],
            )
            page.schedules = [
                ActivitySchedule(
                    frequency=schedule.get("frequency", ActivitySchedule.Frequency.WEEKLY),
                    interval=schedule.get("interval", 1),
                    nth=schedule.get("nth"),
                    weekdays=schedule["weekdays"],
                    first_date=first_date,
                    start_time=dt.time.fromisoformat(schedule["start"]),
                    end_time=dt.time.fromisoformat(schedule["end"]),
                    skip_holidays=True,
                )
                for schedule in spec["schedules"]
            ]
            page.session_changes = [self.session_change(change, today, days_off) for change in spec.get("changes", ())]
            page.photos = [
                ActivityPhoto(
                    image=self.picture(area, caption, activity_scene(spec["picture"], caption)), caption=caption
                )
                for caption in spec.get("photos", ())
            ]
            index.add_child(instance=page)
            page.save_revision().publish()
        return index, schedule_page

    @staticmethod
    def session_change(change, today, days_off):
        """Cancel or move the first session on a weekday after today (skipping weeks where that
        day, or the day it moves to, is a day off)."""
        action, weekday, shift, note = change
        day = today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        moved_to = day + dt.timedelta(days=shift)
        while day in days_off or moved_to in days_off:
            day += dt.timedelta(weeks=1)
            moved_to += dt.timedelta(weeks=1)
        if action == SessionChange.Action.MOVE:
            return SessionChange(date=day, action=action, note=note, new_date=moved_to)
        return SessionChange(date=day, action=action, note=note)

    @staticmethod
    def translation(page, locale, fields):
        """The page's translation into `locale`, made from a copy with these fields and published
        the first time. The page's parent must have its translation already."""
        translated = page.get_translation_or_none(locale)
        if translated is None:
            translated = page.copy_for_translation(locale)
            for name, value in fields.items():
                setattr(translated, name, value)
            translated.save_revision().publish()
        return translated

    def translate_activity(self, area_slug, slug, en):
        """The English activity index of the area and the English version of one activity."""
        area = Area.objects.get(slug=area_slug)
        index = ActivityIndexPage.objects.child_of(area.site.root_page).get()
        page = ActivityPage.objects.child_of(index).get(slug=slug)
        self.translation(index, en, ACTIVITY_INDEX_EN)
        photos = [
            ActivityPhoto(image=photo.image, caption=caption)
            for photo, caption in zip(page.photos.all(), QIPAO_PHOTO_CAPTIONS_EN, strict=True)
        ]
        self.translation(page, en, {**QIPAO_EN, "photos": photos})

    def build_notices(self, area, zh):
        """The area's notice board and its notices, dated relative to today. Published directly:
        the approval workflow is for people editing in the admin."""
        index = self.child_page(area.site.root_page, NoticeIndexPage, demo_notices.NOTICE_INDEX, zh)
        existing = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
        today = timezone.localdate()
        for spec in demo_notices.notices(area.slug, today):
            if spec["slug"] in existing:
                continue
            important = spec.get("important", False)
            notice = NoticePage(
                title=spec["title"],
                slug=spec["slug"],
                locale=zh,
                date=today + dt.timedelta(days=spec["days"]),
                category=spec["category"],
                summary=spec["summary"],
                body=spec["body"],
                pinned_until=today + dt.timedelta(days=spec["pinned_days"]) if "pinned_days" in spec else None,
                important=important,
                # The banner goes away by itself.
                expire_at=timezone.now() + demo_notices.IMPORTANT_FOR if important else None,
            )
            index.add_child(instance=notice)
            notice.save_revision().publish()
        return index

    def build_services_page(self, area, zh, en):
        """The area's 办事指南 page in Chinese and English: the shared guides with the area's own
        reception hours and phone."""
        services = self.child_page(area.site.root_page, ServiceIndexPage, demo_guides.SERVICES_PAGE, zh)
        self.translation(services, en, demo_guides.SERVICES_PAGE_EN)
        return services

    def build_guides(self, zh, en):
        """The subdistrict's guide library outside every site, its 15 Chinese guides (sample content
        for the editors to check, with no online service link) and two of them in English."""
        library = ServiceLibraryPage.objects.filter(locale=zh).first()
        if library is None:
            library = ServiceLibraryPage(locale=zh, **demo_guides.LIBRARY)
            Page.get_first_root_node().add_child(instance=library)
            library.save_revision().publish()
        existing = {guide.slug: guide for guide in ServiceGuidePage.objects.child_of(library)}
        guides = []
        for spec in demo_guides.GUIDES:
            guide = existing.get(spec["slug"])
            if guide is None:
                guide = ServiceGuidePage(
                    slug=spec["slug"],
                    locale=zh,
                    theme=spec["theme"],
                    popular=spec["popular"],
                    sample_content=True,
                    **self.guide_text(spec),
                )
                library.add_child(instance=guide)
                guide.save_revision().publish()
            guides.append(guide)
        self.translation(library, en, demo_guides.LIBRARY_EN)
        for guide in guides:
            if guide.slug in demo_guides.GUIDES_EN:
                self.translation(guide, en, self.guide_text(demo_guides.GUIDES_EN[guide.slug]))
        return guides

    @staticmethod
    def guide_text(spec):
        """A guide's words, from the plain data of services.demo_guides, as the page's fields."""
        return {
            "title": spec["title"],
            "summary": spec["summary"],
            "eligibility": spec["eligibility"],
            "materials": [
                (
                    "checklist",
                    {
                        "title": checklist["title"],
                        "items": [{"item": item, "note": note} for item, note in checklist["items"]],
                    },
                )
                for checklist in spec["materials"]
            ],
            "steps": [("step", {"title": title, "text": RichText(text)}) for title, text in spec["steps"]],
            "processing_time": spec["processing_time"],
            "fees": spec["fees"],
            "notes": spec["notes"],
        }

    def build_training(self, area, guides):
        """Who has been trained on which service, and when last (within the past year)."""
        if ServiceTraining.objects.filter(staff_member__area=area).exists():
            return
        names = {member["name"]: member["key"] for member in STAFF[area.slug]["members"]}
        gaps = TRAINING_GAPS[area.slug]
        today = timezone.localdate()
        ServiceTraining.objects.bulk_create(
            ServiceTraining(
                staff_member=member,
                service=guide,
                trained_on=today - dt.timedelta(days=20 + (37 * m + 23 * g) % 320),  # spread over the year
            )
            for m, member in enumerate(StaffMember.objects.filter(area=area).order_by("sort_order"))
            for g, guide in enumerate(guides)
            if guide.slug not in gaps.get(names[member.name], ())
        )

    def build_staff(self, area, editor):
        """Five or six staff with a week of repeating duties; this week's and next week's plan
        generated and published."""
        if not StaffMember.objects.filter(area=area).exists():
            spec = STAFF[area.slug]
            today = timezone.localdate()
            anchor = today - dt.timedelta(days=today.weekday(), weeks=4)  # a Monday four weeks ago
            rotas = {member["key"]: [] for member in spec["members"]}
            by_number = {building_number(building.name): building for building in Building.objects.of_area(area)}

            def rota(key, weekdays, duty, place, start, end, repeat=None, desk=None, weeks_later=0):
                visited = {}
                if duty == Duty.HOME_VISITS:  # published by building, never by free text
                    first, last = run_numbers(place)
                    visited = {"building_from": by_number[first], "building_to": by_number[last]}
                    place = ""
                if repeat == "alternate":  # every other week, from the anchor's week or the week after
                    fields = {"interval": 2}
                elif repeat:  # ("monthly", nth)
                    fields = {"frequency": DutyRota.Frequency.MONTHLY, "nth": repeat[1]}
                else:
                    fields = {}
                rotas[key].append(
                    DutyRota(
                        duty=duty,
                        desk=desk,
                        place=place,
                        weekdays=weekdays,
                        first_date=anchor + dt.timedelta(weeks=weeks_later),
                        start_time=dt.time.fromisoformat(start),
                        end_time=dt.time.fromisoformat(end),
                        skip_holidays=True,
                        **visited,
                        **fields,
                    )
                )

            # Reception: one rota per person, desk and time of day, over the weekdays they sit there.
            desks = {}
            for weekday, people in spec["reception"].items():
                for key, desk, (start, end) in zip(
                    people, (1, 2, 1, 2), (MORNING, MORNING, AFTERNOON, AFTERNOON), strict=True
                ):
                    desks.setdefault((key, desk, start, end), []).append(weekday)
            for (key, desk, start, end), weekdays in desks.items():
                rota(key, weekdays, Duty.RECEPTION, "", start, end, desk=desk)
            for weekday, desk, start, end, *turns in spec["weekends"]:
                for weeks_later, key in enumerate(turns):
                    rota(key, [weekday], Duty.RECEPTION, "", start, end, "alternate", desk, weeks_later)
            for member in spec["members"]:
                for weekdays, duty, place, start, end, *repeat in member["duties"]:
                    rota(member["key"], weekdays, duty, place, start, end, *repeat)

            for order, member in enumerate(spec["members"]):
                staff = StaffMember(
                    area=area,
                    sort_order=order,
                    photo=self.picture(area, f"{member['name']}（示意头像）", portrait(f"{area.slug}-{member['key']}")),
                    **{name: member[name] for name in ("name", "name_en", "role", "role_en", "work_phone")},
                )
                staff.rotas = rotas[member["key"]]
                staff.full_clean()
                staff.save()

        plans.regenerate(area)
        this_week = monday_of(timezone.localdate())
        for monday in (this_week, this_week + dt.timedelta(weeks=1)):
            if not ScheduleWeek.objects.filter(area=area, monday=monday, published_at__isnull=False).exists():
                plans.publish(area, monday, editor)

    def account(self, spec, **extra):
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User(
                username=spec["username"],
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                **extra,
            )
            user.set_password(spec["password"])
            user.save()
        return user

    def report(self, areas, accounts, port, pages):
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo residents' areas are ready.")))
        for area in areas:
            base = f"http://{area.site.hostname}:{port}"
            write(f"  {area.name}: {base}/   English: {base}/en/")
            for key, label in (
                ("activities", _("    What is on: %(url)s")),
                ("staff_schedule", _("    Where to find the staff: %(url)s")),
                ("notices", _("    Notices: %(url)s")),
                ("services", _("    Service guides: %(url)s")),
            ):
                write(label % {"url": f"{base}{pages[area.slug][key].get_url_parts()[2]}"})
        write(_("  Admin: http://localhost:%(port)s/admin/") % {"port": port})
        write(_("  Demo accounts (username / password):"))
        for spec, role in accounts:
            write(f"    {spec['username']} / {spec['password']}  — {role}")
        write(
            _("  Demo residents of %(area)s: phones 13900000001 to 13900000030, password %(password)s")
            % {"area": areas[0].name, "password": RESIDENT_PASSWORD}
        )
