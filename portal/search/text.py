"""Cutting Chinese text into words for the search index and for queries.

SQLite FTS5 and PostgreSQL both take an unbroken run of Chinese characters as one token, so we
put spaces between the words jieba finds before text reaches them. Everything that is not
Chinese (English, digits) is left to the database's own tokenizer.
"""

import functools
import logging
import re
import threading
import time
from pathlib import Path

import jieba

logger = logging.getLogger(__name__)

TERMS_FILE = Path(__file__).with_name("terms.txt")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
# A query word is a run of Chinese characters or a run of other letters and digits.
QUERY_CHUNK = re.compile(f"([{HAN}]+)|[^\\W_{HAN}]+")

_lock = threading.Lock()


@functools.cache
def _terms():
    """The words of terms.txt, and each word's synonyms."""
    words, synonyms = [], {}
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group = [word.strip() for word in line.split("=")]
        words += group
        for word in group:
            synonyms[word] = tuple(other for other in group if other != word)
    return words, synonyms


@functools.cache
def _load_dictionary():
    # jieba logs every step of loading to stderr; our one line says how long it took.
    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.dt.initialize()
    words, _synonyms = _terms()
    for word in words:
        jieba.dt.add_word(word)
    logger.info("Chinese dictionary loaded in %.1f s", time.perf_counter() - started)
    return jieba.dt


def dictionary():
    """jieba's tokenizer with our terms, loaded on first use (1–3 s and 70–90 MB per process),
    not at start-up, so commands and processes that never search do not pay for it."""
    # functools.cache alone could load it twice when two requests arrive together.
    with _lock:
        return _load_dictionary()


def _cut(run):
    # Without HMM, characters jieba does not know stay single, the same in a page and in a
    # query, instead of being guessed into new words that depend on their neighbours.
    return dictionary().cut(run, HMM=False)


def _index_words(run):
    """Like jieba.cut_for_search: each word, preceded by every dictionary word inside it
    (cut_for_search stops at two and three characters, so 门诊大病登记 would not hold 门诊大病)."""
    known = dictionary().FREQ
    for word in _cut(run):
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                if known.get(word[start : start + size]):
                    yield word[start : start + size]
        yield word


def index_text(text):
    """Text to store in the index: Chinese runs cut into words separated by spaces."""
    return HAN_RUN.sub(lambda run: f" {' '.join(_index_words(run.group()))} ", text).strip()


def has_chinese(text):
    return bool(HAN_RUN.search(text))


def query_groups(query):
    """The words of a query, each with its synonyms: [("长护险", "长期护理保险"), ("申请",)].

    A query word is matched whole (jieba's precise mode keeps 长期护理保险 in one piece, and the
    index holds it); the groups are combined with the query's AND or OR. A query of punctuation
    only gives its raw words back, which match nothing, as in Wagtail.
    """
    _words, synonyms = _terms()
    # Control characters (a NUL typed or pasted) would break both databases' query syntax;
    # as the replacement character they are punctuation like any other.
    query = "".join(c if c.isprintable() or c.isspace() else "\ufffd" for c in query)
    words = []
    for chunk in QUERY_CHUNK.finditer(query):
        words += _cut(chunk.group()) if chunk.group(1) else [chunk.group()]
    if not words:
        return [(word,) for word in query.split()]
    return [(word, *synonyms.get(word, ())) for word in words]


def query_terms(query):
    """The words to highlight in a search result for a resident's query.

    These are the words the search matched on: the query cut into words as the index cuts
    pages, plus the synonyms of each from terms.txt. "长护险 申请" gives
    ["长期护理保险", "长护险", "申请"]. Longest first, so a regular expression made of them
    ("|".join(map(re.escape, terms)), case-insensitive) marks 长期护理保险 rather than a part of it.
    """
    terms = dict.fromkeys(word for group in query_groups(query) for word in group if QUERY_CHUNK.search(word))
    return sorted(terms, key=len, reverse=True)
