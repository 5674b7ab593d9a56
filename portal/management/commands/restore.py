from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import backups


class Command(BaseCommand):
    help = gettext_lazy(
        "Restore a backup made by manage.py backup into an empty database, and its files into the storage folders. "
        "Stop the application servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("The backup file (.tar)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Restore into a database that is not empty, replacing the tables the backup holds."),
        )
        parser.add_argument(
            "--no-files", action="store_true", help=gettext_lazy("Restore the database only, not the uploaded files.")
        )
        parser.add_argument("--database", default="default", help=gettext_lazy("The database to restore into."))

    def handle(self, *args, file, force, no_files, database, **options):
        try:
            manifest = backups.restore(file, alias=database, force=force, with_files=not no_files)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup of %(created)s. If this code is newer than the backup, run manage.py migrate.")
                % {"created": manifest["created"]}
            )
        )
