"""Staff members, their rotas and week plans, the schedule page (now in staff) and the training
matrix (now in services) leave activities; staff 0001 and services 0001 took their tables."""

from django.db import migrations

from portal.moved_models import let_go


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_home_visits_by_building"),
        ("staff", "0001_initial"),
        ("services", "0001_initial"),
    ]

    operations = let_go("ServiceTraining", "Shift", "ScheduleWeek", "DutyRota", "StaffMember", "StaffSchedulePage")
