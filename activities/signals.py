"""Keep session rows in step with publishing, holidays and deletions."""

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.signals import page_published, page_unpublished

from activities import sessions
from activities.models import ActivityPage, Occurrence, SignUp
from booking import rules
from booking.models import Closure, Reservation
from portal.holidays import when_holidays_change
from portal.privacy import account_closed


@receiver(page_published, sender=ActivityPage)
@receiver(page_unpublished, sender=ActivityPage)
def sessions_follow_publishing(sender, instance, **kwargs):
    sessions.regenerate(instance)


@receiver(account_closed)
def give_up_places(sender, user, **kwargs):
    """A closed account's places in future sessions go back to other residents."""
    user.signups.filter(status=SignUp.Status.ACTIVE, occurrence__end__gt=timezone.now()).update(
        status=SignUp.Status.CANCELLED, cancelled_at=timezone.now()
    )


@receiver(post_save, sender=Closure)
def sessions_in_a_closed_room(sender, instance, created, **kwargs):
    """A closure cancels the class rows it overlaps (booking.rules.close); once it is committed,
    those sessions are marked as unable to hold their room, so editors and residents see it."""
    if created:
        transaction.on_commit(lambda: _recheck_closed(instance))


def _recheck_closed(closure):
    overlapping = Occurrence.objects.filter(room__in=closure.rooms(), start__lt=closure.end, end__gt=closure.start)
    for page in ActivityPage.objects.filter(pk__in=overlapping.values("activity_id")):
        sessions.regenerate(page)


@receiver(pre_delete, sender=Occurrence)
def free_the_room(sender, instance, **kwargs):
    for reservation in Reservation.objects.holding().filter(
        kind=Reservation.Kind.CLASS, source_type__model="occurrence", source_id=instance.pk
    ):
        rules.release(reservation, _("Session deleted"))


@when_holidays_change
def recheck_sessions():
    """Sessions that skip holidays move with the holiday calendar."""
    sessions.regenerate_all(skipping_holidays=True)
