"""Text messages and e-mails to residents and staff, sent at least once by the background worker.

A caller writes the message in the transaction that made the news (``text`` or ``email``): it is
an ``OutboundMessage`` row, so a rolled-back change sends nothing and a committed one cannot lose
its message. Once the transaction commits, the ``deliver`` task is enqueued on the "portal" task
backend (django-tasks-db in production, its worker ``manage.py db_worker --backend portal``).

``deliver`` takes a row from "queued" to "sending" before it calls the gateway and to "sent"
after, so a message is handed to the gateway once per attempt and never again once it went. A
gateway that raises puts the row back to "queued" with a later ``next_attempt_at`` (1, 2, 4 …
minutes, at most an hour apart) until ``MESSAGES_MAX_ATTEMPTS`` have failed ("failed"). A row
still "sending" after ``MESSAGES_STALE_AFTER`` seconds belongs to a worker that died around the
gateway call: whether it went is unknown, so it is marked "uncertain" for staff to look at
(admin → outgoing messages), never sent again. ``recover`` does that, re-enqueues rows whose
nudge was lost, and hands back task rows a killed worker left running; the timer runs it every
minute (portal/timers.py).

Sign-in and verification codes do not come here: they are sent at once by ``portal.sms.send``
(at most once; a code that did not arrive is asked for again), because a code waiting behind a
queue, or for a worker that is down, is worse than none.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.models import DBTaskResult

from portal import heartbeat, sms
from portal.models import OutboundMessage

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
BACKEND = "portal"
RETRY_CAP = dt.timedelta(hours=1)
# How long a queued row may wait past its time before recover() nudges it again: longer than a
# deferred task takes to be picked up, so the worker's own retry is not doubled.
NUDGE_GRACE = dt.timedelta(minutes=2)


def text(phone, template, params, *, area_id=None, key=None):
    """Send the approved text message ``template`` to ``phone`` once the transaction commits.

    ``params`` as for ``portal.sms.send`` (checked now: a wrong one raises before anything is
    kept). ``key`` makes the message idempotent: a second call with the same key adds nothing
    (give one where the same news could be made twice, such as a timer's reminder). ``area_id``:
    the resident's area, whose staff may see the message in the admin."""
    phone, params = sms.checked(phone, template, params)
    return _keep(OutboundMessage.Channel.SMS, phone, template, params, area_id=area_id, key=key)


def email(address, template, params, *, attachments=(), area_id=None, key=None):
    """E-mail the text of ``template`` (subject: its start) to ``address``, with ``attachments``
    as (file name, text, content type)."""
    sms.render(template, params)  # a wrong template or parameter raises now, not in the worker
    return _keep(
        OutboundMessage.Channel.EMAIL,
        address,
        template,
        {name: str(value) for name, value in params.items()},
        attachments=[list(attachment) for attachment in attachments],
        area_id=area_id,
        key=key,
    )


def _keep(channel, recipient, template, params, *, key=None, **fields):
    fields.update(channel=channel, recipient=recipient, template=template, params=params)
    if key:
        message, created = OutboundMessage.objects.get_or_create(key=f"{channel}:{key}:{recipient}", defaults=fields)
    else:  # news made once: a fresh key, and one INSERT on the way (a booking's budget counts it)
        message, created = OutboundMessage.objects.create(key=f"{channel}:{uuid.uuid4()}", **fields), True
    if created:
        # robust: a backend that cannot take the task now leaves the row for recover().
        transaction.on_commit(lambda: nudge(message.pk), robust=True)
    return message


def nudge(message_id, run_after=None):
    """Enqueue the delivery of one message (deferred, where the backend can, to ``run_after``)."""
    if run_after is not None:
        if not task_backends[BACKEND].supports_defer:
            return  # the immediate backend of dev and tests: recover() brings it back when due
        deliver.using(run_after=run_after).enqueue(message_id)
    else:
        deliver.enqueue(message_id)


def backoff(attempts):
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most an hour."""
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), RETRY_CAP)


@task(backend=BACKEND)
def deliver(message_id):
    now = timezone.now()
    # The claim: one worker, and one attempt, moves the row out of "queued".
    claimed = OutboundMessage.objects.filter(pk=message_id, status=Status.QUEUED, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return  # sent already, being sent, or not due yet
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        _hand_over(message)
    except Exception as error:
        failed = message.attempts >= settings.MESSAGES_MAX_ATTEMPTS
        retry_at = now + backoff(message.attempts)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=Status.FAILED if failed else Status.QUEUED,
            next_attempt_at=retry_at,
            last_error=f"{type(error).__name__}: {error}"[:1000],
        )
        logger.warning(
            "Message %s (%s %s) failed, attempt %s: %s%s",
            message.pk,
            message.channel,
            message.template,
            message.attempts,
            error,
            "; giving up" if failed else "",
        )
        if not failed:
            nudge(message.pk, run_after=retry_at)
        return
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENT, sent_at=timezone.now(), last_error="")


def _hand_over(message):
    if message.channel == OutboundMessage.Channel.SMS:
        sms.get_sender().send(message.recipient, message.template, message.params)
        return
    text = sms.render(message.template, message.params)
    mail = EmailMessage(subject=text[:60], body=text, to=[message.recipient])
    for name, content, content_type in message.attachments:
        mail.attach(name, content, content_type)
    mail.send()


def recover(now=None):
    """What a dead worker or a lost enqueue left behind: returns (uncertain, nudged, handed back)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.MESSAGES_STALE_AFTER)
    uncertain = OutboundMessage.objects.filter(status=Status.SENDING, last_attempt_at__lt=stale).update(
        status=Status.UNCERTAIN, last_error="The worker stopped while sending; it may or may not have gone."
    )
    if uncertain:
        logger.error("%s messages marked uncertain: a worker stopped while sending them", uncertain)
    # Task rows of a killed worker stay "running" for ever (django-tasks-db does not look back):
    # ours are safe to run again, since deliver() claims its row.
    handed_back = (
        DBTaskResult.objects.running()
        .filter(backend_name=BACKEND, started_at__lt=stale)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
    waiting = OutboundMessage.objects.filter(status=Status.QUEUED, next_attempt_at__lt=now - NUDGE_GRACE)
    nudged = 0
    for message_id in waiting.values_list("pk", flat=True)[:500]:
        nudge(message_id)
        nudged += 1
    return uncertain, nudged, handed_back


def prune(now=None):
    """Messages (their numbers and addresses) and finished task rows are kept
    ``MESSAGES_KEPT_DAYS``: long enough to answer "did my text go?", no longer."""
    before = (now or timezone.now()) - dt.timedelta(days=settings.MESSAGES_KEPT_DAYS)
    messages, _ = OutboundMessage.objects.filter(created_at__lt=before).exclude(status=Status.QUEUED).delete()
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return messages, tasks


@task(backend=BACKEND)
def beat():
    """Run by the worker each minute (the timer enqueues it): /healthz reads the beat."""
    heartbeat.beat()


def enqueue_beat():
    """Ask the worker to beat, unless an earlier request still waits (a worker that is down
    would otherwise find a pile of them)."""
    if not DBTaskResult.objects.ready().filter(backend_name=BACKEND, task_path=beat.module_path).exists():
        beat.enqueue()
