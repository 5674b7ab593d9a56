"""Background work (portal/outbox.py): messages kept with the change that made them, sent by the
django-tasks-db worker at least once, retried after a failure, never resent once their outcome is
unknown; the worker's heartbeat; the admin's list of outgoing messages."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from portal import heartbeat, outbox, sms, timers
from portal.models import OutboundMessage

Status = OutboundMessage.Status


@pytest.fixture
def queued(settings):
    """The "portal" backend as in production: django-tasks-db, tasks waiting for the worker."""
    settings.TASKS = {**settings.TASKS, "portal": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """django-tasks-db's own worker loop, in --batch mode: every task that is ready, then stop.
    (Its connection check would close the test's transaction, so that one call is left out.)"""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="portal",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()


def committed(function, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            return function()


def texts(sms_outbox):
    return [(message.phone, message.template, message.params) for message in sms_outbox]


def test_a_message_waits_for_the_commit_and_the_worker_then_goes_once(
    db, queued, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.text("13900000001", "suggestion_answered", {"number": "2026-0001"})
        assert not DBTaskResult.objects.exists()  # nothing for the worker before the commit
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.ready().count() == 1 and sms_outbox == []

    run_worker()
    run_worker()
    assert texts(sms_outbox) == [("+8613900000001", "suggestion_answered", {"number": "2026-0001"})]
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts, message.recipient) == (Status.SENT, 1, "+8613900000001")


def test_a_rolled_back_change_keeps_no_message(db, queued, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.text("13900000001", "correction_answered", {})
            raise RuntimeError("the change failed")
    assert not OutboundMessage.objects.exists() and not DBTaskResult.objects.exists()


def test_the_same_key_is_kept_and_sent_once(db, sms_outbox, django_capture_on_commit_callbacks):
    for _ in range(2):
        committed(
            lambda: outbox.text("13900000001", "booking_paused", {"until": "12月1日"}, key="paused:7"),
            django_capture_on_commit_callbacks,
        )
    assert len(sms_outbox) == 1 and OutboundMessage.objects.count() == 1


def test_a_wrong_template_or_parameter_raises_before_anything_is_kept(db):
    with pytest.raises(TypeError):
        outbox.text("13900000001", "booking_paused", {"when": "12月1日"})
    with pytest.raises(KeyError):
        outbox.email("a@example.com", "no_such_template", {})
    assert not OutboundMessage.objects.exists()


def test_an_email_goes_with_its_attachment(db, django_capture_on_commit_callbacks):
    committed(
        lambda: outbox.email(
            "resident@example.com",
            "booking_confirmed",
            {"room": "钢琴房", "when": "12月1日 14:00"},
            attachments=[("booking.ics", "BEGIN:VCALENDAR", "text/calendar")],
        ),
        django_capture_on_commit_callbacks,
    )
    [sent] = mail.outbox
    assert sent.to == ["resident@example.com"] and "钢琴房" in sent.body
    assert sent.attachments == [("booking.ics", "BEGIN:VCALENDAR", "text/calendar")]


class GatewayDownForAMinute(sms.MemorySender):
    """The gateway refuses everything until `up_at`."""

    up_at = None

    def send(self, phone, template, params):
        if timezone.now() < GatewayDownForAMinute.up_at:
            raise sms.SmsError("gateway unavailable")
        return super().send(phone, template, params)


def test_the_gateway_down_for_a_minute_delays_each_message_and_sends_it_once(
    db, queued, settings, clock, sms_outbox, django_capture_on_commit_callbacks
):
    settings.SMS_SENDER = "tests.test_background.GatewayDownForAMinute"
    start = timezone.now()
    GatewayDownForAMinute.up_at = start + dt.timedelta(minutes=1)
    phones = ["13900000001", "13900000002", "13900000003"]
    for phone in phones:
        committed(lambda phone=phone: outbox.text(phone, "correction_answered", {}), django_capture_on_commit_callbacks)

    run_worker()  # every attempt refused: each back in the queue for a minute later
    assert sms_outbox == []
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {(Status.QUEUED, 1)}
    assert "gateway unavailable" in OutboundMessage.objects.first().last_error

    clock.move_to(start + dt.timedelta(seconds=30))
    run_worker()  # the retries wait for their time; the gateway is still down anyway
    assert sms_outbox == []

    clock.move_to(start + dt.timedelta(seconds=65))
    run_worker()  # the deferred retries run: the gateway is back
    assert sorted(message.phone for message in sms_outbox) == [f"+86{phone}" for phone in phones]
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 2)}

    # The timer's recovery and later workers send nothing more.
    clock.move_to(start + dt.timedelta(minutes=30))
    outbox.recover()
    run_worker()
    assert len(sms_outbox) == 3


def test_retries_back_off_and_give_up(db, settings, clock, sms_outbox, django_capture_on_commit_callbacks):
    """Also what dev and tests run: the immediate backend cannot defer, so the timer's recovery
    brings each retry back once it is due."""
    settings.SMS_SENDER = "tests.test_background.GatewayDownForAMinute"
    settings.MESSAGES_MAX_ATTEMPTS = 3
    GatewayDownForAMinute.up_at = timezone.now() + dt.timedelta(days=1)
    start = timezone.now()
    committed(lambda: outbox.text("13900000001", "correction_answered", {}), django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get()
    assert (message.attempts, message.next_attempt_at - start >= dt.timedelta(minutes=1)) == (1, True)

    clock.move_to(start + dt.timedelta(minutes=4))
    outbox.recover()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 2)
    assert message.next_attempt_at - timezone.now() >= dt.timedelta(minutes=2) - dt.timedelta(seconds=1)

    clock.move_to(start + dt.timedelta(minutes=10))
    outbox.recover()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    clock.move_to(start + dt.timedelta(hours=2))
    outbox.recover()
    message.refresh_from_db()
    assert message.attempts == 3 and sms_outbox == []
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 7, 20)] == [1, 2, 4, 60, 60]


def test_a_message_whose_worker_died_while_sending_is_uncertain_and_not_resent(
    db, queued, clock, sms_outbox, django_capture_on_commit_callbacks
):
    committed(lambda: outbox.text("13900000001", "correction_answered", {}), django_capture_on_commit_callbacks)
    # The worker took the task and the row, called the gateway, and was killed before "sent".
    task_row = DBTaskResult.objects.get()
    task_row.claim("killed-worker")
    OutboundMessage.objects.update(status=Status.SENDING, attempts=1, last_attempt_at=timezone.now())

    clock.shift(dt.timedelta(minutes=5))
    assert outbox.recover() == (0, 0, 0)  # not stale yet: it may still be sending

    clock.shift(dt.timedelta(minutes=6))
    assert outbox.recover() == (1, 0, 1)  # the row uncertain, the task handed back to the queue
    run_worker()  # the task runs again and finds nothing to send
    run_worker()
    message = OutboundMessage.objects.get()
    assert (message.status, sms_outbox) == (Status.UNCERTAIN, [])
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_left_running_by_a_killed_worker_is_picked_up_again(
    db, queued, clock, sms_outbox, django_capture_on_commit_callbacks
):
    """Killed after taking the task, before taking the message: the message goes, once."""
    committed(lambda: outbox.text("13900000001", "correction_answered", {}), django_capture_on_commit_callbacks)
    DBTaskResult.objects.get().claim("killed-worker")
    run_worker()
    assert sms_outbox == []  # django-tasks-db leaves a running task alone

    clock.shift(dt.timedelta(minutes=11))
    outbox.recover()
    run_worker()
    assert len(sms_outbox) == 1 and OutboundMessage.objects.get().status == Status.SENT


def test_a_message_whose_enqueue_was_lost_is_nudged_by_the_timer(db, queued, clock, sms_outbox):
    """The process died between the commit and the enqueue: the row is there, the task is not."""
    outbox.text("13900000001", "correction_answered", {})  # no on_commit callback runs in a test transaction
    assert not DBTaskResult.objects.exists()
    clock.shift(dt.timedelta(minutes=3))
    assert outbox.recover() == (0, 1, 0)
    run_worker()
    assert len(sms_outbox) == 1


def test_the_worker_beats_when_the_timer_asks(db, queued, clock):
    cache_before = heartbeat.last_beat()
    timers.jobs["worker_heartbeat"].run()
    timers.jobs["worker_heartbeat"].run()  # the worker is busy or down: one request waits, not two
    assert DBTaskResult.objects.ready().count() == 1 and heartbeat.last_beat() == cache_before

    run_worker()
    assert timezone.now() - heartbeat.last_beat() < dt.timedelta(seconds=5)


def test_sign_in_codes_are_sent_at_once_and_not_kept(db, sms_outbox):
    """A code must arrive now or not at all: it never waits in the queue, nor in the database."""
    sms.send("13900000001", "login_code", code="123456")
    assert len(sms_outbox) == 1 and not OutboundMessage.objects.exists()


def test_staff_see_their_areas_messages_masked(
    client, xhy, wanliu, xhy_staff, wanliu_staff, supervisor, django_capture_on_commit_callbacks
):
    committed(
        lambda: outbox.text("13912345678", "correction_answered", {}, area_id=xhy.pk),
        django_capture_on_commit_callbacks,
    )
    OutboundMessage.objects.update(status=Status.UNCERTAIN)

    for user, sees in [(xhy_staff, True), (wanliu_staff, False), (supervisor, True)]:
        client.force_login(user)
        page = client.get("/admin/messages/")
        assert page.status_code == 200
        html = page.content.decode()
        assert ("139****5678" in html) is sees, user
        assert ("居委会已答复您的更正请求" in html) is sees, user  # the text the resident got
        assert "13912345678" not in html
    client.force_login(supervisor)
    assert "139****5678" not in client.get("/admin/messages/?status=sent").content.decode()
