"""Keep suggestion deadlines in step with the holiday calendar, and let a closed account go."""

from django.db import transaction
from django.dispatch import receiver

from outreach import deadlines
from outreach.models import Suggestion
from portal.holidays import when_holidays_change
from portal.privacy import account_closed


@when_holidays_change
def recount_deadlines():
    """Deadlines counted through a year nobody had entered are counted again."""
    deadlines.recount_provisional()


@receiver(account_closed)
def forget_closed_account(sender, user, **kwargs):
    """A closed account's photos go (a photo may show their home), and it follows nothing more.
    The suggestions stay, to be answered: what they say is about the place, not the person."""
    filed = Suggestion.objects.filter(resident=user).exclude(photo="")
    for suggestion in filed:
        storage, name = suggestion.photo.storage, suggestion.photo.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    filed.update(photo="")
    Suggestion.followers.through.objects.filter(user=user).delete()
