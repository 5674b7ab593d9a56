"""Suggestions like one a resident is about to file, so they can support it (附议) instead of
filing it again. Texts are compared by their jieba words (cut as the site search cuts a query,
portal/search/text.py) and their pairs of neighbouring characters: jieba cuts the same phrase
differently in different sentences (车棚里 becomes 车 棚里), and the pairs still meet.

Only suggestions on the area's public board are offered, in their approved wording: another
resident's own words may hold their name or number (docs/architecture.md, personal data).
"""

from outreach.models import Suggestion
from portal.search.text import HAN_RUN, query_groups

LIMIT = 5
CANDIDATES = 1000  # the most recent open ones; an area has far fewer


def words(text):
    """The jieba words of two characters or more, and every pair of neighbouring Chinese characters."""
    text = text or ""
    cut = {word for group in query_groups(text) for word in group[:1] if len(word) >= 2 and not word.isdigit()}
    pairs = {run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)}
    return cut | pairs


def similar(area, text, category=None, limit=LIMIT):
    """Up to `limit` open suggestions of the area sharing words with `text`, those sharing the most
    of its words first: at least three in common, or half of the few `text` has."""
    mine = words(text)
    if not mine:
        return []
    candidates = (
        Suggestion.objects.for_area(area)
        .open()
        .on_public_board()
        .select_related("category")
        .order_by("-received_at")[:CANDIDATES]
    )
    scored = []
    for suggestion in candidates:
        theirs = words(suggestion.public_text)
        shared = len(mine & theirs)
        if shared >= 3 or (shared and 2 * shared >= len(mine)):
            score = shared / len(mine) + (0.1 if category and suggestion.category_id == category.pk else 0)
            scored.append((score, suggestion.received_at, suggestion))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [suggestion for _score, _at, suggestion in scored[:limit]]
