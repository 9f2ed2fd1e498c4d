"""The platform's own pages: the home page and information pages.

The home page shows what higher layers offer (featured modules, the latest lessons learned, the
project catalogue) through their template tags, so this module names none of their models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_FEATURES, LanguageSectionBlock, body_blocks
from .images import SiteImage
from .routing import RestrictionsFromCache


class HomePage(RestrictionsFromCache, Page):
    # Fetched with the page when it is served (kompetensverkstad/routing.py).
    serve_select_related = ("hero_image",)
    intro = RichTextField(_("inledning"), features=RICH_FEATURES, blank=True)
    hero_image = models.ForeignKey(
        SiteImage,
        verbose_name=_("toppbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(body_blocks(), blank=True, verbose_name=_("innehåll"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", help_text=_("Några meningar om vad besökaren kan göra här.")),
        FieldPanel("hero_image"),
        # The featured modules are rows of lessons' FeaturedModule (a ParentalKey to this page).
        InlinePanel(
            "featured_modules",
            label=_("Utvalda moduler"),
            help_text=_("Moduler som lyfts fram först på startsidan."),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    # By name only (no import): what an editor may add under the home page, including page
    # types of the apps built on the platform.
    subpage_types = [
        "lessons.ModulePage",
        "lessons.LessonsLearnedPage",
        "lessons.ProjectIndexPage",
        "kompetensverkstad.StandardPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("startsida")


class StandardPage(RestrictionsFromCache, Page):
    intro = models.TextField(_("ingress"), blank=True, max_length=600)
    # A section in another language: the accessibility statement must be readable in English.
    body = StreamField(
        [*body_blocks(), ("language_section", LanguageSectionBlock())],
        blank=True,
        verbose_name=_("innehåll"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", help_text=_("Visas i större stil under rubriken.")),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["kompetensverkstad.HomePage", "kompetensverkstad.StandardPage"]
    subpage_types = ["kompetensverkstad.StandardPage"]

    class Meta:
        verbose_name = _("informationssida")
