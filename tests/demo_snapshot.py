"""The demo residents' areas for a test: `seed_demo` runs once per test run, and its rows are
copied back in for every later test that asks for them.

Seeding takes seconds (pages and revisions, recurring sessions, rotas, the search index); most
tests start from the demo, so running it for each of them was most of the suite's time. A copy
gives a test exactly what the command made: the same rows with the same ids, the search index
and the reference index, and the images' files in the test's own MEDIA_ROOT.

The copy is taken from, and put back into, only the database exactly as the migrations left it
(every row compared by a digest), on the day it was taken (the demo is dated from today in
Shanghai). Otherwise, say when a test made rows of its own before asking for the demo, the
command runs for real. test_seed_demo runs the command itself.
"""

import hashlib
import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Site

from tests import clock

# SQLite keeps an FTS5 table's words in tables of its own; copying the virtual table fills them.
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


class Snapshot:
    """Rows of tables (and files under MEDIA_ROOT) to put back as they were taken."""

    def __init__(self, tables, files=None, day=None):
        self.tables = tables  # {table: (virtual, columns, rows)}
        self.files = files or {}  # {path under MEDIA_ROOT: bytes}
        self.day = day
        self.digest = None

    def restore(self):
        # One transaction: foreign keys are checked once every table is back. Virtual tables
        # last: triggers on the search index write into its FTS table, which is then set right.
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (_virtual, columns, rows) in sorted(self.tables.items(), key=lambda item: item[1][0]):
                cursor.execute(f"DELETE FROM {quote(table)}")
                insert_rows(cursor, table, columns, rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), models_of(self.tables)):
                cursor.execute(sql)
        media = Path(settings.MEDIA_ROOT)
        for name, data in self.files.items():
            path = media / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # What saving the sites and pages would have emptied.
        cache.clear()
        Site.clear_site_root_paths_cache()


def take():
    """Every table as it is now, with its digest (the state the migrations left, for the
    migrated_db fixture to put back after a transactional test has emptied the tables)."""
    snapshot = Snapshot({table: (virtual, *table_rows(table, virtual)) for table, virtual in copied_tables().items()})
    snapshot.digest = fingerprint()
    return snapshot


_snapshot = None


def seed_demo(migrated):
    """Fill the database with the demo, as `manage.py seed_demo` does. `migrated` is take()'s
    Snapshot of the database as the migrations left it."""
    global _snapshot
    day = timezone.localdate()
    if fingerprint() != migrated.digest:
        # The test made rows of its own first: the demo goes on top of them, as the command would.
        call_command("seed_demo", stdout=io.StringIO())
        return
    if _snapshot is not None and _snapshot.day == day:
        _snapshot.restore()
        return
    call_command("seed_demo", stdout=io.StringIO())
    clock.settle()
    if timezone.localdate() != day:
        return  # seeded across midnight: part of it is dated yesterday
    changed = {}
    for table, virtual in copied_tables().items():
        after = (virtual, *table_rows(table, virtual))
        if after != migrated.tables.get(table):  # the database was as migrated just before
            changed[table] = after
    _snapshot = Snapshot(changed, media_files(), day)


def fingerprint():
    """{table: digest of its rows} for every table."""
    tables = copied_tables()
    if connection.vendor == "postgresql":
        digests = {}
        with connection.cursor() as cursor:
            names = list(tables)
            for start in range(0, len(names), 200):
                cursor.execute(
                    " UNION ALL ".join(
                        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                        f"FROM {quote(table)} t"
                        for table in names[start : start + 200]
                    )
                )
                digests.update(cursor.fetchall())
        return digests
    return {
        table: hashlib.sha1(repr(table_rows(table, virtual)).encode()).hexdigest() for table, virtual in tables.items()
    }


def quote(name):
    return connection.ops.quote_name(name)


def copied_tables():
    """{table: whether it is an SQLite virtual table} for every table but FTS5's own."""
    virtual = set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = {name for (name,) in cursor.fetchall()}
    shadows = {table + suffix for table in virtual for suffix in FTS5_SHADOWS}
    return {table: table in virtual for table in connection.introspection.table_names() if table not in shadows}


def table_rows(table, virtual):
    """(columns, rows) of a table, in the form insert_rows() writes back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's own text keeps every type (json, ranges, tsvector) exactly as stored.
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                return None, b"".join(bytes(block) for block in copy)
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        columns = (["rowid"] if virtual else []) + [row[1] for row in cursor.fetchall()]
        # A unary plus leaves each value as stored: Django's converters (times, decimals)
        # only see plain columns, and their results would not go back in.
        values = ", ".join(f"+{quote(column)}" for column in columns)
        cursor.execute(f"SELECT {values} FROM {quote(table)} ORDER BY 1")
        return columns, cursor.fetchall()


def insert_rows(cursor, table, columns, rows):
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
            copy.write(rows)
    elif rows:
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join("%s" for _ in columns)
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def models_of(tables):
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]


def media_files():
    media = Path(settings.MEDIA_ROOT)
    if not media.exists():
        return {}
    return {str(path.relative_to(media)): path.read_bytes() for path in media.rglob("*") if path.is_file()}
