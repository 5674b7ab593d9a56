from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.admin_auth import unlock


class Command(BaseCommand):
    help = gettext_lazy("Let an account, or an address, try signing in to the admin again after too many failures.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="", help=gettext_lazy("The account's user name."))
        parser.add_argument("--address", help=gettext_lazy("An IP address whose failed attempts are forgotten too."))

    def handle(self, *args, username, address, **options):
        if not username and not address:
            raise CommandError(_("Give a user name, an --address, or both."))
        unlock(username, address)
        self.stdout.write(self.style.SUCCESS(_("Unlocked.")))
