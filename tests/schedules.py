"""Schedules for the make_activity fixture, as the page editor's fields hold them."""

import datetime as dt


def weekly(*weekdays, first, starts, ends, **extra):
    """weekly(1, 3, first=day, starts="07:00", ends="08:00", count=4): Tuesdays and Thursdays."""
    return {
        "weekdays": list(weekdays),
        "first_date": first,
        "start_time": dt.time.fromisoformat(starts),
        "end_time": dt.time.fromisoformat(ends),
        **extra,
    }
