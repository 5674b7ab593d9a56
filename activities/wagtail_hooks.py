"""The admin of activities: sessions, sign-ups and categories (activities/activity_admin.py)."""

from activities import activity_admin  # noqa: F401
