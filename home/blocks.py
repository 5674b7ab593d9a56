"""The StreamField blocks every page body is built from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=100)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"


class CalloutBlock(blocks.StructBlock):
    """A boxed paragraph for what a reader must not miss (bring your ID card, ...)."""

    title = blocks.CharBlock(label=_("title"), max_length=100)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/figure_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), icon="pilcrow", features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    figure = FigureBlock()
    callout = CalloutBlock()
