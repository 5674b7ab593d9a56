"""Backups and their restore (manage.py backup / restore, portal/backups.py): a backup made while
the site runs restores into an empty database with every booking, and the uploaded files come
back with it. On SQLite here; on PostgreSQL (pg_dump, pg_restore) when DATABASE_URL says so."""

import datetime as dt
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from booking.models import Reservation
from tests.conftest import run_project
from tests.factories import ImageFactory, ResidentFactory

# Transactional: the backup is read by another connection (SQLite's backup API, or pg_dump),
# which sees only what was committed. migrated_db puts back what the migrations made.
committed = pytest.mark.django_db(transaction=True)

BOOKINGS = "sorted(Reservation.objects.values_list('pk', 'room__slug', 'resident__phone', 'start', 'end', 'status'))"


@pytest.fixture
def bookings(migrated_db, piano, reading):
    """Bookings of two rooms by six residents, each on its own day."""
    start = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    made = []
    for number in range(6):
        resident = ResidentFactory(area=piano.area, phone=f"+86139000002{number:02d}")
        begins = start + dt.timedelta(days=number)
        made.append(
            Reservation.objects.create(
                room=(piano, reading)[number % 2],
                resident=resident,
                start=begins,
                end=begins + dt.timedelta(hours=1),
                status=Reservation.Status.CONFIRMED,
            )
        )
    return made


def bookings_now():
    return str(eval(BOOKINGS, {"Reservation": Reservation}))  # the same listing the restored copy prints


@pytest.fixture
def empty_database(tmp_path):
    """The address of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict = connection.settings_dict
    yield f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@committed
def test_a_backup_restores_into_an_empty_database_with_every_booking(bookings, empty_database, tmp_path):
    backup = tmp_path / "portal.tar"
    call_command("backup", "--output", str(backup), stdout=open(tmp_path / "out", "w"))
    expected = bookings_now()

    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "from booking.models import Reservation; "
        f"call_command('restore', {str(backup)!r}, '--no-files'); print({BOOKINGS})"
    )
    result = run_project("-c", code, settings_module="portal.settings.test", DATABASE_URL=empty_database)

    assert result.returncode == 0, result.stderr
    assert "Restored the backup" in result.stdout or "已恢复" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == expected


@committed
def test_restore_refuses_a_database_that_is_not_empty_and_force_puts_bookings_and_files_back(bookings, tmp_path):
    photo = ImageFactory()
    backup = tmp_path / "portal.tar"
    call_command("backup", "--output", str(backup), stdout=open(tmp_path / "out", "w"))
    expected = bookings_now()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(backup))

    Reservation.objects.filter(pk=bookings[0].pk).delete()
    Path(photo.file.path).unlink()
    call_command("restore", str(backup), "--force", stdout=open(tmp_path / "out", "w"))

    assert bookings_now() == expected
    assert Path(photo.file.path).is_file()


@pytest.mark.parametrize("content", [None, b"not a backup"])
def test_restore_says_plainly_when_the_file_is_not_a_backup(tmp_path, content):
    source = tmp_path / "portal.tar"
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(CommandError, match="没有备份文件" if content is None else "不是 manage.py backup 生成的备份"):
        call_command("restore", str(source))


def test_restore_refuses_a_backup_of_another_kind_of_database(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    source = tmp_path / "portal.tar"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(f'{{"format": 1, "engine": "{other}", "files": []}}')
    with tarfile.open(source, "w") as archive:
        archive.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match="同一种数据库"):
        call_command("restore", str(source))
