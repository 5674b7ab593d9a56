"""One area boundary across the whole admin (portal/areas.py, portal/area_admin.py).

Marker titles are planted in 徐汇苑 (a draft page, an image, a document, a room, a staff member,
an activity session, a booking's purpose); then every admin URL Wagtail and our apps register,
taken from the URL resolver and from following the admin's links, is requested as staff and as a
lead of 宛六, with the markers' ids in every id the URL or its query takes, and no answer may
show a marker. Whatever is added to the admin later is walked the same way.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from activities.models import ActivityIndexPage, ActivityPage, ActivitySchedule, Occurrence
from booking import rules
from booking.models import Room
from home.models import ContentPage
from outreach import corrections, suggestions
from outreach.models import AnswerTemplate, SpotCheck, SpotCheckItem, SuggestionCategory
from portal.models import Area, User
from staff.models import StaffMember
from tests import walker
from tests.factories import (
    LeadUserFactory,
    ReceptionCaseFactory,
    ResidentFactory,
    RoomFactory,
    StaffMemberFactory,
    VisitFactory,
    daily,
)
from tests.helpers import english_home

# Every marker title carries both words: the walk searches for SEARCH and watches for MARKER,
# so a page that only repeats what was searched for is no leak.
MARKER = "leakmarkerq7z"
SEARCH = "findmeqz"


def image_file(name=MARKER):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"{name}.png")


def book_soon(room, resident, **fields):
    """The resident's booking of the room's first free start from the day after tomorrow on."""
    day = timezone.localdate() + dt.timedelta(days=2)
    while not rules.free_starts(room, day):
        day += dt.timedelta(days=1)
    start = rules.free_starts(room, day)[0]
    booking, _created = rules.book(
        room=room, start=start, end=start + dt.timedelta(minutes=room.min_minutes), resident=resident, **fields
    )
    return booking


def area_content(area, title_en, room, resident, first_tuesday):
    """One of each kind the markers are, with ordinary titles, so that each admin screen the walk
    reaches lists real rows of the area: the home page in English too (titled `title_en`; the
    explorer then lists both language roots and offers to translate), a published page, an image,
    a public and an internal document, a room (given), a staff member with the image as photo (the
    image's usage links to them), an activity in the room on Tuesdays from `first_tuesday` four
    times, and the resident's booking of the room."""
    home = area.site.root_page
    english_home(area, title_en)
    home.add_child(instance=ContentPage(title="关于我们", slug="about")).save_revision().publish()
    image = get_image_model().objects.create(
        title=f"{area.name}活动室", file=image_file(area.slug), collection=area.collection
    )
    Document = get_document_model()
    Document.objects.create(title="报名表", file=ContentFile(b"form", name="form.txt"), collection=area.collection)
    Document.objects.create(
        title="网格员名单", file=ContentFile(b"list", name="list.txt"), collection=area.internal_collection
    )
    StaffMemberFactory(area=area, name=f"{area.name}社工", photo=image)
    index = home.add_child(instance=ActivityIndexPage(title="活动", slug="activities"))
    index.save_revision().publish()
    activity = ActivityPage(title="合唱团", slug="choir", room=room)
    activity.schedules = [
        ActivitySchedule(weekdays=[1], first_date=first_tuesday, count=4, start_time=dt.time(9), end_time=dt.time(10))
    ]
    index.add_child(instance=activity)
    activity.save_revision().publish()
    book_soon(room, resident)


@pytest.fixture
def both_areas(xhy, wanliu, piano, resident, xhy_staff, wanliu_staff, tuesday):
    """徐汇苑 and 宛六 with their staff and leads, each with one of everything the markers are."""
    LeadUserFactory(area=xhy, username="xhy-lead")
    LeadUserFactory(area=wanliu, username="wl-lead")
    area_content(xhy, "Xuhuiyuan Residents' Committee", piano, resident, tuesday)
    wanliu_room = RoomFactory(area=wanliu, name="宛六活动室", slug="activity-room", opening=daily("08:30", "17:00"))
    area_content(
        wanliu,
        "Wanliu Residents' Committee",
        wanliu_room,
        ResidentFactory(area=wanliu, phone="+8613900000101"),
        tuesday,
    )


@pytest.fixture
def markers(xhy, both_areas, piano, resident):
    """Objects of 徐汇苑 whose titles carry the marker."""
    home = xhy.site.root_page
    draft = home.add_child(instance=ContentPage(title=f"草稿 {SEARCH} {MARKER}", slug=MARKER, live=False))
    draft.save_revision()
    image = get_image_model().objects.create(
        title=f"照片 {SEARCH} {MARKER}", file=image_file(), collection=xhy.collection
    )
    document = get_document_model().objects.create(
        title=f"文件 {SEARCH} {MARKER}", file=ContentFile(b"internal", name=f"{MARKER}.txt"), collection=xhy.collection
    )
    room = Room.objects.create(area=xhy, slug=MARKER, name=f"房间 {SEARCH} {MARKER}")
    member = StaffMember.objects.create(area=xhy, name=f"{SEARCH}{MARKER}", role="社工")
    session = Occurrence.objects.filter(area=xhy).first()
    Occurrence.objects.filter(pk=session.pk).update(note=f"场次 {SEARCH} {MARKER}")
    booking = book_soon(piano, resident, purpose=f"用途 {SEARCH} {MARKER}", request_key=MARKER)
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(
        area=xhy, category=parking, text=f"建议 {SEARCH} {MARKER}", place=MARKER, resident=resident, public=True
    )
    # 宛六 has a suggestion of its own, so its inbox lists a row.
    suggestions.submit(area=Area.objects.get(slug="wanliu"), category=parking, text="宛六车棚")
    xhy_staff = User.objects.get(username="xhy-staff")
    visit = VisitFactory(staff=xhy_staff, found=f"走访 {SEARCH} {MARKER}", household_name=MARKER)
    case = ReceptionCaseFactory(staff=xhy_staff, note=f"接待 {SEARCH} {MARKER}", household_name=MARKER)
    check = SpotCheck.objects.create(area=xhy, quarter="2026Q1", seed=1, finished_at=timezone.now())
    checked = VisitFactory(staff=xhy_staff, household_name="王秀英")
    SpotCheckItem.objects.create(spot_check=check, staff=xhy_staff, visit=checked, verdict="problem", finding=MARKER)
    # 宛六's records, so its lists have rows.
    VisitFactory(staff=User.objects.get(username="wl-staff"), found="宛六走访")
    correction = corrections.ask(resident, f"更正 {SEARCH} {MARKER}")
    template = AnswerTemplate.objects.create(area=xhy, category=parking, title=f"模板 {SEARCH} {MARKER}", text=MARKER)
    return [
        draft,
        image,
        document,
        room,
        member,
        session,
        booking,
        suggestion,
        visit,
        case,
        check,
        correction,
        template,
    ]


BULK_ACTIONS = ("delete", "publish", "unpublish", "move", "add_tags", "add_to_collection")


def marker_addresses(markers):
    """Every admin route filled with each marker's id (and its model's names where the route
    takes them: bulk actions with each of their names), with ?id= as well."""
    for route, _pattern in walker.url_patterns():
        if not route.startswith("admin/") or ("<" not in route and "(?P<" not in route):
            continue
        for obj in markers:
            values = {
                name: str(obj.pk)
                for kind, name in (m.group("kind", "name") for m in walker.CONVERTER.finditer(route))
                if kind == "int"
            }
            values.setdefault("pk", str(obj.pk))
            names = [(obj._meta.app_label, obj._meta.model_name)]
            if isinstance(obj, Page):  # Wagtail's page actions are registered for Page itself
                names.append(("wagtailcore", "page"))
            for app_label, model_name in names:
                for action in BULK_ACTIONS if "<str:action>" in route else ("x",):
                    filled = {**values, "app_label": app_label, "app_name": app_label, "model_name": model_name}
                    path = walker.fill(route, {**filled, "action": action})
                    if path:
                        yield path, f"id={obj.pk}"


@pytest.mark.walk
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("username", ["wl-staff", "wl-lead"])
def test_staff_of_another_area_never_see_an_areas_marker_anywhere_in_the_admin(username, markers, recording):
    client = Client()
    client.raise_request_exception = True
    client.force_login(User.objects.get(username=username))
    hosts = [site.hostname for site in Site.objects.order_by("-is_default_site", "hostname")]
    walk = walker.Walk(client, hosts, watch=MARKER, within=("/admin/",))
    walk.crawl([(hosts[0], "/admin/")])
    walk.cover(pages=False)
    ids = [str(obj.pk) for obj in markers]
    # Every id a view takes, and every text it searches for, with the markers'.
    walk.replay(values=[*ids, SEARCH], path_values=ids)
    for path, query in marker_addresses(markers):
        walk.request(hosts[0], "GET", path, query=query)
    assert walk.requests > 500  # the walk reached the admin
    assert not walk.failures, f"{len(walk.failures)} of {walk.requests} requests failed:\n" + "\n".join(
        walk.failures[:80]
    )


def test_the_markers_are_visible_to_their_own_areas_staff(markers):
    """The walk above would pass trivially if the markers could not be seen at all."""
    client = Client()
    client.force_login(User.objects.get(username="xhy-staff"))
    draft, image, document, room, member, session, booking, suggestion, visit, case, check, correction, template = (
        markers
    )
    seen = [
        f"/admin/pages/{draft.pk}/edit/",
        f"/admin/images/{image.pk}/",
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/booking/rooms/edit/{room.pk}/",
        f"/admin/staff/members/edit/{member.pk}/",
        f"/admin/activities/sessions/{session.pk}/",
        f"/admin/booking/reservations/{booking.pk}/",
        f"/admin/suggestions/{suggestion.pk}/",
        f"/admin/records/visit/{visit.pk}/",
        f"/admin/records/case/{case.pk}/",
        f"/admin/spot-checks/{check.pk}/",
        f"/admin/corrections/{correction.pk}/",
        f"/admin/suggestions/answer-templates/edit/{template.pk}/",
    ]
    for url in seen:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in response.content.decode().lower(), url


# An area's internal documents


def download(client, document):
    return client.get(f"/documents/{document.pk}/{document.filename}")


def test_internal_documents_are_downloaded_by_their_areas_staff_only(xhy, xhy_staff, wanliu_staff, resident, client):
    LeadUserFactory(area=xhy, username="xhy-lead")
    Document = get_document_model()
    internal = Document.objects.create(
        title="网格员名单", file=ContentFile(b"internal list", name="list.txt"), collection=xhy.internal_collection
    )
    public = Document.objects.create(
        title="报名表", file=ContentFile(b"form", name="form.txt"), collection=xhy.collection
    )
    assert xhy.internal_collection.get_parent() == xhy.collection
    assert download(client, public).status_code == 200
    assert download(client, internal).status_code == 302  # to sign in

    for username in ("xhy-staff", "xhy-lead"):
        staff = Client()
        staff.force_login(User.objects.get(username=username))
        response = download(staff, internal)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"internal list"

    for outsider in (wanliu_staff, resident):
        other = Client()
        other.force_login(outsider)
        assert download(other, internal).status_code != 200, outsider
