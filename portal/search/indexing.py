"""What both database backends share: Chinese text is cut into words before it is indexed."""

import types

from .text import index_text


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
