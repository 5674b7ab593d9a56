from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.admin_auth import unlock


class Command(BaseCommand):
    help = _("Let an account, or an address, try signing in to the admin again after too many failures.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="", help=_("The account's user name."))
        parser.add_argument("--address", help=_("An IP address whose failed attempts are forgotten too."))

    def handle(self, *args, username, address, **options):
        unlock(username, address)
        self.stdout.write(self.style.SUCCESS(_("Unlocked.")))
