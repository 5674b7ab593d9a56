"""Build the POST data Wagtail's page editor would send for a page as it is now."""

from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)


def block_post_value(block, value):
    """Form data for the block kinds the demo pages use; others are posted as they are."""
    if isinstance(block, blocks.StreamBlock):
        return stream_post_data(value)
    if isinstance(block, blocks.StructBlock):
        return {name: block_post_value(child, value[name]) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        items = value.bound_blocks
        data = {"count": len(items)}
        for i, child in enumerate(items):
            item = block_post_value(block.child_block, child.value)
            data[str(i)] = {"deleted": "", "order": i, "id": child.id, "value": item}
        return data
    if isinstance(block, TypedTableBlock):
        return table_post_value(value)
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source)
    if isinstance(block, blocks.ChooserBlock):
        return value.pk if value is not None else ""
    return value


def table_post_value(table):
    columns = table.columns
    data = {"caption": table.caption, "column-count": len(columns), "row-count": len(table.row_data)}
    for i, column in enumerate(columns):
        data[f"column-{i}"] = {"type": column["block"].name, "order": i, "heading": column["heading"], "deleted": ""}
    for r, row in enumerate(table.row_data):
        data[f"row-{r}"] = {"order": r, "deleted": ""}
        for c, (column, cell) in enumerate(zip(columns, row["values"], strict=True)):
            data[f"cell-{r}-{c}"] = block_post_value(column["block"], cell)
    return data


def stream_post_data(stream_value):
    return streamfield([(child.block_type, block_post_value(child.block, child.value)) for child in stream_value])


def editor_form_data(html, page, stream_fields=("body", "materials", "steps", "forms")):
    """The edit form's plain inputs as rendered, plus StreamFields (which the editor
    fills in with JavaScript) rebuilt from the page's current value."""
    data = querydict_from_html(html, form_id="page-edit-form")
    # A ticked box without a value attribute posts "on" in a browser; Wagtail's helper posts "",
    # which Django reads as unticked.
    form = WagtailTestUtils.get_soup(html).find(id="page-edit-form")
    for box in form.find_all("input", type="checkbox", checked=True):
        if "value" not in box.attrs:
            data[box["name"]] = "on"
    streams = {name: stream_post_data(getattr(page, name)) for name in stream_fields if hasattr(page, name)}
    data.update(nested_form_data(streams))
    # A plain dict: the test client posts only the last value of each QueryDict key, which would
    # drop all but one ticked checkbox (a schedule's weekdays).
    return {key: values if len(values) > 1 else values[0] for key, values in data.lists()}
