"""Wagtail's site history report (Reports → 网站历史) lists what was done in the admin. Staff see
the entries of their own area's rooms, staff and sessions only; supervisors see every area's."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.log_actions import log

from booking.models import Room
from portal.models import User
from tests.factories import RoomFactory, StaffMemberFactory

REPORT = reverse("wagtailadmin_reports:site_history")
RESULTS = reverse("wagtailadmin_reports:site_history_results")


@pytest.fixture
def history(xhy, wanliu, xhy_staff, wanliu_staff, supervisor):
    """In each area (徐汇苑居民区, 宛六居民区), its staff account ("xhy-staff", "wl-staff")
    renames a room to "<area name>的阅览室" and a staff member to "<first two characters>新同事"
    (徐汇新同事, 宛六新同事), and the admin logs each edit; the subdistrict's "supervisor" reads."""
    for area, user in ((xhy, xhy_staff), (wanliu, wanliu_staff)):
        room = RoomFactory(area=area, name="阅览室")
        room.name = f"{area.name}的阅览室"
        room.save()
        log(room, "wagtail.edit", user=user)
        member = StaffMemberFactory(area=area, name="张晓燕")
        member.name = f"{area.name[:2]}新同事"
        member.save()
        log(member, "wagtail.edit", user=user)


def report_of(username, url=REPORT, **params):
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    response = client.get(url, params)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize("url", [REPORT, RESULTS], ids=["report", "results"])
def test_staff_see_only_their_own_areas_entries(history, url):
    mine = report_of("xhy-staff", url)
    assert "徐汇苑居民区的阅览室" in mine and "徐汇新同事" in mine
    assert "宛六" not in mine

    theirs = report_of("wl-staff", url)
    assert "宛六居民区的阅览室" in theirs and "宛六新同事" in theirs
    assert "徐汇苑居民区的阅览室" not in theirs and "徐汇新同事" not in theirs


def test_the_report_downloaded_as_csv_is_scoped_too(history):
    csv = report_of("wl-staff", export="csv")
    assert "宛六新同事" in csv and "徐汇新同事" not in csv


def test_supervisors_see_every_area(history):
    every = report_of("supervisor")
    for label in ("徐汇苑居民区的阅览室", "徐汇新同事", "宛六居民区的阅览室", "宛六新同事"):
        assert label in every


def test_what_was_deleted_stays_in_its_areas_history(history, wanliu):
    room = Room.objects.get(area=wanliu, name="宛六居民区的阅览室")
    log(room, "wagtail.delete", user=User.objects.get(username="wl-staff"))
    room.opening_hours.all().delete()
    room.delete()

    assert report_of("wl-staff").count("宛六居民区的阅览室") == 2  # edited, then deleted
    assert "宛六居民区的阅览室" not in report_of("xhy-staff")
    assert report_of("supervisor").count("宛六居民区的阅览室") == 2


@pytest.mark.parametrize("url", [REPORT, RESULTS], ids=["report", "results"])
def test_the_report_needs_the_admin(history, client, resident, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code in (302, 403) and "宛六" not in response.content.decode()
    client.force_login(User.objects.get(username="wl-staff"))
    assert "no-store" in client.get(url)["Cache-Control"]
