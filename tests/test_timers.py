"""The periodic jobs (portal/timers.py) and the one command a system timer calls, run_timers."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from portal import timers
from portal.models import TimerRun


@pytest.fixture
def ran(monkeypatch):
    """Three jobs of our own in place of the registered ones; `ran` lists each run."""
    autodiscover_modules("timers")  # the apps' registrations are done, so they do not land in ours
    ran = []
    monkeypatch.setattr(timers, "jobs", {})
    for name in ("first", "second", "third"):
        timers.register(name, every=dt.timedelta(minutes=5))(lambda name=name: ran.append(name))
    return ran


def test_every_periodic_job_of_every_app_is_registered(db):
    autodiscover_modules("timers")
    assert set(timers.jobs) == {
        "update_sessions",  # the session window and the staff plans
        "send_reminders",
        "mark_no_shows",
        "publish_scheduled",
        "suggestion_timers",
        "outreach_retention",
        "outbound_messages",
        "worker_heartbeat",
        "prune_messages",
    }


def test_run_timers_runs_each_real_job_once(db, sms_outbox):
    out = call_command_output("run_timers")
    assert sorted(out.splitlines()) == sorted(f"{name}: ran" for name in timers.jobs)
    assert TimerRun.objects.filter(finished_at__gte=timezone.now() - dt.timedelta(minutes=1)).count() == len(
        timers.jobs
    )
    # Run again at once: nothing is due.
    assert set(call_command_output("run_timers").splitlines()) == {f"{name}: skipped" for name in timers.jobs}


def call_command_output(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_failing_job_is_logged_and_the_others_still_run(db, ran, caplog):
    def broken():
        raise RuntimeError("the database of the past")

    timers.register("second", every=dt.timedelta(minutes=5))(broken)
    with caplog.at_level(logging.ERROR, logger="portal.timers"), pytest.raises(CommandError, match="second"):
        call_command_output("run_timers")
    assert ran == ["first", "third"]
    assert "Periodic job second failed" in caplog.text and "the database of the past" in caplog.text
    assert TimerRun.objects.get(name="second").last_error == "RuntimeError: the database of the past"


def test_a_job_running_elsewhere_is_skipped(db, ran, clock):
    inner = {}
    timers.register("second", every=dt.timedelta(minutes=5))(lambda: inner.update(timers.run_due()))
    outer = timers.run_due()
    # While "second" ran, a second server's timer started: it skipped "second" (running) and
    # "first" (done), and ran "third", which the first server then skipped.
    assert inner == {"first": "skipped", "second": "skipped", "third": "ran"}
    assert outer == {"first": "ran", "second": "ran", "third": "skipped"}
    assert ran.count("first") == 1 and ran.count("third") == 1

    # A job whose server died while running it is started again once its lease has passed.
    clock.shift(dt.timedelta(minutes=10))
    TimerRun.objects.filter(name="first").update(started_at=timezone.now(), finished_at=None)
    assert timers.run_due()["first"] == "skipped"
    clock.shift(timers.LEASE + dt.timedelta(minutes=1))
    assert timers.run_due()["first"] == "ran"


def test_each_job_runs_when_it_is_due(db, ran, clock, monkeypatch):
    nightly = []
    timers.register("nightly", at=dt.time(3, 0))(lambda: nightly.append(timezone.localtime().date()))
    day = timezone.localtime().date() + dt.timedelta(days=1)

    def at(hour, minute=0, days=0):
        clock.move_to(timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute))))

    at(2, 0)
    timers.run_due()  # never ran: everything is due
    at(2, 3)
    timers.run_due()  # 3 minutes later: the 5-minute jobs are not due, nor the nightly one
    at(2, 5)
    timers.run_due()  # 5 minutes after the first run: the 5-minute jobs again
    at(2, 59)
    timers.run_due()
    at(3, 1)
    timers.run_due()  # the nightly job's time
    at(12, 0)
    timers.run_due()
    at(3, 0, days=1)
    timers.run_due()
    assert ran.count("first") == 5  # 02:00, 02:05, 02:59 (not 03:01, 2 minutes later), 12:00, 03:00 the next day
    assert nightly == [day, day, day + dt.timedelta(days=1)]
