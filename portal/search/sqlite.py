"""The Chinese-aware backend on SQLite FTS5 (see portal/search/__init__.py)."""

from django.db.models import FloatField, Func
from modelsearch.backends.database.sqlite import sqlite as upstream
from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.query import Phrase, PlainText

from .indexing import SegmentingIndexerMixin, with_indexer
from .text import has_chinese, query_groups

# bm25() weights in the order of the FTS table's columns (autocomplete, body, title): a word
# in a page's title says more about the page than the same word in its body.
COLUMN_WEIGHTS = (1.0, 1.0, 10.0)


class WeightedBM25(Func):
    """The relevance of a MATCH; lower is better, as SQLite's bm25() counts."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        weights = ", ".join(map(str, COLUMN_WEIGHTS))
        return f"bm25({upstream.SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class MatchQuery(Lexeme):
    """A whole FTS5 query, written out by fts5_query (the upstream Lexeme quotes one word)."""

    def as_sql(self, compiler, connection):
        return "%s", [self.value]


def fts5_query(query, prefix_last):
    """("长护险" OR "长期护理保险") AND ("申请"*) for the PlainText query 长护险申请."""
    groups = query_groups(query.query_string)

    def quoted(word, prefix):
        return '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")

    return f" {query.operator.upper()} ".join(
        "(" + " OR ".join(quoted(word, prefix_last and i == len(groups) - 1) for word in group) + ")"
        for i, group in enumerate(groups)
    )


class SegmentedQueryMixin:
    def build_search_query_content(self, query, config=None):
        if isinstance(query, Phrase) and has_chinese(query.query_string):
            # The index holds a long word's parts beside it, so the words of a Chinese phrase
            # need not be neighbours there: match all of them instead.
            query = PlainText(query.query_string)
        if isinstance(query, PlainText):
            return SearchQueryExpression(MatchQuery(fts5_query(query, self.LAST_TERM_IS_PREFIX)))
        return super().build_search_query_content(query, config=config)

    def _build_rank_expression(self, vectors, config):
        # bm25() scores the whole MATCH at once; upstream adds it up per column and query part
        # with the same weight for title and body.
        return WeightedBM25()


class SQLiteSearchQueryCompiler(SegmentedQueryMixin, upstream.SQLiteSearchQueryCompiler):
    pass


class SQLiteAutocompleteQueryCompiler(SegmentedQueryMixin, upstream.SQLiteAutocompleteQueryCompiler):
    pass


class ObjectIndexer(SegmentingIndexerMixin, upstream.ObjectIndexer):
    pass


class SQLiteIndex(upstream.SQLiteIndex):
    add_items = with_indexer(upstream.SQLiteIndex.add_items, ObjectIndexer)


class SQLiteSearchBackend(upstream.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
