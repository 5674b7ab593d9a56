"""Wagtail's database search backend, taught to find Chinese words (docs/architecture.md, Chinese search).

Set WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}. Pages and other indexed
models are stored with their Chinese text cut into words (text.index_text), and queries are cut
the same way, with synonyms from terms.txt (text.query_groups), on SQLite FTS5 and PostgreSQL.
`.search()` and `.autocomplete()` (Wagtail's admin search and choosers) both go through it.
"""

from django.db import connection
from modelsearch.backends import database

from .text import query_terms

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
