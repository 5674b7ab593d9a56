"""The admin of activities and staff schedules: each part registers its own hooks."""

from activities import activity_admin, staff_admin, training_admin  # noqa: F401
