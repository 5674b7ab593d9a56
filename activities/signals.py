"""Keep session rows in step with publishing, holidays and deletions."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.signals import page_published, page_unpublished

from activities import sessions
from activities.models import ActivityPage, Occurrence
from booking import rules
from booking.models import Holiday, Reservation


@receiver(page_published, sender=ActivityPage)
@receiver(page_unpublished, sender=ActivityPage)
def sessions_follow_publishing(sender, instance, **kwargs):
    sessions.regenerate(instance)


@receiver(pre_delete, sender=Occurrence)
def free_the_room(sender, instance, **kwargs):
    for reservation in Reservation.objects.holding().filter(
        kind=Reservation.Kind.CLASS, source_type__model="occurrence", source_id=instance.pk
    ):
        rules.release(reservation, _("Session deleted"))


_years_changed = set()


@receiver(post_save, sender=Holiday)
@receiver(post_delete, sender=Holiday)
def holidays_changed(sender, instance, **kwargs):
    """Re-check sessions that skip holidays once the change is committed (once per transaction)."""
    if not _years_changed:
        transaction.on_commit(_recheck_sessions)
    _years_changed.add(instance.date.year)


def _recheck_sessions():
    _years_changed.clear()
    sessions.regenerate_all(skipping_holidays=True)
