"""StreamField blocks shared by every app's pages."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.compare import BlockComparison
from wagtail.images.blocks import ImageBlock as WagtailImageBlock
from wagtail.images.blocks import ImageBlockComparison

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Rubrik"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Nivå 2")), ("h3", _("Nivå 3"))],
        default="h2",
        label=_("Nivå"),
        help_text=_("Nivå 2 för avsnitt, nivå 3 för underavsnitt."),
    )

    class Meta:
        icon = "title"
        template = "components/heading_block.html"
        label = _("Rubrik")


class _ImageComparison(ImageBlockComparison):
    """Compares revisions where a draft holds no image yet.

    Drafts are saved without required-field checks, so a figure whose image is not chosen
    yet is stored as empty; Wagtail's own comparison then fails on it (500 on the history's
    "compare" page). An empty image is compared as an empty struct instead.
    """

    def __init__(self, block, exists_a, exists_b, val_a, val_b) -> None:
        BlockComparison.__init__(
            self,
            block,
            exists_a,
            exists_b,
            self._as_struct(block, val_a),
            self._as_struct(block, val_b),
        )

    @staticmethod
    def _as_struct(block, value):
        struct = block._image_to_struct_value(value)
        return (
            struct if struct is not None else {"image": None, "alt_text": "", "decorative": False}
        )

    def htmlvalue(self, val):
        return super().htmlvalue(self._as_struct(self.block, val) if val is None else val)


class ImageBlock(WagtailImageBlock):
    def get_comparison_class(self):
        return _ImageComparison

    def deconstruct(self):
        # Same stored shape as Wagtail's block: migrations keep naming Wagtail's class.
        _path, args, kwargs = super().deconstruct()
        return "wagtail.images.blocks.ImageBlock", args, kwargs


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Bild"))
    caption = blocks.CharBlock(required=False, label=_("Bildtext"), max_length=250)

    class Meta:
        icon = "image"
        template = "components/figure_block.html"
        label = _("Bild")


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("Värde"), max_length=20, help_text=_("Till exempel ”1 399” eller ”80 %”.")
    )
    label = blocks.CharBlock(label=_("Förklaring"), max_length=200)

    class Meta:
        icon = "pick"
        label = _("Nyckeltal")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Rubrik"), default=_("Intressanta fakta"), max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Nyckeltal"))
    source = blocks.CharBlock(required=False, label=_("Källa"), max_length=250)

    class Meta:
        icon = "table"
        template = "components/key_figures_block.html"
        label = _("Intressanta fakta")


class ResourceLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Länktext"), max_length=150)
    url = blocks.URLBlock(label=_("Adress"))
    description = blocks.TextBlock(required=False, label=_("Beskrivning"), max_length=400)

    class Meta:
        icon = "link-external"
        label = _("Länk")


class ResourceLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Rubrik"), default=_("Tips"), max_length=120)
    links = blocks.ListBlock(ResourceLinkBlock(), label=_("Länkar"))

    class Meta:
        icon = "link"
        template = "components/resource_links_block.html"
        label = _("Tips och länkar")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citat"), max_length=800)
    role = blocks.CharBlock(
        label=_("Vem säger det"),
        max_length=150,
        help_text=_("Roll eller organisation, till exempel ”Enhetschef, kommun i Kalmar län”."),
    )

    class Meta:
        icon = "openquote"
        label = _("Citat")


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Fråga eller rubrik"), max_length=200)
    quotes = blocks.ListBlock(QuoteBlock(), label=_("Citat"))
    more = blocks.RichTextBlock(
        required=False,
        features=RICH_FEATURES,
        label=_("Läs mer"),
        help_text=_("Visas när läsaren fäller ut ”Läs mer”."),
    )

    class Meta:
        icon = "group"
        template = "components/testimonials_block.html"
        label = _("Aktörerna berättar")


class ExpandableSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Rubrik"), max_length=200)
    summary = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Ingress"))
    more = blocks.RichTextBlock(
        required=False,
        features=RICH_FEATURES,
        label=_("Läs mer"),
        help_text=_("Fördjupningen som läsaren fäller ut."),
    )

    class Meta:
        icon = "collapse-down"
        template = "components/expandable_section_block.html"
        label = _("Avsnitt med Läs mer")


class LanguageSectionBlock(blocks.StructBlock):
    """A section written in another language than the page, marked with its ``lang`` (WCAG
    3.1.2) and reachable as ``#<language>``; the footer of the interface in that language links
    to it (e.g. the accessibility statement in English)."""

    language = blocks.ChoiceBlock(choices=settings.LANGUAGES, label=_("Språk"))
    heading = blocks.CharBlock(label=_("Rubrik"), max_length=200)
    body = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Text"))

    class Meta:
        icon = "site"
        template = "components/language_section_block.html"
        label = _("Avsnitt på ett annat språk")


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The general-purpose blocks every free-text body offers."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", blocks.RichTextBlock(features=RICH_FEATURES, label=_("Text"))),
        ("figure", FigureBlock()),
        ("section", ExpandableSectionBlock()),
        ("testimonials", TestimonialsBlock()),
        ("key_figures", KeyFiguresBlock()),
        ("resource_links", ResourceLinksBlock()),
    ]
