"""The Chinese-aware backend on PostgreSQL (see portal/search/__init__.py).

Title matches rank first here without help: Wagtail gives a page's title a boost, which
modelsearch turns into tsvector weight A against D for the body, and ts_rank weighs by it.
"""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery
from modelsearch.backends.database.postgres import postgres as upstream
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import Phrase, PlainText

from .indexing import SegmentingIndexerMixin, with_indexer
from .text import has_chinese, query_groups


class SegmentedQueryMixin:
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, Phrase) and has_chinese(query.query_string):
            # The index holds a long word's parts beside it, so the words of a Chinese phrase
            # need not be neighbours there: match all of them instead.
            query = PlainText(query.query_string)
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config=config, invert=invert)

        groups = query_groups(query.query_string)
        # A negated query swaps AND and OR (De Morgan), as upstream does for And and Or.
        any_of, all_of = (operator.and_, operator.or_) if invert else (operator.or_, operator.and_)
        combine = all_of if query.operator == "and" else any_of
        last = len(groups) - 1

        def alternatives(i, group):
            prefix = self.LAST_TERM_IS_PREFIX and i == last
            return reduce(any_of, (Lexeme(word, invert=invert, prefix=prefix) for word in group))

        lexemes = reduce(combine, (alternatives(i, group) for i, group in enumerate(groups)))
        return SearchQuery(lexemes, search_type="raw", config=config)

    def get_fields_vectors(self, search_query):
        # The model's own columns hold unsegmented text: search the segmented index columns
        # that hold these fields instead (any field but the title searches the whole body).
        columns = {"title" if field == "title" else "body" for field in self.fields}
        vectors = self.get_index_vectors(search_query)
        return [(vector, boost) for vector, boost in vectors if vector.name.split("__")[-1] in columns] or vectors


class PostgresSearchQueryCompiler(SegmentedQueryMixin, upstream.PostgresSearchQueryCompiler):
    pass


class PostgresAutocompleteQueryCompiler(SegmentedQueryMixin, upstream.PostgresAutocompleteQueryCompiler):
    pass


class ObjectIndexer(SegmentingIndexerMixin, upstream.ObjectIndexer):
    pass


class PostgresIndex(upstream.PostgresIndex):
    add_items = with_indexer(upstream.PostgresIndex.add_items, ObjectIndexer)


class PostgresSearchBackend(upstream.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    index_class = PostgresIndex
