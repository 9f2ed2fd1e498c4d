"""Reflection worksheets: purpose, the trainer's instruction and the learner's questions."""

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import QUESTION_BLOCKS, StageBlock


class WorksheetPage(Page):
    purpose = models.TextField(
        _("syfte"), max_length=1000, help_text=_("Vad deltagarna får ut av aktiviteten.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("tid (minuter)"), default=45)
    group_size = models.CharField(
        _("gruppstorlek"), max_length=100, blank=True, help_text=_("Till exempel ”3–5 personer”.")
    )
    preparation = models.TextField(
        _("förberedelser"), blank=True, max_length=1500, help_text=_("Vad utbildaren ordnar före.")
    )
    stages = StreamField(
        [("stage", StageBlock())],
        blank=True,
        verbose_name=_("moment för utbildaren"),
    )
    questions = StreamField(QUESTION_BLOCKS, verbose_name=_("frågor"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("group_size")]),
                FieldPanel("preparation"),
                FieldPanel("stages", help_text=_("Momenten i ordning, med tid för var och ett.")),
            ],
            heading=_("Instruktion för utbildaren"),
        ),
        FieldPanel(
            "questions",
            help_text=_(
                "Deltagarnas frågor. Svaren knyts till varje fråga, så en fråga som flyttas "
                "eller skrivs om behåller sina svar."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.SearchField("questions"),
    ]
    parent_page_types = ["lessons.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("arbetsblad")
        verbose_name_plural = _("arbetsblad")

    def question_blocks(self) -> list[blocks.StreamValue.StreamChild]:
        """Questions that take a written answer, in order, each with its stable id."""
        return [q for q in self.questions if getattr(q.block, "answerable", False)]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["stage_minutes"] = sum(s.value["minutes"] for s in self.stages)
        return context
