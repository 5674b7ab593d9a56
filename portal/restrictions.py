"""Pages only some readers may see (Wagtail's view restrictions, each closing a page and all
below it), looked up once per generation of pages rather than every time a page asks.

Wagtail reads the restrictions table each time: `PageQuerySet.public()` once per listing (a
page's menu, its notices, its guides, its sessions each ask), and the check before a page is
served twice (the page's ancestors, then their restrictions). The paths of the restricted pages
are kept with the parts of pages (portal/page_cache.py, `remembered`): adding or removing a
restriction is a write, which starts a new generation.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from portal import page_cache

_check_page = Page.get_view_restrictions


def restricted_paths():
    """The paths of the pages that carry a view restriction."""
    return page_cache.remembered(
        "restricted-paths",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


def under_a_restriction(field="path"):
    """A Q matching rows whose `field` is the path of a restricted page or of a page below one;
    nothing where no page is restricted."""
    q = Q()
    for path in restricted_paths():
        q |= Q(**{f"{field}__startswith": path})
    return q if q else Q(pk__in=[])


def private_q(pages):
    # Wagtail's descendant_of_q(page, inclusive=True) with the kept paths: a path starting with a
    # page's path is that page's or a descendant's.
    return under_a_restriction()


def get_view_restrictions(page):
    # Where no page at all is restricted there is nothing to find. Otherwise Wagtail's own check,
    # which follows aliases to their source pages.
    if not restricted_paths():
        return PageViewRestriction.objects.none()
    return _check_page(page)


def keep_restrictions():
    PageQuerySet.private_q = private_q
    Page.get_view_restrictions = get_view_restrictions
