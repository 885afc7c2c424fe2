"""The one body StreamBlock every content type uses.

Links are resolved in StructValue classes so templates only print values.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Members write with a small, predictable set of features; the same list is
# the allow-list their submissions are sanitised to on the server.
PARAGRAPH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", gettext_lazy("Section heading")), ("h3", gettext_lazy("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text=gettext_lazy("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CalloutValue(blocks.StructValue):
    """Resolves the callout's optional link, internal page first."""

    @property
    def link_url(self):
        page = self.get("link_page")
        if page is not None and page.live:
            return page.url
        return self.get("link_url") or ""


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[
            ("info", gettext_lazy("Information")),
            ("tip", gettext_lazy("Tip")),
            ("warning", gettext_lazy("Safety note")),
        ],
        default="info",
    )
    text = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = blocks.URLBlock(required=False)
    link_label = blocks.CharBlock(max_length=80, required=False)

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        value_class = CalloutValue

    def clean(self, value):
        value = super().clean(value)
        if value.get("link_page") and value.get("link_url"):
            raise ValidationError(_("Link to a page or to an address, not both."))
        return value


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="blocks/paragraph_block.html"
    )
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
