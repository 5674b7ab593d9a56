"""Remind residents of tomorrow's bookings by text message. A system timer runs it
every 15 minutes (see the README); each booking is reminded once."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from booking import notify, rules


class Command(BaseCommand):
    help = "Send a reminder for each confirmed booking starting within the next 24 hours (once each)."

    def handle(self, *args, **options):
        sent = 0
        for reservation in rules.due_reminders().select_related("room", "resident"):
            with transaction.atomic():
                reservation.reminded_at = timezone.now()
                reservation.save(update_fields=["reminded_at"])
                notify.after_commit(reservation, "booking_reminder")
            sent += 1
        self.stdout.write(f"{sent} reminders sent.")
