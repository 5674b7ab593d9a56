"""The demo residents' areas for a test: `seed_demo` runs once per test run, and its rows are
copied back in for every later test that asks for them.

Seeding takes seconds (pages and revisions, recurring sessions, rotas, the search index); most
tests start from the demo, so running it for each of them was most of the suite's time. A copy
gives a test exactly what the command made: the same rows with the same ids, the search index
and the reference index, and the images' files in the test's own MEDIA_ROOT.

The copy is used only over the database the migrations left, on the day it was taken (the demo
is dated from today in Shanghai). Otherwise, say when a test made rows of its own before asking
for the demo, the command runs for real. test_seed_demo runs the command itself.
"""

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

# SQLite keeps an FTS5 table's words in tables of its own; copying the virtual table fills them.
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


class Snapshot:
    def __init__(self, day, before, tables, files):
        self.day = day
        self.before = before  # row counts of every table before seeding
        self.tables = tables  # {table: (columns, rows)} of the tables seeding changed
        self.files = files  # {path under MEDIA_ROOT: bytes}

    def fits(self):
        return self.day == timezone.localdate() and row_counts() == self.before

    def restore(self):
        # One transaction: foreign keys are checked once every table is back.
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
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


_snapshot = None


def seed_demo():
    """Fill the database with the demo, as `manage.py seed_demo` does."""
    global _snapshot
    if _snapshot is not None and _snapshot.fits():
        _snapshot.restore()
        return
    if _snapshot is not None and _snapshot.day == timezone.localdate():
        # The test made rows of its own first, which the copy would wipe out.
        call_command("seed_demo", stdout=io.StringIO())
        return
    before_counts = row_counts()
    before = {table: table_rows(table, virtual) for table, virtual in copied_tables().items()}
    call_command("seed_demo", stdout=io.StringIO())
    changed = {}
    for table, virtual in copied_tables().items():
        rows = table_rows(table, virtual)
        if rows != before.get(table):
            changed[table] = rows
    _snapshot = Snapshot(timezone.localdate(), before_counts, changed, media_files())


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


def row_counts():
    tables = list(copied_tables())
    counts = {}
    with connection.cursor() as cursor:
        # SQLite allows 500 SELECTs in one compound statement.
        for start in range(0, len(tables), 400):
            chunk = tables[start : start + 400]
            cursor.execute(" UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in chunk))
            counts.update(cursor.fetchall())
    return counts


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
