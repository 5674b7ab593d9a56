"""The activity pages' admin: an editor sees the next dates and any room clash before publishing
(the preview's "next dates" mode, built from the unsaved form), is told after publishing which
sessions could not hold their room, and cancels one session through the page. The "Sessions"
listing keeps each area's staff to their own sessions, masks who signed up and logs who looked;
supervisors read every area's and change nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry, Page, Site

from activities import activity_admin, editor
from activities.models import (
    ActivityCategory,
    ActivityIndexPage,
    ActivityPage,
    ActivitySchedule,
    SignUp,
)
from booking import rules
from booking.models import OpeningHours, Reservation, Room
from home.models import HomePage
from portal import localtime, roles
from portal.models import Area, Holiday, User
from tests.factories import numbered_resident
from tests.forms import editor_form_data
from tests.helpers import client_for, refused

at = localtime.at
T15, T1530, T1630 = dt.time(15), dt.time(15, 30), dt.time(16, 30)


@pytest.fixture
def staff_client(xhy_staff):
    return client_for(xhy_staff)


@pytest.fixture
def supervisor_client(supervisor):
    return client_for(supervisor)


@pytest.fixture
def calligraphy(xhy):
    """A room of 徐汇苑's own for these tests, open every day (holidays too) from 08:00 to 21:00."""
    room = Room(area=xhy, name="书法室", slug="calligraphy-room", window_days=60, open_on_holidays=True)
    room.opening_hours = [OpeningHours(weekday=day, opens=dt.time(8), closes=dt.time(21)) for day in range(7)]
    room.save()
    return room


@pytest.fixture
def first_day():
    return timezone.localdate() + dt.timedelta(days=3)


def resident(area, number, **fields):
    """A new confirmed resident `number` of the area (13900000001, 13900000002, …)."""
    return numbered_resident(number, area, **fields)


def book(room, day, start=T1530, end=T1630, number=30):
    """A resident's booking made the ordinary way."""
    who = resident(room.area, number)
    reservation, _created = rules.book(room=room, start=at(day, start), end=at(day, end), resident=who)
    return reservation


def weekly(day, *, weekdays=None, skip_holidays=False, **fields):
    return {
        "weekdays": weekdays if weekdays is not None else [day.weekday()],
        "first_date": day,
        "start_time": T15,
        "end_time": T1630,
        "skip_holidays": skip_holidays,
        **fields,
    }


def publish_activity(index, title, slug, schedules, **fields):
    page = ActivityPage(title=title, slug=slug, **fields)
    page.schedules = [ActivitySchedule(**schedule) for schedule in schedules]
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# The page editor's form, as a browser would post it


def page_form(client, url, page=None):
    """The editor's form as rendered, as {name: [values]} (so checkboxes keep every value)."""
    data = editor_form_data(client.get(url).content.decode(), page or ActivityPage())
    return {
        key: value if isinstance(value, list) else [value] for key, value in data.items() if "__prefix__" not in key
    }


def append_form(form, prefix, fields):
    """Add one form to an InlinePanel's formset, as its "Add" button does."""
    index = int(form[f"{prefix}-TOTAL_FORMS"][0])
    for name, value in fields.items():
        form[f"{prefix}-{index}-{name}"] = [str(item) for item in value] if isinstance(value, list) else [str(value)]
    form[f"{prefix}-{index}-id"] = [""]
    form[f"{prefix}-{index}-ORDER"] = [str(index + 1)]
    form[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]


def schedule_fields(schedule):
    fields = {
        "frequency": "weekly",
        "interval": 1,
        "nth": "",
        "weekdays": schedule["weekdays"],
        "first_date": schedule["first_date"].isoformat(),
        "last_date": "",
        "count": "",
        "start_time": schedule["start_time"].strftime("%H:%M"),
        "end_time": schedule["end_time"].strftime("%H:%M"),
    }
    if schedule["skip_holidays"]:
        fields["skip_holidays"] = "on"
    return fields


def new_class_form(client, index, room, schedule, title="书法班", slug="calligraphy"):
    form = page_form(client, add_url(index))
    form.update(title=[title], slug=[slug], room=[str(room.pk)], summary=["毛笔字入门，纸笔自备。"])
    append_form(form, "schedules", schedule_fields(schedule))
    return form


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["activities", "activitypage", index.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def preview(client, preview_url, form):
    """Post the form to Wagtail's preview (as the preview panel does), then open the "dates" mode."""
    state = client.post(preview_url, form).json()
    assert state == {"is_valid": True, "is_available": True}, state
    response = client.get(preview_url, {"mode": "dates"})
    assert response.status_code == 200
    return response


def in_chinese(day):
    with translation.override("zh-hans"):
        return f"{formats.date_format(day, 'DATE_FORMAT')} {formats.date_format(day, 'l')}"


def clash_message(room, day, booking):
    with translation.override("zh-hans"):
        return rules.taken(room, at(day, T15), at(day, T1630), booking).message


def unentered_year():
    """The last year the session window (180 days ahead) reaches, left without holidays as if
    nobody had entered them, while each year before it from this one is entered (one make-up
    working day, which skips no session)."""
    today = timezone.localdate()
    year = (today + dt.timedelta(days=180)).year
    for entered in range(today.year, year):
        Holiday.objects.create(date=dt.date(entered, 1, 4), name="调休", kind=Holiday.Kind.WORKDAY)
    return year


# Before publishing: the next dates and their clashes


def test_an_editor_sees_the_dates_of_a_new_weekly_class_and_a_clash_before_publishing(
    staff_client, activity_index, calligraphy, first_day
):
    clashing_day = first_day + dt.timedelta(days=7)
    booking = book(calligraphy, clashing_day)
    form = new_class_form(staff_client, activity_index, calligraphy, weekly(first_day))
    response = preview(staff_client, preview_on_add(activity_index), form)

    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    rows = response.context["rows"]
    assert len(rows) == 12
    assert [row["date"] + " " + row["weekday"] for row in rows[:3]] == [
        in_chinese(first_day + dt.timedelta(days=7 * week)) for week in range(3)
    ]
    assert all(part in html for part in in_chinese(first_day).split()) and "15:00–16:30" in html
    assert [bool(row["clash"]) for row in rows] == [False, True] + [False] * 10
    assert escape(clash_message(calligraphy, clashing_day, booking)) in html
    assert response.context["clash_count"] == 1
    assert "next-dates__summary--clash" in html
    assert not ActivityPage.objects.filter(slug="calligraphy").exists()  # a preview saves nothing


def test_the_preview_of_an_edited_page_shows_unpublished_schedules_and_changes(
    staff_client, activity_index, calligraphy, first_day
):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    next_day = first_day + dt.timedelta(days=1)
    booking = book(calligraphy, next_day)  # free now: the class meets on first_day's weekday only
    form = page_form(staff_client, edit_url(page), page)
    form["schedules-0-weekdays"] = [str(first_day.weekday()), str(next_day.weekday())]
    cancelled = first_day + dt.timedelta(days=7)
    append_form(form, "session_changes", {"date": cancelled.isoformat(), "action": "cancel", "note": "老师生病"})

    response = preview(staff_client, reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), form)

    rows = response.context["rows"]
    days = [first_day, next_day, cancelled, cancelled + dt.timedelta(days=1)]
    assert [row["date"] + " " + row["weekday"] for row in rows[:4]] == [in_chinese(day) for day in days]
    # Its own published sessions do not clash with the page; the resident's booking does.
    assert [bool(row["clash"]) for row in rows[:4]] == [False, True, False, False]
    assert escape(clash_message(calligraphy, next_day, booking)) in response.content.decode()
    assert rows[2]["cancelled"] and rows[2]["note"] == "老师生病"
    assert "老师生病" in response.content.decode()
    # Nothing is published until the editor publishes.
    assert not page.occurrences.filter(start=at(next_day, T15)).exists()
    assert not page.occurrences.filter(status="cancelled").exists()


def every_day_form(client, index, room, first_day):
    """A class every day of the week that skips public holidays."""
    schedule = weekly(first_day, weekdays=list(range(7)), skip_holidays=True)
    return new_class_form(client, index, room, schedule)


def preview_on_add(index):
    return reverse("wagtailadmin_pages:preview_on_add", args=["activities", "activitypage", index.pk])


def test_the_preview_lists_the_public_holidays_skipped(staff_client, activity_index, calligraphy, first_day):
    holiday = first_day + dt.timedelta(days=7)
    Holiday.objects.update_or_create(date=holiday, defaults={"name": "测试假日", "kind": Holiday.Kind.DAY_OFF})
    form = every_day_form(staff_client, activity_index, calligraphy, first_day)

    response = preview(staff_client, preview_on_add(activity_index), form)

    context = response.context
    assert in_chinese(holiday) not in [row["date"] + " " + row["weekday"] for row in context["rows"]]
    day, weekday = in_chinese(holiday).split()
    assert {"date": day, "weekday": weekday, "name": "测试假日"} in context["holidays_skipped"]
    assert "测试假日" in response.content.decode()


def test_the_preview_marks_sessions_in_a_year_without_holiday_data(
    staff_client, activity_index, calligraphy, first_day
):
    missing_year = unentered_year()
    form = every_day_form(staff_client, activity_index, calligraphy, first_day)

    response = preview(staff_client, preview_on_add(activity_index), form)

    assert str(missing_year) in response.context["pending_years"]
    assert str(missing_year) in response.content.decode()


def test_a_preview_needs_the_right_to_edit_the_page(client, wanliu_staff, activity_index, calligraphy, first_day):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    other = client_for(wanliu_staff)
    response = other.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), {"mode": "dates"})
    assert refused(response) or response.status_code == 404


# Publishing


def test_staff_create_and_publish_a_weekly_class_and_are_told_of_the_clash(
    staff_client, activity_index, calligraphy, first_day
):
    clashing_day = first_day + dt.timedelta(days=7)
    booking = book(calligraphy, clashing_day)
    form = new_class_form(staff_client, activity_index, calligraphy, weekly(first_day))
    form["action-publish"] = ["action-publish"]

    response = staff_client.post(add_url(activity_index), form, follow=True)

    assert response.status_code == 200
    page = ActivityPage.objects.get(slug="calligraphy")
    assert page.live
    starts = [session.local_start for session in page.occurrences.order_by("start")]
    assert starts[0] == at(first_day, T15)
    assert {(start.weekday(), start.time()) for start in starts} == {(first_day.weekday(), T15)}
    clashing = list(page.occurrences.exclude(room_clash=""))
    assert [session.local_start.date() for session in clashing] == [clashing_day]
    html = response.content.decode()
    assert escape(clashing[0].room_clash) in html  # the message after publishing names it
    assert f"{reverse('activity_sessions:index')}?activity={page.pk}&amp;has_clash=true" in html
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CONFIRMED  # the resident keeps the room
    held = Reservation.objects.holding().filter(room=calligraphy, kind=Reservation.Kind.CLASS)
    assert held.count() == len(starts) - 1


def test_publishing_warns_when_the_holidays_of_a_year_the_sessions_reach_are_missing(
    staff_client, activity_index, calligraphy, first_day
):
    missing_year = unentered_year()
    form = every_day_form(staff_client, activity_index, calligraphy, first_day)
    form["action-publish"] = ["action-publish"]

    response = staff_client.post(add_url(activity_index), form, follow=True)

    page = ActivityPage.objects.get(slug="calligraphy")
    assert page.occurrences.filter(holiday_pending=True, start__year=missing_year).exists()
    warnings = [str(message) for message in response.context["messages"] if message.level == message_levels.WARNING]
    assert any(str(missing_year) in message for message in warnings)


def test_an_editor_cancels_one_session_through_the_page(staff_client, activity_index, calligraphy, first_day):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    day = first_day + dt.timedelta(days=7)
    session = page.occurrences.get(start=at(day, T15))
    hold = Reservation.objects.holding().get(kind=Reservation.Kind.CLASS, source_id=session.pk)
    form = page_form(staff_client, edit_url(page), page)
    append_form(form, "session_changes", {"date": day.isoformat(), "action": "cancel", "note": "老师生病"})
    form["action-publish"] = ["action-publish"]

    response = staff_client.post(edit_url(page), form)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.note) == ("cancelled", "老师生病")
    assert session.sequence == 1  # calendar apps pick the change up
    hold.refresh_from_db()
    assert not hold.is_holding  # the room is free for residents again
    assert page.occurrences.exclude(pk=session.pk).filter(status="cancelled").count() == 0


def test_a_cancellation_without_a_reason_is_sent_back(staff_client, activity_index, calligraphy, first_day):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    form = page_form(staff_client, edit_url(page), page)
    day = first_day + dt.timedelta(days=7)
    append_form(form, "session_changes", {"date": day.isoformat(), "action": "cancel", "note": ""})
    form["action-publish"] = ["action-publish"]

    response = staff_client.post(edit_url(page), form)

    assert response.status_code == 200
    assert page.occurrences.get(start=at(day, T15)).status == "scheduled"


# The Sessions listing


@pytest.fixture
def two_areas(xhy, activity_index, calligraphy, wanliu, first_day):
    """A class in 徐汇苑 for 10 people with two residents signed up (王秀英 and 李建国) and one who
    cancelled, and a class in 宛六."""
    xhy_page = publish_activity(
        activity_index,
        "书法班",
        "calligraphy",
        [weekly(first_day)],
        room=calligraphy,
        signup_required=True,
        capacity=10,
    )
    home = wanliu.site.root_page
    wl_index = ActivityIndexPage.objects.child_of(home).first() or home.add_child(
        instance=ActivityIndexPage(title="活动", slug="activities")
    )
    wl_page = publish_activity(wl_index, "宛六读书会", "reading-club", [weekly(first_day)], place="小区中心花园")
    session = xhy_page.occurrences.get(start=at(first_day, T15))
    signed_up = [
        resident(xhy, 1, last_name="王", first_name="秀英"),
        resident(xhy, 2, last_name="李", first_name="建国"),
    ]
    for person in signed_up:
        SignUp.objects.create(occurrence=session, resident=person)
    SignUp.objects.create(occurrence=session, resident=resident(xhy, 3), status=SignUp.Status.CANCELLED)
    return {"xhy": xhy_page, "wanliu": wl_page, "session": session, "signed_up": signed_up}


def listed_titles(response):
    return [session.activity.title for session in response.context["object_list"]]


def test_staff_see_only_their_own_areas_sessions(staff_client, two_areas):
    index = reverse("activity_sessions:index")
    response = staff_client.get(index, {"activity": two_areas["xhy"].pk})
    assert response.status_code == 200
    assert set(listed_titles(response)) == {"书法班"}
    assert "宛六读书会" not in staff_client.get(index).content.decode()

    theirs = two_areas["wanliu"].occurrences.first()
    assert staff_client.get(reverse("activity_sessions:inspect", args=[theirs.pk])).status_code == 404
    ours = two_areas["session"]
    assert staff_client.get(reverse("activity_sessions:inspect", args=[ours.pk])).status_code == 200


def test_the_sessions_listing_filters_by_activity_status_date_and_clash(staff_client, two_areas, calligraphy):
    page = two_areas["xhy"]
    index = reverse("activity_sessions:index")
    day = timezone.localtime(two_areas["session"].start).date()
    page.occurrences.filter(start=at(day + dt.timedelta(days=14), T15)).update(room_clash="书法室已被占用")
    page.occurrences.filter(start=at(day + dt.timedelta(days=21), T15)).update(status="cancelled", note="停电")
    mine = {"activity": page.pk}

    response = staff_client.get(index, {**mine, "date_from": day.isoformat(), "date_to": day.isoformat()})
    assert [s.local_start for s in response.context["object_list"]] == [at(day, T15)]
    response = staff_client.get(index, {**mine, "has_clash": "true"})
    assert [s.local_start for s in response.context["object_list"]] == [at(day + dt.timedelta(days=14), T15)]
    assert "书法室已被占用" in response.content.decode()
    response = staff_client.get(index, {**mine, "status": "cancelled"})
    assert [s.local_start for s in response.context["object_list"]] == [at(day + dt.timedelta(days=21), T15)]
    # Sign-ups are counted (active ones only), against the places there are.
    response = staff_client.get(index, {**mine, "date_from": day.isoformat(), "date_to": day.isoformat()})
    assert "2 / 10" in response.content.decode()


def test_the_sessions_listing_takes_a_fixed_number_of_queries(
    staff_client, two_areas, activity_index, calligraphy, first_day, django_assert_max_num_queries
):
    for number, hour in enumerate((8, 10, 17, 19)):
        publish_activity(
            activity_index,
            f"课程{number}",
            f"course-{number}",
            [weekly(first_day, weekdays=list(range(7)), start_time=dt.time(hour), end_time=dt.time(hour, 45))],
            room=calligraphy,
            signup_required=True,
        )
    with django_assert_max_num_queries(20):
        response = staff_client.get(reverse("activity_sessions:index"))
    assert len(response.context["object_list"]) == 30


def test_a_session_shows_who_signed_up_masked_and_logs_the_viewing(staff_client, xhy_staff, two_areas):
    session = two_areas["session"]

    response = staff_client.get(reverse("activity_sessions:inspect", args=[session.pk]))

    html = response.content.decode()
    for person in two_areas["signed_up"]:
        full_name = person.get_full_name()
        assert full_name[0] + "*" in html  # 王*英, 李*国
        assert full_name not in html
        assert person.phone[3:6] + "****" + person.phone[-4:] in html
        assert person.phone[3:] not in html
    entry = ModelLogEntry.objects.get(action="activities.signups.view")
    assert (entry.object_id, entry.user_id) == (str(session.pk), xhy_staff.pk)
    assert sorted(entry.data["signups"]) == sorted(session.signups.values_list("pk", flat=True))
    # Changing the session happens in the page's Schedule tab.
    assert f'href="{edit_url(two_areas["xhy"])}#tab-' in html


def test_supervisors_read_every_areas_sessions_and_change_nothing(supervisor_client, two_areas):
    response = supervisor_client.get(reverse("activity_sessions:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "书法班" in html and "宛六读书会" in html
    assert "宛六居民区" in html  # the area column

    session = two_areas["session"]
    response = supervisor_client.get(reverse("activity_sessions:inspect", args=[session.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "#tab-" not in html and edit_url(two_areas["xhy"]) not in html
    assert refused(supervisor_client.get(edit_url(two_areas["xhy"])))


def test_the_schedule_tab_link_opens_the_tab_with_the_single_session_changes(staff_client, two_areas):
    page = two_areas["xhy"]
    url = activity_admin.schedule_tab_url(page)
    tab = url.split("#", 1)[1]
    editor = staff_client.get(edit_url(page)).content.decode()
    start = editor.index(f'id="{tab}"')
    assert "session_changes-TOTAL_FORMS" in editor[start:]
    assert editor.index("session_changes-TOTAL_FORMS") > start


def test_the_next_dates_panel_shows_the_saved_schedules(rf, xhy_staff, activity_index, calligraphy, first_day):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    request = rf.get("/")
    request.user = xhy_staff
    with translation.override("zh-hans"):
        html = editor.next_dates_panel(request, page)
    assert all(part in html for part in in_chinese(first_day).split()) and "15:00–16:30" in html


def test_an_english_translation_previews_the_sessions_of_its_chinese_page(
    rf, xhy_staff, en_locale, activity_index, calligraphy, first_day
):
    page = publish_activity(activity_index, "书法班", "calligraphy", [weekly(first_day)], room=calligraphy)
    english = page.copy_for_translation(en_locale, copy_parents=True)
    english.title = "Calligraphy"
    english.schedules = []  # a translation's own schedules produce nothing
    request = rf.get("/")
    request.user = xhy_staff

    context = editor.next_dates(english)

    assert context["translation_of"].pk == page.pk
    assert context["rows"][0]["time"] == "15:00–16:30"
    assert "书法班" in editor.preview_dates(request, english).render().content.decode()


def test_the_page_editor_can_be_limited_to_the_rooms_of_the_pages_area(xhy_staff, xhy, activity_index):
    form_class = ActivityPage.get_edit_handler().get_form_class()
    form = form_class(instance=ActivityPage(), parent_page=activity_index, for_user=xhy_staff)

    editor.limit_rooms(form)

    assert set(form.fields["room"].queryset) == set(Room.objects.filter(area=xhy))


# Categories and permissions


def test_categories_are_read_by_staff_and_edited_by_superusers(staff_client, supervisor_client, admin_client):
    ActivityCategory.objects.get_or_create(slug="test-culture", defaults={"name": "测试文体"})
    listing = reverse("wagtailsnippets_activities_activitycategory:list")
    add = reverse("wagtailsnippets_activities_activitycategory:add")
    for client in (staff_client, supervisor_client):
        assert "测试文体" in client.get(listing).content.decode()
        assert refused(client.get(add))
    response = admin_client.post(add, {"name": "书画", "name_en": "Painting", "slug": "test-painting", "sort_order": 9})
    assert response.status_code == 302, response.context["form"].errors
    assert ActivityCategory.objects.filter(slug="test-painting").exists()


@pytest.mark.parametrize("app_label", ["activities", "staff", "services", "booking", "portal"])
def test_existing_areas_pick_up_what_each_app_grants(xhy, xhy_staff, app_label):
    """An upgrade that grants staff more (an app's AppConfig.staff_permissions) reaches the
    groups of areas set up before it."""
    group = xhy.staff_group
    group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))

    roles.refresh_areas()

    granted = set(group.permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True))
    assert granted == set(roles.declared("staff_permissions")[app_label])


def test_staff_and_supervisors_hold_what_the_apps_grant(xhy_staff, supervisor):
    staff = User.objects.get(pk=xhy_staff.pk)
    assert staff.has_perms(["activities.view_occurrence", "staff.add_staffmember", "staff.change_shift"])
    assert staff.has_perms(["services.change_servicetraining", "portal.view_holiday", "booking.change_room"])
    assert not staff.has_perm("activities.change_activitycategory")
    reader = User.objects.get(pk=supervisor.pk)
    assert reader.has_perms(["activities.view_occurrence", "activities.view_signup", "staff.view_shift"])
    assert reader.has_perms(["services.view_servicetraining", "portal.view_every_area", "portal.view_holiday"])
    assert not reader.has_perm("staff.change_scheduleweek")
    assert not reader.has_perm("booking.change_room")


def test_a_new_areas_staff_build_its_activities_section_in_the_admin(db, first_day):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="测试居民区", slug="ceshi"))
    area = Area.objects.create(
        name="测试居民区",
        slug="ceshi",
        subdistrict="枫林路街道",
        site=Site.objects.create(hostname="ceshi", root_page=home),
    )
    staff = User.objects.create_user("ceshi-staff", password="x", area=area)
    staff.groups.add(area.staff_group)
    client = client_for(staff)

    for app, model, slug in (
        ("staff", "staffschedulepage", "staff"),
        ("activities", "activityindexpage", "activities"),
    ):
        url = reverse("wagtailadmin_pages:add", args=[app, model, home.pk])
        form = page_form(client, url, page=HomePage(title="x"))
        form.update(title=[slug], slug=[slug], **{"action-publish": ["action-publish"]})
        assert client.post(url, form).status_code == 302, model
    index = ActivityIndexPage.objects.child_of(home).get()
    room = Room.objects.create(area=area, name="活动室", slug="room")
    form = new_class_form(client, index, room, weekly(first_day))
    form["action-publish"] = ["action-publish"]

    assert client.post(add_url(index), form).status_code == 302
    page = ActivityPage.objects.child_of(index).get()
    assert page.occurrences.filter(area=area, start=at(first_day, T15)).exists()
