"""The periodic jobs, run by one command a system timer calls every minute: ``manage.py run_timers``.

Each app registers its own jobs in its ``timers.py`` (found like Wagtail's hooks), so the layers
hold: portal keeps the registry and knows no app above it. A job says how often it is due,
``every`` (a timedelta) or ``at`` (a local time of day, once a day from then on); ``run_due``
runs each job that is due, in its own try/except, so one failing job is logged and the others
still run. A ``TimerRun`` row per job is its clock and its lock: a job is claimed by updating its
row only if nobody changed it since it was read, so two app servers' timers never run the same
job twice, and a job still running (for less than ``LEASE``) is not started again.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from portal import outbox
from portal.models import TimerRun

logger = logging.getLogger(__name__)

# A timer fires a little late now and then: a job every 5 minutes is due a little before that.
SLACK = dt.timedelta(seconds=30)
# A job that started this long ago and never finished died with its process: start it again.
LEASE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    run: object
    every: dt.timedelta | None = None
    at: dt.time | None = None

    def is_due(self, last_started, now):
        if last_started is None:
            return True
        if self.every is not None:
            return last_started <= now - self.every + SLACK
        local = timezone.localtime(now)
        today_at = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        latest = today_at if local >= today_at else today_at - dt.timedelta(days=1)
        return last_started < latest


jobs = {}


def register(name, *, every=None, at=None):
    """Decorator: the function is a periodic job named ``name``, due ``every`` or daily ``at``."""
    if (every is None) == (at is None):
        raise TypeError("A job is due either every so often or at a time of day")

    def decorator(function):
        jobs[name] = Job(name, function, every, at)
        return function

    return decorator


def command(name, *, every=None, at=None, args=()):
    """Register the management command ``name`` as a job; what it prints goes to the log."""

    def run():
        out = io.StringIO()
        call_command(name, *args, stdout=out)
        logger.info("%s: %s", name, out.getvalue().strip())

    register(name, every=every, at=at)(run)


def run_due(now=None):
    """Run every job that is due and not running elsewhere; returns {name: "ran"/"failed"/"skipped"}."""
    autodiscover_modules("timers")
    outcomes = {}
    for job in jobs.values():
        if not _claim(job, now or timezone.now()):
            outcomes[job.name] = "skipped"
            continue
        error = ""
        try:
            job.run()
        except Exception as exception:
            logger.exception("Periodic job %s failed", job.name)
            error = f"{type(exception).__name__}: {exception}"[:1000]
        TimerRun.objects.filter(name=job.name).update(finished_at=timezone.now(), last_error=error)
        outcomes[job.name] = "failed" if error else "ran"
    return outcomes


def _claim(job, now):
    row, _created = TimerRun.objects.get_or_create(name=job.name)
    running = row.started_at and (row.finished_at is None or row.finished_at < row.started_at)
    if running and row.started_at > now - LEASE:
        return False
    if not job.is_due(row.started_at, now):
        return False
    # Compare and set: whoever updates the row first runs the job.
    return TimerRun.objects.filter(pk=row.pk, started_at=row.started_at).update(started_at=now) == 1


# The portal's own jobs; Wagtail's scheduled publishing is here since every app's pages use it.


@register("outbound_messages", every=dt.timedelta(minutes=1))
def recover_messages():
    uncertain, nudged, handed_back = outbox.recover()
    logger.info("Messages: %s marked uncertain, %s nudged, %s task rows handed back", uncertain, nudged, handed_back)


@register("worker_heartbeat", every=dt.timedelta(minutes=1))
def worker_heartbeat():
    outbox.enqueue_beat()


@register("prune_messages", at=dt.time(4, 0))
def prune_messages():
    logger.info("Pruned %s messages and %s finished task rows", *outbox.prune())


command("publish_scheduled", every=dt.timedelta(minutes=1))
