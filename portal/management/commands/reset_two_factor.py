from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.two_factor import reset


class Command(BaseCommand):
    help = gettext_lazy("Remove an account's authenticator app (for example the last administrator's lost phone).")

    def add_arguments(self, parser):
        parser.add_argument("username", help=gettext_lazy("The account's user name."))

    def handle(self, *args, username, **options):
        try:
            account = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("There is no account %(username)s.") % {"username": username}) from None
        reset(account)
        self.stdout.write(self.style.SUCCESS(_("Reset: the account sets up a new app at its next sign-in.")))
