"""The 全科 training matrix in the admin: each area's staff record who is trained on which of the
15 services and when, see who still needs training, and never see or touch another area's
staff; supervisors read every area's matrix; residents get nothing."""

import datetime as dt
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from services.models import ServiceLibraryPage, ServiceTheme, ServiceTraining
from services.wagtail_hooks import ServiceTrainingViewSet
from staff.models import StaffMember
from tests import test_service_guides as guide_tests
from tests.factories import StaffMemberFactory
from tests.helpers import client_for, refused

make_guide = guide_tests.make_guide

STAFF_COUNT = 16
MATRIX = reverse("service_training:index")


@pytest.fixture
def library(db):
    """The subdistrict's guide library, outside every area's site."""
    return Page.get_first_root_node().add_child(
        instance=ServiceLibraryPage(title="枫林路街道办事指南", slug="service-guides")
    )


@pytest.fixture
def services(library):
    """Fifteen services, three per theme, in the library's order."""
    themes = list(ServiceTheme)
    return [
        make_guide(library, f"service-{number:02d}", f"服务{number:02d}", themes[(number - 1) // 3])
        for number in range(1, 16)
    ]


@pytest.fixture
def staff(xhy, wanliu, xhy_staff, services):
    """Sixteen active staff of 徐汇苑 (the first trained on the first two services), one who left,
    and two staff of 宛六 (one trained on the first service); xhy-staff keeps 徐汇苑's matrix."""
    ours = [
        StaffMemberFactory(area=xhy, name=f"徐员工{number:02d}", sort_order=number)
        for number in range(1, STAFF_COUNT + 1)
    ]
    StaffMemberFactory(area=xhy, name="已离职的人", active=False)
    theirs = [StaffMemberFactory(area=wanliu, name=f"宛员工{number}") for number in (1, 2)]
    ServiceTraining.objects.create(staff_member=ours[0], service=services[0], trained_on=dt.date(2025, 3, 5))
    ServiceTraining.objects.create(staff_member=ours[0], service=services[1], trained_on=dt.date(2025, 4, 1))
    ServiceTraining.objects.create(staff_member=theirs[0], service=services[0], trained_on=dt.date(2025, 5, 6))
    return ours


def cell(member, service):
    return f"trained-{member.pk}-{service.pk}"


def trained_on(member, service):
    training = ServiceTraining.objects.filter(staff_member=member, service=service).first()
    return training.trained_on if training else None


def form_of(response):
    return dict(querydict_from_html(response.content.decode(), form_id="training-form").items())


def test_staff_see_their_own_areas_matrix(staff, services, wanliu, django_assert_max_num_queries):
    client = client_for("xhy-staff", HTTP_HOST="localhost")
    client.get(MATRIX)
    # About 16: the session, permissions and menu of the admin, the area, staff, services and dates.
    with django_assert_max_num_queries(20):
        response = client.get(MATRIX)
    assert response.status_code == 200
    html = response.content.decode()
    for member in staff:
        assert member.name in html
    assert "宛员工" not in html and "已离职的人" not in html
    header = re.search(r"<thead>.*?</thead>", html, re.DOTALL).group(0)
    assert [title for title in re.findall(r'<th scope="col">(服务\d\d)</th>', header)] == [s.title for s in services]
    assert [label for label in re.findall(r'<th scope="colgroup" colspan="3">([^<]+)</th>', header)] == [
        str(theme.label) for theme in ServiceTheme
    ]
    # Each cell: the last training date, or marked as needing training.
    first = re.search(rf'<input [^>]*name="{cell(staff[0], services[0])}"[^>]*>', html).group(0)
    assert 'value="2025-03-05"' in first
    needs = gettext("Needs training")
    assert html.count(f'<span class="training-needed">{needs}</span>') == STAFF_COUNT * 15 - 2
    summary = html[html.index(gettext("Who still needs training")) :]
    first_service = re.search(r"<li><strong>服务01</strong>.*?</li>", summary, re.DOTALL).group(0)
    assert "徐员工01" not in first_service and "徐员工02" in first_service and "徐员工16" in first_service

    assert client.get(MATRIX, {"area": wanliu.pk}).status_code == 404


def test_staff_record_training_dates(staff, services, xhy_staff):
    client = client_for("xhy-staff", HTTP_HOST="localhost")
    data = form_of(client.get(MATRIX))
    data[cell(staff[1], services[0])] = "2025年6月1日"  # new, typed the Chinese way
    data[cell(staff[0], services[0])] = "2025/7/2"  # a later training
    data[cell(staff[0], services[1])] = ""  # entered by mistake

    response = client.post(MATRIX, data)

    assert response.status_code == 302
    assert trained_on(staff[1], services[0]) == dt.date(2025, 6, 1)
    assert trained_on(staff[0], services[0]) == dt.date(2025, 7, 2)
    assert trained_on(staff[0], services[1]) is None
    assert ServiceTraining.objects.filter(staff_member__area__slug="xuhuiyuan").count() == 2
    after = client.get(response["Location"]).content.decode()
    assert 'value="2025-06-01"' in after
    assert ngettext("%(count)s training date saved.", "%(count)s training dates saved.", 3) % {"count": 3} in after
    # Each change is in the staff member's history, with who made it.
    history = client.get(reverse("staff_members:history", args=[staff[0].pk])).content.decode()
    history = history[history.index('id="listing-results"') :]
    assert gettext("Trained on %(service)s on %(date)s") % {"service": "服务01", "date": "2025-07-02"} in history
    assert gettext("Needs training on %(service)s again") % {"service": "服务02"} in history
    who = xhy_staff.get_full_name()  # the admin names xhy-staff by their name, 顾文静
    assert who and history.count(who) == 2
    newcomer = client.get(reverse("staff_members:history", args=[staff[1].pk])).content.decode()
    assert gettext("Trained on %(service)s on %(date)s") % {"service": "服务01", "date": "2025-06-01"} in newcomer


def test_a_bad_date_comes_back_as_typed_and_nothing_is_saved(staff, services):
    client = client_for("xhy-staff", HTTP_HOST="localhost")
    data = form_of(client.get(MATRIX))
    data[cell(staff[2], services[0])] = "2025-06-01"
    data[cell(staff[3], services[4])] = "2025-02-30"
    data[cell(staff[4], services[5])] = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    response = client.post(MATRIX, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'<input [^>]*name="{cell(staff[3], services[4])}"[^>]*value="2025-02-30"', html)
    assert gettext("Write the date like 2026-03-05 or 2026年3月5日.") in html
    assert gettext("A training date cannot be in the future.") in html
    assert f'href="#id_{cell(staff[3], services[4])}"' in html  # the summary leads to the cell
    assert trained_on(staff[2], services[0]) is None  # the good date waits for the bad one
    assert ServiceTraining.objects.filter(staff_member__area__slug="xuhuiyuan").count() == 2


def test_colleagues_saving_at_once_keep_each_others_dates(staff, services):
    mine, colleagues = client_for("xhy-staff", HTTP_HOST="localhost"), client_for("xhy-staff", HTTP_HOST="localhost")
    my_form = form_of(mine.get(MATRIX))
    their_form = form_of(colleagues.get(MATRIX))
    their_form[cell(staff[5], services[5])] = "2025-08-08"
    assert colleagues.post(MATRIX, their_form).status_code == 302

    my_form[cell(staff[6], services[6])] = "2025-09-09"
    assert mine.post(MATRIX, my_form).status_code == 302

    assert trained_on(staff[5], services[5]) == dt.date(2025, 8, 8)
    assert trained_on(staff[6], services[6]) == dt.date(2025, 9, 9)


def test_staff_cannot_write_into_another_area(staff, services, wanliu):
    client = client_for("xhy-staff", HTTP_HOST="localhost")
    theirs = StaffMember.objects.filter(area=wanliu).first()
    data = form_of(client.get(MATRIX))
    assert client.post(MATRIX, {**data, "area": wanliu.pk}).status_code == 404
    client.post(MATRIX, {**data, cell(theirs, services[3]): "2025-01-01"})
    assert trained_on(theirs, services[3]) is None


def test_supervisors_read_every_area_and_change_nothing(staff, services, wanliu, supervisor):
    client = client_for(supervisor, HTTP_HOST="localhost")
    response = client.get(MATRIX, {"area": wanliu.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "宛员工1" in html and "宛员工2" in html and "徐员工01" not in html
    assert "2025-05-06" in html
    assert 'name="trained-' not in html and 'id="training-form"' not in html
    picker = re.search(r'<select name="area">.*?</select>', html, re.DOTALL).group(0)
    assert "徐汇苑居民区" in picker and re.search(rf'<option value="{wanliu.pk}" selected>宛六居民区', picker)
    assert "徐员工01" in client.get(MATRIX, {"area": staff[0].area_id}).content.decode()

    theirs = StaffMember.objects.filter(area=wanliu).last()
    response = client.post(MATRIX, {"area": wanliu.pk, cell(theirs, services[0]): "2025-01-01"})
    assert refused(response)
    assert trained_on(theirs, services[0]) is None


def test_residents_and_visitors_get_no_matrix(staff, services, resident):
    client = Client(HTTP_HOST="localhost")
    anonymous = client.get(MATRIX)
    assert anonymous.status_code == 302 and reverse("wagtailadmin_login") in anonymous["Location"]
    client.force_login(resident)
    response = client.get(MATRIX)
    assert response.status_code in (302, 403)
    assert "徐员工01" not in response.content.decode()
    assert client.post(MATRIX, {cell(staff[1], services[0]): "2025-01-01"}).status_code in (302, 403)
    assert trained_on(staff[1], services[0]) is None


def test_the_menu_item_is_shown_to_those_who_read_the_matrix(staff, supervisor, xhy_staff, resident):
    item = ServiceTrainingViewSet().get_menu_item()
    assert item.url == MATRIX

    def shown(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return item.is_shown(request)

    assert shown(xhy_staff)
    assert shown(supervisor)
    assert not shown(resident)
