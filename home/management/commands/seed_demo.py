"""Build the demo residents' areas of 枫林路街道. Idempotent: what exists is left alone.

Everything here is invented: the people, phone numbers and filing numbers.
"""

import datetime as dt
import io

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from booking import rules
from booking.models import OpeningHours, Reservation, Room
from home.drawing import neighbourhood_scene, room_scene
from home.models import ContentPage, HomePage
from portal.models import Area, AreaSettings, User
from portal.roles import SUPERVISOR_GROUP_NAME

SUBDISTRICT = "枫林路街道"

AREAS = [
    {
        "slug": "xuhuiyuan",
        "name": "徐汇苑居民区",
        "hostname": "localhost",
        "default": True,
        "title_en": "Xuhuiyuan Residents' Committee",
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
    },
    {
        "slug": "wanliu",
        "name": "宛六居民区",
        "hostname": "wanliu.localhost",
        "default": False,
        "title_en": "Wanliu Residents' Committee",
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
    },
]

SUPERVISOR = {"username": "supervisor", "password": "jiedao2026", "last_name": "陆", "first_name": "敏华"}
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
            "description_en": "An upright piano, a wall of mirrors and a sound system: for choirs, dance and the qipao group.",
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
            "description_en": "One-to-one talks, mediation and counselling. Bookings are confirmed by staff and kept private.",
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
            "description_en": "Talks, training, residents' meetings and small gatherings, with a projector and 40 chairs.",
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
    ("reading-room", 1, "13:30", 120, "读书会"),
    ("multi-function-room", 3, "14:00", 120, "楼组议事会"),
    ("counseling-room", 2, "09:00", 60, ""),
    ("piano-room", 4, "19:00", 60, "钢琴练习"),
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
                "<p>Your ID card and household register; if acting for someone, their letter of authorisation and your own ID card.</p>"
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


class Command(BaseCommand):
    help = "Load the demo residents' areas of 枫林路街道 (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites are served on.")

    def handle(self, *args, port, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _("Demo data is not allowed with these settings: demo accounts must never reach production.")
            )
        with transaction.atomic():
            zh = Locale.get_default()
            en, _created = Locale.objects.get_or_create(language_code="en")
            self.remove_wagtail_welcome_page()
            areas = [self.build_area(spec, port, zh, en) for spec in AREAS]
            accounts = self.build_accounts(areas)
            call_command("load_holidays", stdout=io.StringIO())
            for area in areas:
                self.build_rooms(area)
            residents = self.build_residents(areas[0])
            self.build_bookings(areas[0], residents)
        self.report(areas, accounts, port)

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
        AreaSettings.objects.get_or_create(site=site, defaults=spec["settings"])

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

        if home.get_translation_or_none(en) is None:
            home_en = home.copy_for_translation(en)
            home_en.title = spec["title_en"]
            home_en.intro = spec["intro_en"]
            home_en.body = HOME_BODY_EN
            home_en.save_revision().publish()
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
        supervisor = self.account(SUPERVISOR)
        supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP_NAME))
        accounts.append((SUPERVISOR, _("subdistrict supervisor (reads every area)")))
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

    def report(self, areas, accounts, port):
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo residents' areas are ready.")))
        for area in areas:
            base = f"http://{area.site.hostname}:{port}"
            write(f"  {area.name}: {base}/   English: {base}/en/")
        write(_("  Admin: http://localhost:%(port)s/admin/") % {"port": port})
        write(_("  Demo accounts (username / password):"))
        for spec, role in accounts:
            write(f"    {spec['username']} / {spec['password']}  — {role}")
        write(
            _("  Demo residents of %(area)s: phones 13900000001 to 13900000030, password %(password)s")
            % {"area": areas[0].name, "password": RESIDENT_PASSWORD}
        )
