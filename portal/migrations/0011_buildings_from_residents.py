"""Give each area a list of buildings from what its residents typed (5号楼, 5幢, 五号楼 are one
building), and match each resident to it. Residents whose building names no numbered building
are left unmatched: staff see them in the residents list and fix them."""

from django.db import migrations


def buildings_from_residents(apps, schema_editor):
    from portal.buildings import building_number

    Area = apps.get_model("portal", "Area")
    AreaSettings = apps.get_model("portal", "AreaSettings")
    Building = apps.get_model("portal", "Building")
    User = apps.get_model("portal", "User")
    for area in Area.objects.all():
        settings, _created = AreaSettings.objects.get_or_create(site_id=area.site_id)
        residents = list(User.objects.filter(area=area).exclude(building=""))
        numbers = {building_number(resident.building) for resident in residents} - {None}
        known = {building_number(building.name): building for building in Building.objects.filter(settings=settings)}
        order = Building.objects.filter(settings=settings).count()
        for number in sorted(numbers - set(known)):
            known[number] = Building.objects.create(settings=settings, name=f"{number}号楼", sort_order=order)
            order += 1
        unmatched = 0
        for resident in residents:
            building = known.get(building_number(resident.building))
            if building is None:
                unmatched += 1
            else:
                User.objects.filter(pk=resident.pk).update(home_building=building)
        if unmatched:
            print(f"\n  {area.name}: {unmatched} residents' buildings match no building; staff fix them in Residents")


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_buildings")]

    operations = [migrations.RunPython(buildings_from_residents, migrations.RunPython.noop)]
