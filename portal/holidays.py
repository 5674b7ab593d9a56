"""Rows that skip public holidays (class sessions, duty plans) are recounted when the holiday
table changes: ``@when_holidays_change`` runs a function once the change is committed, once
per transaction however many days it entered."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.models import Holiday


def when_holidays_change(function):
    # One token per change; after a commit only the newest token's callback runs, so a
    # transaction entering a whole year runs it once (changes rolled back leave stale tokens,
    # which the next run clears).
    changes = []

    def run(token):
        if changes and changes[-1] is token:
            changes.clear()
            function()

    def changed(sender, instance, **kwargs):
        token = object()
        changes.append(token)
        transaction.on_commit(lambda: run(token))

    uid = f"{function.__module__}.{function.__qualname__}"
    post_save.connect(changed, sender=Holiday, weak=False, dispatch_uid=f"{uid}.save")
    post_delete.connect(changed, sender=Holiday, weak=False, dispatch_uid=f"{uid}.delete")
    return function
