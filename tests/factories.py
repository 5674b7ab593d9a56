"""What a test builds for itself: an area with its site, rooms with given hours and buffer,
residents, staff accounts and staff members. Each factory makes the smallest thing the rules
need; a test names every value its assertions depend on.

    area = AreaFactory(name="徐汇苑居民区", slug="xuhuiyuan", hostname="localhost", default=True)
    room = RoomFactory(area=area, opening=daily("08:30", "11:30"), buffer_minutes=15)
    resident = ResidentFactory(area=area)
    staff = StaffUserFactory(area=area, username="xhy-staff")
"""

import datetime as dt
import io

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as Picture
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from booking.models import OpeningHours, Room
from home.models import HomePage
from outreach.models import ReceptionCase, Visit
from portal.models import Area, AreaSettings, Building, User
from portal.roles import SUPERVISOR_GROUP_NAME
from staff.models import StaffMember

PASSWORD = "portal-demo"


def daily(*ranges, days=range(7)):
    """Opening hours for a RoomFactory: daily("08:30", "11:30", "13:30", "20:30") opens each day
    of `days` (Monday is 0) from 08:30 to 11:30 and from 13:30 to 20:30."""
    times = [dt.time.fromisoformat(value) for value in ranges]
    return [(day, opens, closes) for day in days for opens, closes in zip(times[::2], times[1::2], strict=True)]


class AreaFactory(factory.django.DjangoModelFactory):
    """A residents' area with its home page, its site (served at `hostname`) and settings with
    `buildings` buildings named 1号楼, 2号楼, …; saving it gives it its groups and collections."""

    class Meta:
        model = Area

    class Params:
        hostname = factory.LazyAttribute(lambda area: f"{area.slug}.localhost")
        default = False
        buildings = 12
        office_phone = "021-64000001"

    name = factory.Sequence(lambda n: f"测试{n}居民区")
    slug = factory.Sequence(lambda n: f"area{n}")
    subdistrict = "枫林路街道"

    @factory.lazy_attribute
    def site(self):
        if self.default:
            # Wagtail's first migration made a welcome page and a default site: the area replaces them.
            Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
        home = Page.get_first_root_node().add_child(instance=HomePage(title=self.name, slug=self.slug))
        home.save_revision().publish()
        site = Site.objects.create(
            hostname=self.hostname, port=80, root_page=home, site_name=self.name, is_default_site=self.default
        )
        area_settings = AreaSettings.objects.create(site=site, office_phone=self.office_phone)
        Building.objects.bulk_create(
            Building(settings=area_settings, name=f"{number}号楼", sort_order=number)
            for number in range(1, self.buildings + 1)
        )
        return site


class RoomFactory(factory.django.DjangoModelFactory):
    """A bookable room, open every day 08:30–17:00 unless `opening` says otherwise."""

    class Meta:
        model = Room

    area = factory.SubFactory(AreaFactory)
    opening = factory.LazyFunction(lambda: daily("08:30", "17:00"))  # not a field: OpeningHours rows
    name = factory.Sequence(lambda n: f"活动室{n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    slot_minutes = 30
    min_minutes = 30
    max_minutes = 120
    buffer_minutes = 0

    @classmethod
    def _create(cls, model_class, *args, opening=(), **kwargs):
        room = model_class(*args, **kwargs)
        room.opening_hours = [OpeningHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in opening]
        room.full_clean()
        room.save()
        return room


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    # A field value, not a set_password call: asking again for an existing user changes nothing,
    # so a client signed in as them stays signed in.
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(*extracted)
        user.save()


class ResidentFactory(UserFactory):
    """A resident whose number is proven and whose residency staff confirmed. Asked for again
    with the same number, it is the same account, unchanged."""

    class Meta:
        django_get_or_create = ("phone",)

    area = factory.SubFactory(AreaFactory)
    username = factory.LazyAttribute(lambda user: f"resident-{user.phone[-4:]}")
    # 13900000001, 13900000002, …: eleven digits however long the run.
    phone = factory.Sequence(lambda n: f"+86139{n + 1:08d}")
    last_name = "王"
    # Given names of a fixed length, so a masked name looks the same in any test (王*英), and none
    # that a form's help text uses as its example (王建国), or "not in the page" would pass by chance.
    first_name = factory.Iterator("秀英 桂兰 振华 玉珍 志强 淑芬 德明 美华 国平 丽娟".split())
    phone_verified = True
    building = "5号楼"
    room_number = "301室"
    residency_verified_at = factory.LazyFunction(timezone.now)
    privacy_consent_version = factory.LazyFunction(lambda: settings.PRIVACY_NOTICE_VERSION)
    privacy_consent_at = factory.LazyFunction(timezone.now)


def numbered_resident(number, area=None, **fields):
    """Confirmed resident `number` (phone 139000000{number:02d}) of `area`, 徐汇苑 by default:
    made when first asked for, the same account after that."""
    area = area or Area.objects.get(slug="xuhuiyuan")
    return ResidentFactory(area=area, phone=f"+86139000000{number:02d}", **fields)


class ImageFactory(factory.django.DjangoModelFactory):
    """A JPEG in an area's media collection, as staff upload one (a room's photo, say)."""

    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"照片{n}")
    file = factory.LazyAttribute(lambda image: ImageFile(jpeg(), name=f"photo-{image.title}.jpg"))


def jpeg(size=(960, 640), colour="#c49668"):
    data = io.BytesIO()
    Picture.new("RGB", size, colour).save(data, "JPEG")
    return data


class StaffUserFactory(UserFactory):
    """The account of a member of an area's staff."""

    area = factory.SubFactory(AreaFactory)
    last_name = "顾"
    first_name = "文静"

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(user.area.staff_group, *(extracted or ()))
        user.save()


class LeadUserFactory(StaffUserFactory):
    """The account of an area's lead: staff who also approve notices and extend deadlines."""

    last_name = "陈"
    first_name = "立平"

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(user.area.staff_group, user.area.lead_group, *(extracted or ()))
        user.save()


class SupervisorFactory(UserFactory):
    """The subdistrict's supervisor: reads every area."""

    username = "supervisor"
    last_name = "陆"
    first_name = "敏华"

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP_NAME))
        user.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """A staff member as the schedule shows them (no rotas unless given)."""

    class Meta:
        model = StaffMember

    area = factory.SubFactory(AreaFactory)
    name = factory.Iterator("张晓燕 李建华 王敏 赵国强 钱晓东 孙佳怡".split())
    role = "社工"
    work_phone = "021-64000103"
    sort_order = factory.Sequence(int)


class VisitFactory(factory.django.DjangoModelFactory):
    """A home visit recorded by `staff` (an area's staff account) in their area, at `at`."""

    class Meta:
        model = Visit

    staff = factory.SubFactory(StaffUserFactory)
    area = factory.LazyAttribute(lambda visit: visit.staff.area)
    building = factory.LazyAttribute(lambda visit: Building.objects.of_area(visit.area).first())
    room_number = factory.Sequence(lambda n: f"{101 + n % 6 * 100}室")
    household_name = factory.Iterator("王秀英 李桂兰 张建国 刘玉珍 陈志明".split())
    household_phone = factory.Sequence(lambda n: f"13800138{n % 1000:03d}")
    at = factory.LazyFunction(timezone.now)
    minutes = 20
    purpose = Visit.Purpose.CARE
    found = "老人身体尚好，独居，希望有人定期上门看看。"


class ReceptionCaseFactory(factory.django.DjangoModelFactory):
    """A case at the reception desk recorded by `staff` in their area, at `at`."""

    class Meta:
        model = ReceptionCase

    staff = factory.SubFactory(StaffUserFactory)
    area = factory.LazyAttribute(lambda case: case.staff.area)
    household_name = factory.Iterator("周丽华 吴国平 郑桂英".split())
    household_phone = factory.Sequence(lambda n: f"13900139{n % 1000:03d}")
    at = factory.LazyFunction(timezone.now)
    minutes = 10
    outcome = ReceptionCase.Outcome.DONE
    note = "咨询居住证办理所需材料。"
