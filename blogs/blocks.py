from wagtail import blocks


class ReferenceBlock(blocks.StructBlock):
    """One source an expert article relies on."""

    citation = blocks.TextBlock(max_length=500)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"
        template = "blocks/reference_block.html"
