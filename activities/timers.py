"""Activities' periodic job (portal/timers.py): the nightly roll of the session window, which
also rolls the staff plans forward (update_sessions)."""

import datetime as dt

from portal import timers

timers.command("update_sessions", at=dt.time(3, 0))
