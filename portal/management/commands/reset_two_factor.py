from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.two_factor import reset


class Command(BaseCommand):
    help = "Remove an account's authenticator app (for example the last administrator's lost phone)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            account = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account {username!r}.") from None
        reset(account)
        self.stdout.write(self.style.SUCCESS("Reset: the account sets up a new app at its next sign-in."))
