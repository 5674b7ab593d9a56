"""Build the demo residents' areas of 枫林路街道. Idempotent: what exists is left alone.

Everything here is invented: the people, phone numbers and filing numbers.
"""

import io

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

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
            "text": RichText("<p>Your ID card and household register; if acting for someone, their letter of authorisation and your own ID card.</p>"),
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
            "<p>您的意见和建议，我们会尽快答复并公开处理结果。"
            "可以在接待台当面提出，也可以告诉巡查中的工作人员。</p>"
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
        self.report(areas, accounts, port)

    def remove_wagtail_welcome_page(self):
        # Wagtail's first migration creates a placeholder page and site; the areas replace them.
        Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
        # The tree root shows in the admin's breadcrumbs: name it after the subdistrict.
        Page.objects.filter(depth=1).exclude(title=SUBDISTRICT).update(
            title=SUBDISTRICT, draft_title=SUBDISTRICT
        )

    def build_area(self, spec, port, zh, en):
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(slug=spec["slug"], locale=zh).first()
        if home is None:
            home = root.add_child(
                instance=HomePage(
                    title=spec["name"], slug=spec["slug"], locale=zh, intro=spec["intro"], body=HOME_BODY
                )
            )
            home.save_revision().publish()

        site = Site.objects.filter(hostname=spec["hostname"], root_page=home).first() or Site.objects.create(
            hostname=spec["hostname"], port=port, root_page=home, site_name=spec["name"], is_default_site=spec["default"]
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
