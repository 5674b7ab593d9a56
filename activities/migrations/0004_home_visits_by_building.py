"""Home visits were published with a free-text place ("1–12号楼", but nothing stopped "5栋301").
Each home-visit rota and shift now names buildings of its area's list: a place naming one
numbered building or a run of them is matched (buildings missing from the list are added), and
its text is cleared. A place that names no building is left unmatched: the plan shows "around
the area", and the week view lists these for staff to fix."""

from django.db import migrations


def home_visits_by_building(apps, schema_editor):
    from portal.buildings import building_number, run_numbers

    AreaSettings = apps.get_model("portal", "AreaSettings")
    Building = apps.get_model("portal", "Building")
    rows = [
        (model, row, row.week.area if model.__name__ == "Shift" else row.staff.area)
        for model in (apps.get_model("activities", "DutyRota"), apps.get_model("activities", "Shift"))
        for row in model.objects.filter(duty="home_visits", building_from=None)
    ]
    unmatched = 0
    for model, row, area in rows:
        found = run_numbers(row.place)
        if found is None:
            unmatched += 1
            continue
        settings, _created = AreaSettings.objects.get_or_create(site_id=area.site_id)
        known = {building_number(building.name): building for building in Building.objects.filter(settings=settings)}
        order = max([building.sort_order or 0 for building in known.values()], default=-1) + 1
        for number in range(found[0], found[1] + 1):
            if number not in known:
                known[number] = Building.objects.create(settings=settings, name=f"{number}号楼", sort_order=order)
                order += 1
        first, last = known[found[0]], known[found[1]]
        model.objects.filter(pk=row.pk).update(
            building_from=first, building_to=None if last == first else last, place=""
        )
    if unmatched:
        print(f"\n  {unmatched} home visits name no building; staff fix them in the week view")


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_visited_buildings"), ("portal", "0011_buildings_from_residents")]

    operations = [migrations.RunPython(home_visits_by_building, migrations.RunPython.noop)]
