"""Wagtail's database search backend, taught to find Chinese words (docs/architecture.md, Chinese search).

Set WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}. Pages and other indexed
models are stored with their Chinese text cut into words (text.index_text), and queries are cut
the same way, with synonyms from terms.txt (text.query_groups), on SQLite FTS5 and PostgreSQL.
`.search()` and `.autocomplete()` (Wagtail's admin search and choosers) both go through it.
"""

import types

from django.db import connection
from modelsearch.backends import database

from .text import index_text, query_terms

__all__ = ["SearchBackend", "query_terms"]


def SearchBackend(params):
    """The backend for the default database (modelsearch looks this name up in a backend module)."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    backend = database.SearchBackend(params)  # also finds out whether SQLite has FTS5
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        from .sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    return backend


class SegmentingIndexerMixin:
    """Cuts each text value of an object into words before it is indexed."""

    def prepare_value(self, value):
        if isinstance(value, (list, dict)):
            # The upstream method calls this one for each item: cut each text once.
            return super().prepare_value(value)
        return index_text(super().prepare_value(value))


def with_indexer(add_items, indexer_class):
    """An upstream Index.add_items that builds `indexer_class` objects.

    modelsearch names its ObjectIndexer class inside add_items with no way to swap it, so this
    is the same function looking that name up in a copy of its module's globals.
    """
    return types.FunctionType(
        add_items.__code__,
        {**add_items.__globals__, "ObjectIndexer": indexer_class},
        add_items.__name__,
        add_items.__defaults__,
        add_items.__closure__,
    )
