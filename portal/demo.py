"""The demo's shared plumbing and the subdistrict's own demo data: its residents' areas as the
base layer knows them (name, address, settings, the staff and lead accounts), the supervisor
and administrator, and the 30 demo residents.

Each app keeps its own demo data beside it, in its demo.py, as named records; the command
home/management/commands/seed_demo.py builds them in order. Everything built here is
idempotent: what exists is left alone. Everything here is invented: the people, phone numbers
and filing numbers.
"""

import contextlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler as index_on_save
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    update_reference_index_on_save,
)

from portal.models import User
from portal.roles import SUPERVISOR_GROUP_NAME

SUBDISTRICT = "枫林路街道"


@dataclass(frozen=True)
class Account:
    """A demo account: signs in with this username and password."""

    username: str
    password: str
    last_name: str = ""
    first_name: str = ""


@dataclass(frozen=True)
class AreaValues:
    """An area's AreaSettings: where its committee is, its phone, reception hours and filing number."""

    address: str
    address_en: str
    office_phone: str
    reception_hours: str
    reception_hours_en: str
    icp_number: str


@dataclass(frozen=True)
class DemoArea:
    """A residents' area as the base layer knows it. Its home page's words are home.demo's."""

    slug: str
    name: str
    hostname: str
    default: bool  # the site served for any other host name
    buildings: int  # numbered 1号楼 to this
    settings: AreaValues
    staff: Account
    lead: Account  # also approves the area's notices


AREAS = [
    DemoArea(
        slug="xuhuiyuan",
        name="徐汇苑居民区",
        hostname="localhost",
        default=True,
        buildings=12,
        settings=AreaValues(
            address="上海市徐汇区枫林路街道徐汇苑5号楼一层",
            address_en="Ground floor, Building 5, Xuhuiyuan, Fenglin Road Subdistrict, Xuhui District, Shanghai",
            office_phone="021-64000001",
            reception_hours="周一至周六 8:30–17:00，周日 9:00–12:00",
            reception_hours_en="Mon–Sat 08:30–17:00, Sun 09:00–12:00",
            icp_number="沪ICP备2026000001号-1",
        ),
        staff=Account("xhy-staff", "xuhuiyuan2026", last_name="顾", first_name="文静"),
        lead=Account("xhy-lead", "xhylead2026", last_name="陈", first_name="立平"),
    ),
    DemoArea(
        slug="wanliu",
        name="宛六居民区",
        hostname="wanliu.localhost",
        default=False,
        buildings=30,
        settings=AreaValues(
            address="上海市徐汇区枫林路街道宛六小区20号楼一层",
            address_en="Ground floor, Building 20, Wanliu, Fenglin Road Subdistrict, Xuhui District, Shanghai",
            office_phone="021-64000002",
            reception_hours="周一至周五 8:30–17:00，周六 9:00–16:00",
            reception_hours_en="Mon–Fri 08:30–17:00, Sat 09:00–16:00",
            icp_number="沪ICP备2026000001号-2",
        ),
        staff=Account("wl-staff", "wanliu2026", last_name="沈", first_name="立新"),
        lead=Account("wl-lead", "wllead2026", last_name="周", first_name="海燕"),
    ),
]

# seed_demo --areas N: the areas beyond the hand-written ones, each with this many residents and
# shaped like the last hand-written area (its rooms, activities, staff and notices).
GENERATED_RESIDENTS = 200


def generated_areas(total):
    """The DemoAreas from the third up to the `total`th: a subdistrict-scale data set."""
    template = AREAS[-1]
    return [
        DemoArea(
            slug=f"area-{number:02d}",
            name=f"枫林第{number}居民区",
            hostname=f"area-{number:02d}.localhost",
            default=False,
            buildings=template.buildings,
            settings=AreaValues(
                address=f"上海市徐汇区枫林路街道枫林第{number}小区1号楼一层",
                address_en=f"Ground floor, Building 1, Area {number}, Fenglin Road Subdistrict, Xuhui District, Shanghai",
                office_phone=f"021-6400{number:04d}",
                reception_hours=template.settings.reception_hours,
                reception_hours_en=template.settings.reception_hours_en,
                icp_number=f"沪ICP备2026000001号-{number}",
            ),
            staff=Account(f"a{number:02d}-staff", f"area{number:02d}2026", last_name="林", first_name=f"{number}号"),
            lead=Account(f"a{number:02d}-lead", f"lead{number:02d}2026", last_name="程", first_name=f"{number}号"),
        )
        for number in range(len(AREAS) + 1, total + 1)
    ]


def template(slug):
    """The hand-written area whose demo records an area copies: itself, or for a generated
    area the last hand-written one."""
    return slug if slug in {spec.slug for spec in AREAS} else AREAS[-1].slug


SUPERVISOR = Account("supervisor", "jiedao2026", last_name="陆", first_name="敏华")
ADMIN = Account("admin", "admin2026")

# Demo residents of the first area: phones 13900000001 to 13900000030, one password.
RESIDENT_PASSWORD = "portal-demo"
RESIDENT_COUNT = 30
RESIDENT_NAMES = "王秀英 李桂兰 张建国 刘玉珍 陈志强 杨淑芬 赵德明 黄美华 周国平 吴丽娟".split()


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


def picture(area, title, data):
    """The area's image with this title, made from these JPEG bytes (portal.drawing) the first time."""
    Image = get_image_model()
    image = Image.objects.filter(title=title, collection=area.collection).first()
    if image is None:
        image = Image(title=title, description=title, collection=area.collection)
        image.file = ImageFile(io.BytesIO(data), name=f"{area.slug}-{len(data)}.jpg")
        image.save()
    return image


def child_page(parent, model, spec, locale):
    """The parent's one page of this type, made and published the first time, in the menu.
    spec: the page's title, slug and intro (a dict with those keys)."""
    page = model.objects.child_of(parent).first()
    if page is None:
        page = parent.add_child(
            instance=model(
                title=spec["title"], slug=spec["slug"], locale=locale, show_in_menus=True, intro=spec["intro"]
            )
        )
        page.save_revision().publish()
    return page


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


def account(spec, **extra):
    """The user of this Account, made with these extra fields the first time."""
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(username=spec.username, first_name=spec.first_name, last_name=spec.last_name, **extra)
        user.set_password(spec.password)
        user.save()
    return user


def build_accounts(areas, others=()):
    """Each area's staff and lead accounts, the subdistrict supervisor and the administrator, as
    (Account, role) for the command's report. `others` are the accounts of the apps above, as
    functions that make one and return its (Account, role): made after the supervisor's and
    before the administrator's."""
    accounts = []
    for spec, area in zip(AREAS, areas, strict=True):
        accounts.extend(area_accounts(spec, area))
    supervisor = account(SUPERVISOR)
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP_NAME))
    accounts.append((SUPERVISOR, _("subdistrict supervisor (reads every area)")))
    accounts.extend(make() for make in others)
    account(ADMIN, is_superuser=True, is_staff=True)
    accounts.append((ADMIN, _("administrator (creates areas)")))
    return accounts


def area_accounts(spec, area):
    """The area's staff and lead accounts, as (Account, role)."""
    user = account(spec.staff, area=area)
    user.groups.add(area.staff_group)
    lead = account(spec.lead, area=area)
    lead.groups.add(area.staff_group, area.lead_group)
    return [
        (spec.staff, _("staff of %(area)s") % {"area": area.name}),
        (spec.lead, _("lead of %(area)s (approves notices)") % {"area": area.name}),
    ]


def build_many_residents(area, number, count=GENERATED_RESIDENTS):
    """`count` confirmed residents of a generated area (the `number`th), made in bulk: phones
    137 then the area's number and theirs (1370003 0001), password RESIDENT_PASSWORD."""
    phones = [f"+86137{number:04d}{n:04d}" for n in range(1, count + 1)]
    existing = set(User.objects.filter(phone__in=phones).values_list("phone", flat=True))
    password = make_password(RESIDENT_PASSWORD)
    now = timezone.now()
    User.objects.bulk_create(
        User(
            phone=phone,
            username=f"resident-{number:02d}-{n:04d}",
            password=password,
            last_name=RESIDENT_NAMES[n % len(RESIDENT_NAMES)][0],
            first_name=RESIDENT_NAMES[n % len(RESIDENT_NAMES)][1:],
            area=area,
            phone_verified=True,
            building=f"{n % 12 + 1}号楼",
            room_number=f"{n % 6 + 1}0{n % 3 + 1}室",
            residency_verified_at=now,
            privacy_consent_version=settings.PRIVACY_NOTICE_VERSION,
            privacy_consent_at=now,
        )
        for n, phone in enumerate(phones, start=1)
        if phone not in existing
    )
    return list(User.objects.filter(phone__in=phones).order_by("phone"))


def build_residents(area):
    """The 30 demo residents of the area, confirmed: phones 13900000001 to 13900000030."""
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
