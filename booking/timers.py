"""Booking's periodic jobs (portal/timers.py): reminders of tomorrow's bookings and no-shows."""

import datetime as dt

from portal import timers

timers.command("send_reminders", every=dt.timedelta(minutes=5))
timers.command("mark_no_shows", every=dt.timedelta(minutes=5))
