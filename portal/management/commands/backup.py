from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import backups


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the database (pg_dump, or SQLite's online backup) and the uploaded files into one tar file, "
        "while the site keeps serving."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=gettext_lazy("The file to write, or a folder for it (default: backups/ in the project folder)."),
        )
        parser.add_argument(
            "--no-files",
            action="store_true",
            help=gettext_lazy("Leave the uploaded files out (when they are copied another way, such as rsync)."),
        )
        parser.add_argument("--database", default="default", help=gettext_lazy("The database to back up."))

    def handle(self, *args, output, no_files, database, **options):
        target = Path(output) if output else settings.BASE_DIR / "backups"
        if not output or target.is_dir() or output.endswith("/"):
            target = target / backups.default_name(connections[database].vendor)
        try:
            manifest = backups.backup(target, alias=database, with_files=not no_files)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(manifest["files"]) or _("no files")
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up to %(path)s (%(size)s bytes; the database and %(files)s).")
                % {"path": target, "size": target.stat().st_size, "files": files}
            )
        )
