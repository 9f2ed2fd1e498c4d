"""Lessons-learned articles ("Vad vi har lärt oss"): expandable sections, testimonials, links."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kompetensverkstad.blocks import body_blocks
from kompetensverkstad.routing import RestrictionsFromCache


class LessonsLearnedPage(RestrictionsFromCache, Page):
    """ "Vad vi har lärt oss": expandable sections, testimonials, links to statistics.

    As a module step it shows where the learner is (the ``learner_progress`` template tag)."""

    intro = models.TextField(_("ingress"), max_length=800)
    body = StreamField(body_blocks(), verbose_name=_("innehåll"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", help_text=_("Visas i listor och överst på sidan.")),
        FieldPanel(
            "body",
            help_text=_(
                "Använd ”Avsnitt med Läs mer” för fördjupningar och ”Aktörerna berättar” för citat."
            ),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["kompetensverkstad.HomePage", "lessons.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("erfarenheter (vad vi har lärt oss)")
        verbose_name_plural = _("erfarenheter")
