"""Each area's list of buildings (portal/buildings.py): what residents type is matched to it, home
visits are published by it, and the data from before the list is matched by migrations."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client

from portal.buildings import building_number, run_numbers
from portal.localtime import at
from portal.models import Building, User
from staff.models import Duty, DutyRota, ScheduleWeek, Shift, StaffMember


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("5号楼", 5),
        ("5幢", 5),
        ("5栋", 5),
        ("五号楼", 5),
        ("十二栋", 12),
        ("二十号楼", 20),
        ("5号楼301", None),
        ("东门", None),
    ],
)
def test_a_typed_building_is_read_as_its_number(typed, number):
    assert building_number(typed) == number


@pytest.mark.parametrize(
    ("place", "run"),
    [
        ("1–12号楼", (1, 12)),
        ("1-4号楼", (1, 4)),
        ("一至四号楼", (1, 4)),
        ("5栋", (5, 5)),
        ("5栋301", None),
        ("12–3号楼", None),
        ("1-9999号楼", None),
        ("301", None),
    ],
)
def test_a_place_is_read_as_a_run_of_buildings(place, run):
    assert run_numbers(place) == run


def test_a_residents_building_is_matched_to_the_areas_list_and_staff_fix_the_rest(xhy, xhy_staff):
    five = User.objects.create(username="r-five", phone="+8613911110001", area=xhy, building="五幢")
    shed = User.objects.create(username="r-shed", phone="+8613911110002", area=xhy, building="东门小屋")
    assert five.home_building.name == "5号楼" and shed.home_building is None

    client = Client()
    client.force_login(xhy_staff)
    listed = client.get("/admin/residents/", {"unmatched_building": "on"})
    unmatched = set(listed.context["residents"].paginator.object_list)
    assert shed in unmatched and five not in unmatched
    record = client.get(f"/admin/residents/{shed.pk}/").content.decode()
    assert 'name="building"' in record

    eight = Building.objects.of_area(xhy).get(name="8号楼")
    client.post(f"/admin/residents/{shed.pk}/", {"action": "set_building", "building": eight.pk})
    shed.refresh_from_db()
    assert (shed.building, shed.home_building) == ("8号楼", eight)


def test_a_building_of_another_area_cannot_be_set(xhy_staff, wanliu, xhy):
    shed = User.objects.create(username="r-shed", phone="+8613911110002", area=xhy, building="东门小屋")
    theirs = Building.objects.of_area(wanliu).first()
    client = Client()
    client.force_login(xhy_staff)
    client.post(f"/admin/residents/{shed.pk}/", {"action": "set_building", "building": theirs.pk})
    shed.refresh_from_db()
    assert shed.home_building is None


class ModelsWhereTheyAreNow:
    """What the migration asks ``apps`` for (activities' staff models then), from the app each
    model belongs to today (staff, since the models moved)."""

    def get_model(self, app_label, model_name):
        for label in (app_label, "staff"):
            try:
                return apps.get_model(label, model_name)
            except LookupError:
                continue
        raise LookupError(model_name)


def test_home_visits_from_before_the_list_are_matched_and_the_rest_published_only_as_the_area(xhy):
    """The data migration: a place naming buildings becomes them; one naming a home does not, and
    the published plan then says only "around the area"."""
    member = StaffMember.objects.create(area=xhy, name="老吴", role="社工")
    rota = DutyRota.objects.create(
        staff=member,
        duty=Duty.HOME_VISITS,
        place="9~12幢",
        weekdays=[1],
        first_date=dt.date(2026, 1, 5),
        start_time=dt.time(14),
        end_time=dt.time(16),
    )
    week = ScheduleWeek.objects.create(area=xhy, monday=dt.date(2026, 1, 5))
    day = dt.date(2026, 1, 6)
    matched = Shift.objects.create(
        week=week,
        staff=member,
        duty=Duty.HOME_VISITS,
        place="13号楼",
        start=at(day, dt.time(9)),
        end=at(day, dt.time(10)),
    )
    home = Shift.objects.create(
        week=week,
        staff=member,
        duty=Duty.HOME_VISITS,
        place="五号楼三〇一",
        start=at(day, dt.time(14)),
        end=at(day, dt.time(15)),
    )
    assert not Building.objects.of_area(xhy).filter(name="13号楼").exists()  # the area lists 1号楼 to 12号楼
    migration = import_module("activities.migrations.0004_home_visits_by_building")
    migration.home_visits_by_building(ModelsWhereTheyAreNow(), None)

    rota.refresh_from_db(), matched.refresh_from_db(), home.refresh_from_db()
    assert (rota.building_from.name, rota.building_to.name, rota.place) == ("9号楼", "12号楼", "")
    assert rota.visited == "9–12号楼"
    assert matched.where == "13号楼" and Building.objects.of_area(xhy).filter(name="13号楼").exists()
    assert home.building_from is None and "三〇一" not in str(home.where) and home.where
