"""The site search at /search/?q= (English: /en/search/?q=).

It finds the current area's notices, activities and content pages and the subdistrict's
shared service guides, in the reader's language, through the search backend (portal.search,
which finds Chinese words inside text: docs/architecture.md, Chinese search). One search over one Page queryset,
so the backend ranks (title matches first) and counts once; a page of results costs a fixed
number of queries whatever it holds.
"""

import re
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from activities.models import ActivityPage, Occurrence
from home.models import ContentPage, NoticePage
from portal import locales
from portal.localtime import show_when
from portal.search import query_terms
from services.models import ServiceGuidePage

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100
EXCERPT_LENGTH = 120

# What a result says it is, by page class (the area's pages of other types are not searched).
RESULT_TYPES = {
    NoticePage: gettext_lazy("Notice"),
    ServiceGuidePage: gettext_lazy("Service guide"),
    ActivityPage: gettext_lazy("Activity"),
    ContentPage: gettext_lazy("Page"),
}
AREA_PAGE_TYPES = (NoticePage, ActivityPage, ContentPage)


def search(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page
    home = (
        Page.objects.live()
        .filter(translation_key=root.translation_key, locale__language_code=get_language())
        .select_related("locale")
        .first()
    )
    if home is None:
        language = root.locale.language_code
        if language == get_language():
            raise Http404
        # Fact 11: the area has no pages in this language, so search in its own instead.
        return redirect(translate_url(request.get_full_path(), language))
    locale = home.locale

    query, shortened = read_query(request)
    context = {"query": query, "shortened": shortened, "max_length": MAX_QUERY_LENGTH}
    if query:
        terms = query_terms(query)
        pages = findable_pages(home, locale).specific()
        results = paginate(request, pages.search(query, operator="and"))
        some_words = False
        if not results.paginator.count and len(terms) > 1:
            # Residents type whole questions (养老金怎么领): show the pages with some of the words.
            results = paginate(request, pages.search(query, operator="or"))
            some_words = True
        results.object_list = describe(request, list(results.object_list), terms)
        context.update(
            results=results,
            some_words=some_words,
            previous_url=page_link(query, results.previous_page_number()) if results.has_previous() else None,
            next_url=page_link(query, results.next_page_number()) if results.has_next() else None,
        )
        if not results.paginator.count:
            popular = ServiceGuidePage.objects.in_language(locale).filter(popular=True)
            context["popular"] = [(guide.title, guide.get_url(request)) for guide in popular]
    return TemplateResponse(request, "home/search.html", context)


def read_query(request):
    """The query with its spaces tidied, cut to MAX_QUERY_LENGTH, and whether it was cut."""
    query = " ".join("".join(c for c in request.GET.get("q", "") if c.isprintable() or c.isspace()).split())
    return query[:MAX_QUERY_LENGTH].strip(), len(query) > MAX_QUERY_LENGTH


def paginate(request, found):
    """A page of results; counting them is the only query until the page is read."""
    return Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))


def page_link(query, number):
    return "?" + urlencode({"q": query, "page": number})


def findable_pages(home, locale, now=None):
    """What a search on an area's site may find: the notices, activities and content pages under
    the area's home page in the reader's language (`home`), and the shared service guides in that
    language; only live and public ones, and none past its expiry even before publish_scheduled
    has unpublished it (as NoticePage.objects.current())."""
    now = now or timezone.now()
    in_area = Page.objects.descendant_of_q(home) & Page.objects.type_q(*AREA_PAGE_TYPES)
    guides = Q(id__in=ServiceGuidePage.objects.in_language(locale).values("pk"))
    # Filters on ids: the search backend filters only on fields Page indexes, and not expire_at.
    expired = Page.objects.filter(expire_at__lte=now).values("pk")
    return Page.objects.live().public().filter(in_area | guides).exclude(id__in=expired)


def describe(request, pages, terms):
    """What each result shows, for a page of (specific) result pages at once."""
    pattern = highlight_pattern(terms)
    sessions = next_sessions([page for page in pages if isinstance(page, ActivityPage)])
    languages = locales.language_codes() if pages else {}
    return [
        SimpleNamespace(
            title=highlight(page.title, pattern),
            url=page.get_url(request),
            type=next(label for model, label in RESULT_TYPES.items() if isinstance(page, model)),
            detail=result_detail(page, sessions),
            excerpt=excerpt(page_texts(page), pattern),
            language=languages[page.locale_id],
        )
        for page in pages
    ]


def result_detail(page, sessions):
    """A notice's date, a guide's theme, an activity's next session."""
    if isinstance(page, ActivityPage):
        session = sessions.get(page.translation_key)
        return _("Next session: %(when)s") % {"when": show_when(session.start, session.end)} if session else ""
    if isinstance(page, (NoticePage, ServiceGuidePage)):
        return page.search_detail()
    return ""


def next_sessions(activities, now=None):
    """{translation key: next session not cancelled} of the activities, in one query. A
    translation's sessions are its Chinese original's, which has the same translation key."""
    if not activities:
        return {}
    now = now or timezone.now()
    first = (
        Occurrence.objects.filter(activity=OuterRef("activity"), end__gt=now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start", "pk")
        .values("pk")[:1]
    )
    sessions = Occurrence.objects.filter(
        activity__translation_key__in={activity.translation_key for activity in activities}, pk=Subquery(first)
    ).annotate(translation_key=F("activity__translation_key"))
    return {session.translation_key: session for session in sessions}


def page_texts(page):
    """A page's texts that a search matches besides its title: its search description, then the
    text of each field it indexes."""
    yield page.search_description
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            yield field_text(page, field)


def field_text(page, field):
    """The plain text of one of a page's indexed fields."""
    try:
        model_field = field.get_field(type(page))
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, StreamField):
        # From the stored JSON: the loaded value would fetch its images and documents, a query per page.
        parts = block_text(model_field.stream_block, getattr(page, field.field_name).raw_data)
    else:
        value = field.get_value(page)  # rich text comes back as plain text
        parts = value if isinstance(value, list) else [value]
    return " ".join(str(part) for part in parts if part)


def block_text(block, raw):
    """The texts in a block's stored value; a chooser's (an image's, a document's id) has none."""
    if raw is None or isinstance(block, blocks.ChooserBlock):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [
            text
            for child in raw
            if child.get("type") in block.child_blocks
            for text in block_text(block.child_blocks[child["type"]], child.get("value"))
        ]
    if isinstance(block, blocks.ListBlock):
        # List items are stored as {"type": "item", "value": ..., "id": ...}, or bare in old data.
        return [
            text
            for item in raw
            for text in block_text(
                block.child_block, item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
            )
        ]
    if isinstance(block, blocks.StructBlock):
        values = raw if isinstance(raw, dict) else {}
        return [text for name, child in block.child_blocks.items() for text in block_text(child, values.get(name))]
    return block.get_searchable_content(block.to_python(raw))


def excerpt(texts, pattern, length=EXCERPT_LENGTH):
    """About `length` characters around the first match in the first text that has one (else the
    start of the first text), escaped, with the matched words in <mark>."""
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    if not texts:
        return ""
    text, start, hit = texts[0], 0, (0, 0)
    for candidate in texts:
        match = pattern.search(candidate) if pattern else None
        if match:
            text, start, hit = candidate, max(0, match.start() - length // 3), match.span()
            break
    end = min(len(text), start + length)
    start = max(0, end - length)  # a match near the end still gets a full excerpt
    # Not from or to the middle of an English word (Chinese has no spaces to cut at).
    if 0 < start and in_word(text, start):
        start = text.find(" ", start, hit[0]) + 1 or start
    if end < len(text) and in_word(text, end):
        end = max(text.rfind(" ", hit[1], end), 0) or end
    shown = highlight(text[start:end], pattern)
    return format_html("{}{}{}", "…" if start else "", shown, "…" if end < len(text) else "")


def in_word(text, position):
    """Whether `position` falls between two Latin letters or digits."""
    return all(char.isascii() and char.isalnum() for char in text[position - 1 : position + 1])


def highlight_pattern(terms):
    """A regular expression for the query's words (longest first, as query_terms gives them). A
    word in Latin letters or digits is matched from the start of a word, as the index matches it:
    "x" not inside "next", "5" not inside "15"."""
    if not terms:
        return None
    words = [rf"(?<![0-9A-Za-z]){re.escape(term)}" if term[0].isascii() else re.escape(term) for term in terms]
    return re.compile("|".join(words), re.IGNORECASE)


def highlight(text, pattern):
    """`text` escaped, with what `pattern` matches wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), format_html("<mark>{}</mark>", match.group())]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
