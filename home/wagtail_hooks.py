from wagtail import hooks

from home.rich_text import SiteAwarePageLinkHandler


# After Wagtail's own registration of the "page" link type, which this one replaces.
@hooks.register("register_rich_text_features", order=1)
def register_site_aware_page_links(features):
    features.register_link_type(SiteAwarePageLinkHandler)
