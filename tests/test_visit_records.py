"""The visit diary and reception log (outreach/records.py, outreach/record_admin.py): a staff member
records a home visit on a phone from today's published shift, a sensitive detail is kept only with
consent and shown only to who recorded it and the lead, every opening is logged, and nobody of
another area, no resident and nobody signed out reaches a record."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach import records, reviews, suggestions
from outreach.models import ReceptionCase, RecordAccess, Suggestion, SuggestionCategory, Visit
from portal.localtime import at, local_day
from portal.models import Building
from portal.refusals import Refused
from staff.models import Duty, ScheduleWeek, Shift
from tests.factories import (
    ReceptionCaseFactory,
    ResidentFactory,
    StaffMemberFactory,
    VisitFactory,
)
from tests.helpers import client_for

Access = RecordAccess.Action
NEW_VISIT = reverse("outreach_records:add", args=["visit"])


def detail_url(record):
    kind = "visit" if isinstance(record, Visit) else "case"
    return reverse("outreach_records:detail", args=[kind, record.pk])


@pytest.fixture
def lead(xhy_lead):
    return xhy_lead


@pytest.fixture
def colleague(xhy_colleague):
    return xhy_colleague


@pytest.fixture
def building_5(xhy):
    return Building.objects.of_area(xhy).get(name="5号楼")


@pytest.fixture
def todays_shift(xhy, xhy_staff, building_5):
    """xhy-staff's published home visits in 5号楼 today, 14:00–16:00."""
    member = StaffMemberFactory(area=xhy, name="顾文静", account=xhy_staff)
    today = local_day(timezone.now())
    week = ScheduleWeek.objects.create(
        area=xhy, monday=today - dt.timedelta(days=today.weekday()), published_at=timezone.now()
    )
    return Shift.objects.create(
        week=week,
        staff=member,
        duty=Duty.HOME_VISITS,
        building_from=building_5,
        start=at(today, dt.time(14)),
        end=at(today, dt.time(16)),
    )


def visit_post(**changes):
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "room_number": "301室",
        "household_name": "王秀英",
        "household_phone": "13812345678",
        "at": now.strftime("%Y-%m-%dT%H:%M"),
        "minutes": "25",
        "purpose": "care",
        "found": "独居老人，腿脚不便，希望楼道加装扶手。",
        "follow_up": "下周再来看看扶手的事",
    }
    return {**data, **changes}


def test_the_form_opens_with_todays_home_visits_and_fills_in_the_building(xhy_staff, todays_shift, building_5):
    response = client_for(xhy_staff).get(NEW_VISIT)

    html = response.content.decode()
    assert response.status_code == 200
    assert "14:00–16:00 5号楼" in html
    assert f'<option value="{building_5.pk}" selected>5号楼</option>' in html
    assert 'data-keep="visit-new-' in html  # the browser keeps what is typed until it is sent


def test_a_visit_is_recorded_in_one_post_and_the_browsers_copy_is_dropped(xhy_staff, todays_shift, building_5):
    client = client_for(xhy_staff)

    response = client.post(NEW_VISIT, {**visit_post(building=building_5.pk), "shift": todays_shift.pk})

    visit = Visit.objects.get()
    assert (visit.staff, visit.area, visit.building, visit.shift) == (
        xhy_staff,
        xhy_staff.area,
        building_5,
        todays_shift,
    )
    assert visit.follow_up_by == xhy_staff
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'data-kept-sent="visit-new-{xhy_staff.pk}"' in page
    assert "希望楼道加装扶手" in page


def test_sensitive_details_need_consent_and_what_was_typed_is_kept(xhy_staff, building_5):
    client = client_for(xhy_staff)

    response = client.post(NEW_VISIT, visit_post(building=building_5.pk, sensitive="高血压，独自服药"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "高血压，独自服药" in html and "希望楼道加装扶手" in html
    assert not Visit.objects.exists()

    client.post(NEW_VISIT, visit_post(building=building_5.pk, sensitive="高血压，独自服药", sensitive_consent="on"))
    assert Visit.objects.get().sensitive_consent_at is not None


def test_the_sensitive_field_is_shown_to_who_recorded_it_and_the_lead_only_and_each_showing_is_logged(
    xhy_staff, lead, colleague, supervisor
):
    visit = VisitFactory(staff=xhy_staff, sensitive="糖尿病，需定期复诊", sensitive_consent_at=timezone.now())

    for user in (xhy_staff, lead):
        assert "糖尿病" in client_for(user).get(detail_url(visit)).content.decode()
    supervisor_page = client_for(supervisor).get(detail_url(visit)).content.decode()
    assert "糖尿病" not in supervisor_page
    assert client_for(colleague).get(detail_url(visit)).status_code == 404

    shown = RecordAccess.objects.filter(visit=visit, action=Access.SENSITIVE)
    assert sorted(shown.values_list("by__username", flat=True)) == ["xhy-lead", "xhy-staff"]
    opened = RecordAccess.objects.filter(visit=visit, action=Access.VIEWED)
    assert sorted(opened.values_list("by__username", flat=True)) == ["supervisor", "xhy-lead", "xhy-staff"]


def test_a_supervisor_reads_every_area_masked_and_changes_nothing(xhy_staff, wanliu_staff, supervisor):
    visit = VisitFactory(staff=xhy_staff, household_name="王秀英", household_phone="13812345678", room_number="301室")
    VisitFactory(staff=wanliu_staff)
    client = client_for(supervisor)

    page = client.get(detail_url(visit)).content.decode()
    listing = client.get(reverse("outreach_records:index")).content.decode()

    assert "王*英" in page and "138****5678" in page
    assert "王秀英" not in page and "13812345678" not in page and "301室" not in page
    assert listing.count("/admin/records/visit/") == 2
    client.post(reverse("outreach_records:edit", args=["visit", visit.pk]), visit_post(found="改过"))
    visit.refresh_from_db()
    assert visit.found != "改过"


def test_staff_read_their_own_records_and_the_lead_the_areas(xhy_staff, colleague, lead):
    mine = VisitFactory(staff=xhy_staff, found="我的走访记录")
    theirs = VisitFactory(staff=colleague, found="同事的走访记录")

    own_list = client_for(xhy_staff).get(reverse("outreach_records:index")).content.decode()
    lead_list = client_for(lead).get(reverse("outreach_records:index")).content.decode()

    assert detail_url(mine) in own_list and detail_url(theirs) not in own_list
    assert detail_url(mine) in lead_list and detail_url(theirs) in lead_list
    assert client_for(xhy_staff).get(detail_url(theirs)).status_code == 404


@pytest.mark.parametrize("who", ["wanliu_staff", "resident", "anonymous"])
def test_nobody_outside_the_area_staff_reaches_a_record(request, who, xhy_staff):
    visit = VisitFactory(staff=xhy_staff, found="只给本居委会看的记录", household_name="王秀英")
    case = ReceptionCase.objects.create(
        area=xhy_staff.area, staff=xhy_staff, household_name="李桂兰", note="咨询居住证", minutes=10
    )
    request.getfixturevalue("wanliu")
    client = client_for(request.getfixturevalue(who)) if who != "anonymous" else request.getfixturevalue("client")

    lists = [reverse("outreach_records:index"), reverse("outreach_records:index") + "?kind=case", NEW_VISIT]
    rows = [detail_url(visit), detail_url(case), reverse("outreach_records:edit", args=["visit", visit.pk])]
    for url in lists + rows:
        response = client.get(url)
        assert url in lists or response.status_code in (302, 403, 404), url
        text = response.content.decode()
        assert "只给本居委会看的记录" not in text and "王秀英" not in text and "李桂兰" not in text
    assert not RecordAccess.objects.exists()


def test_a_record_of_another_areas_building_or_resident_is_refused(xhy_staff, wanliu):
    other_building = Building.objects.of_area(wanliu).first()
    stranger = ResidentFactory(area=wanliu, phone="+8613900000099")

    with pytest.raises(Refused) as refusal:
        records.save_visit(Visit(building=other_building, resident=stranger, found="x", minutes=10), xhy_staff)

    assert set(refusal.value.errors) == {"building", "resident"}
    assert not Visit.objects.exists()


def test_a_record_cannot_be_dated_in_the_future_or_last_a_day(xhy_staff, building_5):
    tomorrow = timezone.localtime() + dt.timedelta(days=1)

    response = client_for(xhy_staff).post(
        NEW_VISIT, visit_post(building=building_5.pk, at=tomorrow.strftime("%Y-%m-%dT%H:%M"), minutes="9999")
    )

    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_the_dashboard_shows_todays_home_visits_and_what_is_recorded(xhy_staff, todays_shift):
    VisitFactory(staff=xhy_staff)
    VisitFactory(staff=xhy_staff, at=timezone.now() - dt.timedelta(days=1))

    html = client_for(xhy_staff).get(reverse("wagtailadmin_home")).content.decode()

    assert "14:00–16:00 5号楼" in html
    assert "今日已登记入户走访：1次。" in html and "今日已登记接待：0次。" in html


def test_a_resident_with_an_account_is_texted_to_rate_the_visit(
    xhy_staff, resident, building_5, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(xhy_staff).post(NEW_VISIT, visit_post(building=building_5.pk, resident_phone="13900000001"))
        client_for(xhy_staff).post(NEW_VISIT, visit_post(building=building_5.pk))

    assert [message.phone for message in sms_outbox] == [resident.phone]


def test_a_visit_can_file_a_suggestion_for_the_household(xhy_staff, resident, building_5):
    parking = SuggestionCategory.objects.get(slug="parking")

    client_for(xhy_staff).post(
        NEW_VISIT,
        visit_post(building=building_5.pk, resident_phone="13900000001", new_suggestion=parking.pk),
    )

    visit = Visit.objects.get()
    suggestion = Suggestion.objects.get()
    assert visit.suggestion == suggestion and visit.resident == resident
    assert (suggestion.channel, suggestion.resident, suggestion.recorded_by) == ("visit", resident, xhy_staff)


def test_a_reception_case_names_one_of_the_services(xhy_staff):
    response = client_for(xhy_staff).post(
        reverse("outreach_records:add", args=["case"]),
        {
            "outcome": "missing",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "minutes": "12",
            "note": "办理居住证，缺房屋租赁合同",
        },
    )

    assert response.status_code == 302
    case = ReceptionCase.objects.get()
    assert (case.outcome, case.minutes, case.staff) == ("missing", 12, xhy_staff)


def test_the_resident_rates_their_visit_once_and_staff_record_a_callback_rating(xhy_staff, resident, client):
    rated_online = VisitFactory(staff=xhy_staff, resident=resident)
    by_phone = VisitFactory(staff=xhy_staff)
    someone_else = VisitFactory(staff=xhy_staff, resident=ResidentFactory(area=resident.area, phone="+8613900000077"))
    own = client_for(resident)
    rate = reverse("outreach:rate_record", args=["visit", rated_online.pk])

    page = own.get(reverse("outreach:my_visits")).content.decode()
    own.post(rate, {f"visit-{rated_online.pk}-rating": "satisfied"})
    own.post(rate, {f"visit-{rated_online.pk}-rating": "unsatisfied"})
    other = own.post(
        reverse("outreach:rate_record", args=["visit", someone_else.pk]), {f"visit-{someone_else.pk}-rating": "fair"}
    )
    client_for(xhy_staff).post(detail_url(by_phone), {"rating": "fair", "comment": "电话回访：满意"})

    assert rate in page
    assert reverse("outreach:rate_record", args=["visit", someone_else.pk]) not in page
    rated_online.refresh_from_db(), by_phone.refresh_from_db(), someone_else.refresh_from_db()
    assert (rated_online.rating, rated_online.rated_on_callback) == ("satisfied", False)
    assert (by_phone.rating, by_phone.rated_on_callback) == ("fair", True)
    assert other.status_code == 404 and someone_else.rating == ""


@pytest.mark.parametrize("kind", ["visit", "case"])
def test_the_lists_cost_the_same_queries_for_2_records_as_for_30(kind, lead, xhy_staff, colleague):
    factory = VisitFactory if kind == "visit" else ReceptionCaseFactory
    client = client_for(lead)
    url = f"{reverse('outreach_records:index')}?kind={kind}"
    factory.create_batch(2, staff=xhy_staff, resident=ResidentFactory(area=xhy_staff.area, phone="+8613900000054"))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    factory.create_batch(14, staff=xhy_staff, resident=ResidentFactory(area=xhy_staff.area, phone="+8613900000055"))
    factory.create_batch(14, staff=colleague)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["rows"]) == 30
    assert len(many) == len(few)


def test_a_visit_is_rated_within_a_month_of_it(xhy_staff, resident, clock):
    visit = VisitFactory(staff=xhy_staff, resident=resident)
    clock.shift(dt.timedelta(days=31))
    page = client_for(resident).get(reverse("outreach:my_visits")).content.decode()

    with pytest.raises(Refused):
        records.rate(visit, resident, "satisfied")
    assert reverse("outreach:rate_record", args=["visit", visit.pk]) not in page


def test_a_supervisor_reads_staffs_notes_with_numbers_rooms_and_names_masked(xhy_staff, supervisor):
    visit = VisitFactory(
        staff=xhy_staff,
        household_name="王秀英",
        household_phone="64381234",
        found="王秀英独居，301室，女儿电话13912345678",
    )

    page = client_for(supervisor).get(detail_url(visit)).content.decode()

    assert "王*英" in page and "139****5678" in page and "****1234" in page
    assert "13912345678" not in page and "301室" not in page and "64381234" not in page and "王秀英" not in page


def test_the_lead_changes_a_record_of_a_colleague_who_has_left(xhy, xhy_staff, lead, colleague):
    visit = VisitFactory(staff=xhy_staff, found="原记录")
    reviews.hand_over(xhy_staff, colleague, lead)

    visit.found = "负责人更正后的记录"
    records.save_visit(visit, lead)

    visit.refresh_from_db()
    assert (visit.found, visit.staff, visit.area) == ("负责人更正后的记录", xhy_staff, xhy)


def test_a_handed_over_follow_up_is_read_and_seen_through_by_the_colleague(xhy, xhy_staff, lead, colleague):
    visit = VisitFactory(staff=xhy_staff, follow_up="下周复查扶手", follow_up_by=xhy_staff)
    reviews.hand_over(xhy_staff, colleague, lead)
    client = client_for(colleague)

    page = client.get(detail_url(visit)).content.decode()
    client.post(detail_url(visit), {"action": "follow_up_done"})

    assert "下周复查扶手" in page and "糖尿病" not in page
    visit.refresh_from_db()
    assert visit.follow_up_done_at is not None


def test_a_visit_and_the_suggestion_it_files_are_saved_together_or_not_at_all(xhy_staff, building_5, monkeypatch):
    def refuse(**kwargs):
        raise Refused("不行", {"text": ["不行"]})

    monkeypatch.setattr(suggestions, "submit", refuse)
    parking = SuggestionCategory.objects.get(slug="parking")

    response = client_for(xhy_staff).post(NEW_VISIT, visit_post(building=building_5.pk, new_suggestion=parking.pk))

    assert response.status_code == 400 and "希望楼道加装扶手" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_resident_is_texted_to_rate_once_a_day(
    xhy_staff, resident, building_5, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _number in range(3):
            client_for(xhy_staff).post(NEW_VISIT, visit_post(building=building_5.pk, resident_phone="13900000001"))

    assert Visit.objects.count() == 3
    assert len(sms_outbox) == 1


@pytest.mark.parametrize("quarter", ["0000Q1", "9999Q4", "2026Q9", "abc"])
def test_any_quarter_typed_in_the_address_gets_a_page(quarter, lead):
    client = client_for(lead)
    for url in ("outreach_records:index", "outreach_records:quarter"):
        assert client.get(f"{reverse(url)}?quarter={quarter}").status_code == 200


def test_a_staff_member_is_linked_only_to_an_account_of_the_areas_staff(xhy, xhy_staff, resident, wanliu_staff):
    member = StaffMemberFactory(area=xhy, name="顾文静")

    form = client_for(xhy_staff).get(f"/admin/staff/members/edit/{member.pk}/").context["form"]

    offered = set(form.fields["account"].queryset)
    assert xhy_staff in offered and resident not in offered and wanliu_staff not in offered


def test_a_suggestions_page_lists_the_visits_about_it_that_the_reader_may_open(xhy_staff, colleague, resident):
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(area=xhy_staff.area, category=parking, text="车棚", resident=resident)
    visit = VisitFactory(staff=xhy_staff, suggestion=suggestion)
    url = reverse("suggestions:inspect", args=[suggestion.pk])

    assert detail_url(visit) in client_for(xhy_staff).get(url).content.decode()
    assert detail_url(visit) not in client_for(colleague).get(url).content.decode()
