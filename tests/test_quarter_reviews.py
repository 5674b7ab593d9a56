"""Each staff member's quarter side by side (outreach/reviews.py): what they recorded, the
suggestions they answered on time, residents' ratings, what a spot check found; the lead's
review against it; the supervisor's comparison of areas; and handing a departing member's open
work to a colleague, their account closed and signed out everywhere."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach import reviews, suggestions
from outreach.models import QuarterReview, SpotCheck, SpotCheckItem, SuggestionCategory, Visit
from portal.dates import Quarter
from portal.localtime import at, local_day
from portal.refusals import Refused
from tests.factories import ReceptionCaseFactory, VisitFactory
from tests.helpers import client_for

QUARTER_PAGE = reverse("outreach_records:quarter")


@pytest.fixture
def last_quarter():
    return Quarter.of(local_day(timezone.now())).previous


@pytest.fixture
def lead(xhy_lead):
    return xhy_lead


@pytest.fixture
def colleague(xhy_colleague):
    return xhy_colleague


def in_quarter(quarter, day=10, hour=10):
    return at(quarter.first + dt.timedelta(days=day), dt.time(hour))


@pytest.fixture
def quarter_of_work(last_quarter, xhy_staff, colleague, resident):
    """Last quarter: xhy-staff made 3 visits (2 rated satisfied, 1 unsatisfied) and 2 reception
    cases, answered one suggestion on time; a spot check found a problem with one of their visits.
    The colleague made 1 visit. One visit falls in this quarter and is not counted."""
    when = in_quarter(last_quarter)
    visits = [
        VisitFactory(staff=xhy_staff, at=when, rating="satisfied", rated_at=when),
        VisitFactory(staff=xhy_staff, at=when, rating="satisfied", rated_at=when),
        VisitFactory(staff=xhy_staff, at=when, rating="unsatisfied", rated_at=when),
    ]
    ReceptionCaseFactory.create_batch(2, staff=xhy_staff, at=when)
    VisitFactory(staff=colleague, at=when)
    VisitFactory(staff=xhy_staff, at=timezone.now())
    parking = SuggestionCategory.objects.get(slug="parking")
    suggestion = suggestions.submit(
        area=xhy_staff.area, category=parking, text="车棚", resident=resident, now=in_quarter(last_quarter, day=1)
    )
    suggestions.accept(suggestion, xhy_staff, now=in_quarter(last_quarter, day=2))
    suggestions.answer(suggestion, xhy_staff, "已划线", now=in_quarter(last_quarter, day=3))
    check = SpotCheck.objects.create(area=xhy_staff.area, quarter=str(last_quarter), seed=7)
    SpotCheckItem.objects.create(
        spot_check=check, staff=xhy_staff, visit=visits[0], verdict="problem", finding="户主称未走访"
    )
    return visits


def test_the_quarter_counts_each_staff_members_work_side_by_side(xhy, last_quarter, quarter_of_work, xhy_staff):
    rows = {row.staff.username: row for row in reviews.staff_quarters(xhy, last_quarter)}

    mine = rows["xhy-staff"]
    assert (mine.visits, mine.cases, mine.handled, mine.on_time) == (3, 2, 1, 1)
    assert (mine.satisfied, mine.rated) == (2, 3)
    assert mine.checked == {"problem": 1}
    assert rows["xhy-colleague"].visits == 1


def test_the_quarter_page_costs_the_same_queries_however_many_records(
    xhy, last_quarter, quarter_of_work, lead, xhy_staff, django_assert_num_queries
):
    """One grouped query per kind of record: 40 more visits add no query."""
    client = client_for(lead)
    url = f"{QUARTER_PAGE}?quarter={last_quarter}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    VisitFactory.create_batch(40, staff=xhy_staff, at=in_quarter(last_quarter))

    with django_assert_num_queries(len(few)):
        response = client.get(url)

    assert {row.staff.username: row.visits for row in response.context["rows"]}["xhy-staff"] == 43


def test_the_lead_reviews_a_quarter_and_staff_see_only_their_own_row(
    xhy, last_quarter, quarter_of_work, lead, xhy_staff, colleague
):
    response = client_for(lead).post(
        QUARTER_PAGE,
        {"quarter": str(last_quarter), "staff": xhy_staff.pk, "verdict": "praise", "note": "走访扎实，居民满意"},
    )
    staff_page = client_for(colleague).get(f"{QUARTER_PAGE}?quarter={last_quarter}").content.decode()

    assert response.status_code == 302
    review = QuarterReview.objects.get()
    assert (review.staff, review.verdict, review.quarter, review.by) == (xhy_staff, "praise", str(last_quarter), lead)
    assert "走访扎实" not in staff_page and "顾文静" not in staff_page
    assert "李红" in staff_page


def test_only_the_lead_reviews_and_never_without_a_note(xhy, last_quarter, xhy_staff, colleague, lead, wanliu_staff):
    with pytest.raises(Refused):
        reviews.review(xhy, xhy_staff, last_quarter, "urge", "不够积极", colleague)
    with pytest.raises(Refused) as refusal:
        reviews.review(xhy, xhy_staff, last_quarter, "urge", "  ", lead)
    with pytest.raises(Refused):
        reviews.review(xhy, wanliu_staff, last_quarter, "urge", "不够积极", lead)
    response = client_for(lead).post(
        QUARTER_PAGE, {"quarter": str(last_quarter), "staff": xhy_staff.pk, "verdict": "urge"}
    )

    assert "note" in refusal.value.errors
    assert response.status_code == 400
    assert not QuarterReview.objects.exists()


def test_the_supervisor_compares_areas_and_staff_cannot(xhy, wanliu, last_quarter, quarter_of_work, supervisor, lead):
    page = client_for(supervisor).get(f"{reverse('outreach_records:areas')}?quarter={last_quarter}")
    refused = client_for(lead).get(reverse("outreach_records:areas"))

    rows = {row.area.slug: row for row in page.context["rows"]}
    assert (rows["xuhuiyuan"].visits, rows["xuhuiyuan"].problems) == (4, 1)
    assert rows["wanliu"].visits == 0
    assert refused.status_code == 302 and "宛六" not in refused.content.decode()


def test_a_departing_members_open_work_goes_to_a_colleague_and_their_account_closes(
    xhy, xhy_staff, colleague, lead, resident
):
    parking = SuggestionCategory.objects.get(slug="parking")
    open_one = suggestions.accept(
        suggestions.submit(area=xhy, category=parking, text="车棚", resident=resident), xhy_staff
    )
    done = suggestions.answer(
        suggestions.accept(suggestions.submit(area=xhy, category=parking, text="路灯", resident=resident), xhy_staff),
        xhy_staff,
        "已修",
    )
    follow_up = VisitFactory(staff=xhy_staff, follow_up="下周复查扶手", follow_up_by=xhy_staff)
    departing = client_for(xhy_staff)
    assert departing.get(reverse("outreach_records:index")).status_code == 200

    response = client_for(lead).post(
        QUARTER_PAGE, {"action": "hand_over", "departing": xhy_staff.pk, "successor": colleague.pk}
    )

    assert response.status_code == 302
    open_one.refresh_from_db(), done.refresh_from_db(), follow_up.refresh_from_db(), xhy_staff.refresh_from_db()
    assert open_one.handler == colleague and done.handler == xhy_staff
    assert follow_up.follow_up_by == colleague and follow_up.staff == xhy_staff  # who visited stays on record
    assert not xhy_staff.is_active and not xhy_staff.groups.exists()
    assert departing.get(reverse("outreach_records:index")).status_code == 302  # signed out
    assert Visit.objects.filter(staff=xhy_staff).count() == 1


def test_only_the_lead_hands_work_over(xhy, xhy_staff, colleague):
    with pytest.raises(Refused):
        reviews.hand_over(xhy_staff, colleague, colleague)
    response = client_for(colleague).post(
        QUARTER_PAGE, {"action": "hand_over", "departing": xhy_staff.pk, "successor": colleague.pk}
    )

    xhy_staff.refresh_from_db()
    assert xhy_staff.is_active
    assert response.status_code in (302, 400, 403)


def test_a_review_names_a_member_of_the_staff_never_a_resident(xhy, last_quarter, lead, resident):
    with pytest.raises(Refused):
        reviews.review(xhy, resident, last_quarter, "praise", "很好", lead)
    for staff in (resident.pk, "abc", "", "99999999999999999999"):
        response = client_for(lead).post(
            QUARTER_PAGE, {"quarter": str(last_quarter), "staff": staff, "verdict": "praise", "note": "很好"}
        )
        assert response.status_code == 400
    assert not QuarterReview.objects.exists()
