"""Outreach's periodic jobs (portal/timers.py): the suggestions' morning timers and the nightly
retention run."""

import datetime as dt

from portal import timers

timers.command("suggestion_timers", at=dt.time(8, 0))
timers.command("outreach_retention", at=dt.time(3, 30))
