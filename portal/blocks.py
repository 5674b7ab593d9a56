"""The StreamField blocks every page body is built from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
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


class DocumentBlock(blocks.StructBlock):
    """A file to download, such as a PDF application form, named the way a resident asks for it."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, max_length=100, help_text=_("Leave empty to use the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_block.html"


class ChecklistBlock(blocks.StructBlock):
    """What to bring: a list a resident can tick off on the phone before leaving home."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=100)
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("item", blocks.CharBlock(label=_("item"), max_length=200)),
                ("note", blocks.CharBlock(label=_("note"), required=False, max_length=200)),
            ],
            label=_("item"),
        ),
        label=_("items"),
        min_num=1,
    )

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "blocks/checklist_block.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=100)
    text = blocks.RichTextBlock(label=_("details"), required=False, features=["bold", "link", "ul"])

    class Meta:
        icon = "list-ol"
        label = _("Step")


def table_block():
    return TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("text"), required=False)),
            ("numeric", blocks.DecimalBlock(label=_("number"), required=False)),
        ],
        label=_("Table"),
        icon="table",
    )


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), icon="pilcrow", features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    figure = FigureBlock()
    callout = CalloutBlock()


class NoticeStreamBlock(BaseStreamBlock):
    """A notice's body: what any page has, plus forms to download and tables (times, fees, lists)."""

    document = DocumentBlock()
    table = table_block()
    checklist = ChecklistBlock()
