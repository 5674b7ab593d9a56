"""The demo's top layer: each area's home page (in Chinese and English), about page, site,
Area, settings and buildings, and its notice board (the notices are in home/demo_notices.py).
The plumbing and the areas' base records are portal/demo.py's."""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home import demo_notices
from home.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from portal.demo import AREAS, SUBDISTRICT, child_page, picture, template, translation
from portal.drawing import neighbourhood_scene, room_scene
from portal.models import Area, AreaSettings, Building


@dataclass(frozen=True)
class HomeWords:
    """An area's home page words: its welcome in Chinese and English, its English title, and
    the caption of its drawn picture."""

    intro: str
    intro_en: str
    title_en: str
    picture: str


HOME_WORDS = {
    "xuhuiyuan": HomeWords(
        title_en="Xuhuiyuan Residents' Committee",
        intro=(
            "欢迎来到徐汇苑居民区！居委会的办公室已经变成了居民的活动室，工作人员走出办公室，"
            "走进楼组和家家户户。有事请到一楼接待台，任何一位值班的工作人员都能为您办理15项社区事务。"
        ),
        intro_en=(
            "Welcome to Xuhuiyuan! Our old offices are now rooms for residents, and our staff spend "
            "their days out in the buildings and at your door. Come to the ground-floor reception desk: "
            "any staff member on duty can handle all 15 community services for you."
        ),
        picture="徐汇苑小区的楼房和绿树（示意图）",
    ),
    "wanliu": HomeWords(
        title_en="Wanliu Residents' Committee",
        intro=(
            "欢迎来到宛六居民区！阅览室、谈心室和多功能室向居民开放，工作人员每天按公布的计划巡查和走访。"
            "办事、咨询、提建议，请到接待台找任何一位值班的工作人员。"
        ),
        intro_en=(
            "Welcome to Wanliu! The reading room, the counseling room and the multi-function room are open "
            "to residents, and our staff patrol and visit homes on a published plan. For any service, "
            "question or suggestion, ask whoever is on duty at the reception desk."
        ),
        picture="宛六小区的楼房和绿树（示意图）",
    ),
}

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


def generated_words(spec):
    """A generated area's home page words: the template area's, with this area's name."""
    words = HOME_WORDS[template(spec.slug)]
    model = next(area for area in AREAS if area.slug == template(spec.slug))
    return HomeWords(
        intro=words.intro.replace(model.name, spec.name),
        intro_en=words.intro_en.replace(model.slug.capitalize(), spec.slug),
        title_en=f"{spec.slug} Residents' Committee",
        picture=f"{spec.name}的楼房和绿树（示意图）",
    )


def build_area(spec, port, zh, en):
    """The area of a portal.demo.DemoArea: its home page, site (served on `port`), Area,
    settings and buildings, its about page, and its home page in English."""
    words = HOME_WORDS.get(spec.slug) or generated_words(spec)
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(slug=spec.slug, locale=zh).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title=spec.name, slug=spec.slug, locale=zh, intro=words.intro, body=HOME_BODY)
        )
        home.save_revision().publish()

    site = Site.objects.filter(hostname=spec.hostname, root_page=home).first() or Site.objects.create(
        hostname=spec.hostname,
        port=port,
        root_page=home,
        site_name=spec.name,
        is_default_site=spec.default,
    )
    if site.port != port:  # `make run PORT=…` on an existing database
        site.port = port
        site.save(update_fields=["port"])
    area = Area.objects.filter(slug=spec.slug).first() or Area.objects.create(
        name=spec.name, slug=spec.slug, subdistrict=SUBDISTRICT, site=site
    )
    area_settings, _created = AreaSettings.objects.get_or_create(site=site, defaults=dataclasses.asdict(spec.settings))
    if not area_settings.buildings.exists():
        Building.objects.bulk_create(
            Building(settings=area_settings, name=f"{number}号楼", sort_order=number)
            for number in range(1, spec.buildings + 1)
        )

    if home.hero_image is None:
        home.hero_image = picture(area, words.picture, neighbourhood_scene(spec.slug))
        home.save_revision().publish()

    if not home.get_children().filter(slug="about").exists():
        about = home.add_child(
            instance=ContentPage(
                title="关于我们",
                slug="about",
                locale=zh,
                show_in_menus=True,
                intro=f"{spec.name}居民委员会：把办公室还给居民，把服务送到家门口。",
                image=picture(area, f"{spec.name}活动室（示意图）", room_scene(spec.slug)),
                body=ABOUT_BODY,
            )
        )
        about.save_revision().publish()

    translation(home, en, {"title": words.title_en, "intro": words.intro_en, "body": HOME_BODY_EN})
    return area


def build_notices(area, zh):
    """The area's notice board and its notices, dated relative to today. Published directly:
    the approval workflow is for people editing in the admin."""
    index = child_page(area.site.root_page, NoticeIndexPage, demo_notices.NOTICE_INDEX, zh)
    existing = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    today = timezone.localdate()
    for spec in demo_notices.notices(template(area.slug), today):
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
