"""Backups of the database and the uploaded files, and their restore (`manage.py backup`,
`manage.py restore`; docs/operations.md).

A backup is one tar file holding
- manifest.json: the format, when it was made, the database engine, whether files are inside;
- database.dump (PostgreSQL: pg_dump's custom format, a consistent snapshot while the site
  keeps serving) or database.sqlite3 (SQLite: its online backup API, consistent likewise);
- media/… and private-media/…: the files of the default and the private storage (images,
  documents, residents' photos), when they are folders on this server (FileSystemStorage).
  Files kept elsewhere (S3-compatible storage) are backed up there, not here.

A restore goes into an empty database only, unless forced: restoring over a live site's data
would mix two states of it.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path, PurePosixPath

from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Folder in the archive: the storage it comes from.
FILE_STORAGES = {"media": "default", "private-media": "private"}


class BackupError(Exception):
    """What stops a backup or restore, in words for the operator."""


def local_folders():
    """Each archive folder with the storage folder on this server it stands for."""
    folders = {}
    for folder, alias in FILE_STORAGES.items():
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            folders[folder] = Path(storage.location)
    return folders


def default_name(vendor):
    return f"portal-{vendor}-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


def backup(output, *, alias="default", with_files=True):
    """Write a backup of the database (and the uploaded files) to `output`, a tar file.
    It appears under its name only once complete. Returns the manifest."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    folders = local_folders() if with_files else {}
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "engine": vendor,
        "files": sorted(folders),
    }
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[vendor]
        if vendor == "postgresql":
            run_pg("pg_dump", connection.settings_dict, "--format=custom", f"--file={dump}")
        else:
            connection.ensure_connection()
            with closing(sqlite3.connect(dump)) as target:
                connection.connection.backup(target)
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, fileobj=io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for folder, path in folders.items():
                if path.is_dir():
                    archive.add(path, arcname=folder)
    partial.replace(output)
    return manifest


def restore(source, *, alias="default", force=False, with_files=True):
    """Restore a backup made by `backup` into the database (and the storage folders).
    Refuses a database that has tables unless `force`. Returns the manifest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("There is no backup file at %(path)s.") % {"path": source})
    connection = connections[alias]
    try:
        archive = tarfile.open(source, "r")
    except tarfile.TarError:
        raise BackupError(_("%(path)s is not a backup made by manage.py backup.") % {"path": source}) from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        manifest = read_manifest(archive, source)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                _(
                    "This backup is of a %(backup)s database, and the settings point at %(target)s: a backup goes back into the same kind of database."
                )
                % {"backup": manifest["engine"], "target": connection.vendor}
            )
        tables = connection.introspection.table_names()
        if tables and not force:
            raise BackupError(
                _(
                    "The database %(name)s is not empty (%(count)s tables). Restore into an empty database, or add --force to replace what it holds."
                )
                % {"name": connection.settings_dict["NAME"], "count": len(tables)}
            )
        dump = Path(scratch) / DUMPS[manifest["engine"]]
        try:
            member = archive.extractfile(dump.name)
        except KeyError:
            member = None
        if member is None:
            raise BackupError(_("%(path)s holds no database.") % {"path": source})
        with member, open(dump, "wb") as file:
            shutil.copyfileobj(member, file)
        if connection.vendor == "postgresql":
            clean = ["--clean", "--if-exists"] if tables else []
            run_pg(
                "pg_restore",
                connection.settings_dict,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *clean,
                str(dump),
            )
        else:
            connection.close()
            with (
                closing(sqlite3.connect(dump)) as saved,
                closing(sqlite3.connect(connection.settings_dict["NAME"])) as target,
            ):
                saved.backup(target)
        if with_files:
            restore_files(archive, manifest)
    return manifest


def read_manifest(archive, source):
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError(_("%(path)s is not a backup made by manage.py backup.") % {"path": source}) from None
    if manifest.get("format") != FORMAT or manifest.get("engine") not in DUMPS:
        raise BackupError(_("%(path)s is a backup of a format this version cannot read.") % {"path": source})
    return manifest


def restore_files(archive, manifest):
    """Put the archive's files back in the storage folders (a file of the same name is replaced)."""
    folders = local_folders()
    for member in archive.getmembers():
        parts = PurePosixPath(member.name).parts
        if len(parts) < 2 or parts[0] not in manifest["files"] or parts[0] not in folders:
            continue
        if ".." in parts or not (member.isfile() or member.isdir()):
            continue  # a backup holds plain files and folders, all inside their folder
        member.name = str(PurePosixPath(*parts[1:]))
        archive.extract(member, folders[parts[0]], **SAFE_EXTRACT)


# Where Python has it (3.11.4 and later), the "data" filter also keeps permissions ordinary.
SAFE_EXTRACT = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def run_pg(program, settings_dict, *args):
    """Run pg_dump or pg_restore against the database of these connection settings."""
    executable = shutil.which(program, path=os.environ.get("PG_BINDIR") or None)
    if executable is None:
        raise BackupError(
            _(
                "%(program)s is not installed. Install the PostgreSQL client of the server's version (e.g. apt install postgresql-client-15), or set PG_BINDIR."
            )
            % {"program": program}
        )
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    connect = [f"--dbname={settings_dict['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            connect.append(f"{option}={settings_dict[key]}")
    result = subprocess.run([executable, *connect, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program}: {result.stderr.strip() or result.returncode}")
