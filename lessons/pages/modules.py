"""Modules (courses) and their ordered steps, and the modules featured on the home page."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kompetensverkstad.blocks import RICH_FEATURES
from kompetensverkstad.routing import RestrictionsFromCache


class ModulePage(RestrictionsFromCache, Page):
    """A course: ordered steps that a learner takes at their own pace or in a workshop."""

    # Fetched with the page when it is served (kompetensverkstad/routing.py).
    serve_select_related = ("image",)

    intro = models.TextField(_("ingress"), max_length=600)
    image = models.ForeignKey(
        "kompetensverkstad.SiteImage",
        verbose_name=_("bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(_("målgrupp"), max_length=250, blank=True)
    outcomes = RichTextField(_("efter modulen kan du"), features=RICH_FEATURES, blank=True)
    min_lecture_minutes = models.PositiveSmallIntegerField(
        _("minst antal minuter föreläsning"),
        default=0,
        help_text=_("Krav för att modulen ska räknas som klar; 0 betyder inget krav."),
    )
    requires_workshop = models.BooleanField(
        _("kräver deltagande i workshop"),
        default=False,
        help_text=_("Modulen räknas som klar först när deltagaren har närvarat på en workshop."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("påminnelse efter antal dagar"),
        default=14,
        help_text=_(
            "En deltagare som har påbörjat modulen men inte gjort något på så här många dagar "
            "får en påminnelse per e-post; 0 betyder inga påminnelser."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", help_text=_("En eller två meningar som visas i listor och överst.")),
        FieldPanel("image"),
        FieldPanel("audience", help_text=_("Till exempel ”Medarbetare i kommuner och regioner”.")),
        FieldPanel(
            "outcomes", help_text=_("Vad deltagaren kan eller har reflekterat över efteråt.")
        ),
        MultiFieldPanel(
            [FieldPanel("min_lecture_minutes"), FieldPanel("requires_workshop")],
            heading=_("Krav för att bli klar"),
        ),
        FieldPanel("reminder_after_days"),
        InlinePanel(
            "steps",
            label=_("Steg"),
            min_num=1,
            help_text=_("Stegen i den ordning deltagaren tar dem."),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["kompetensverkstad.HomePage"]
    subpage_types = [
        "lessons.LecturePage",
        "worksheets.WorksheetPage",
        "lessons.LessonsLearnedPage",
    ]

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("moduler")


class ModuleStep(Orderable):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Föreläsning")
        WORKSHEET = "worksheet", _("Arbetsblad")
        ARTICLE = "article", _("Artikel")
        WORKSHOP = "workshop", _("Workshop")

    # Which page model each kind must point at; a workshop is led by a trainer, not a page.
    PAGE_MODELS = {
        Kind.LECTURE: "lecturepage",
        Kind.WORKSHEET: "worksheetpage",
        Kind.ARTICLE: "lessonslearnedpage",
    }

    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("sida"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        _("rubrik"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt för att använda sidans rubrik. Krävs för workshopsteg."),
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=600)
    estimated_minutes = models.PositiveSmallIntegerField(_("beräknad tid (minuter)"), default=15)
    required = models.BooleanField(
        _("obligatoriskt"),
        default=True,
        help_text=_("Obligatoriska steg krävs för att modulen ska räknas som klar."),
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("kind"), FieldPanel("estimated_minutes"), FieldPanel("required")]
        ),
        PageChooserPanel(
            "page",
            ["lessons.LecturePage", "worksheets.WorksheetPage", "lessons.LessonsLearnedPage"],
        ),
        FieldPanel("title"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("steg")
        verbose_name_plural = _("steg")

    def clean(self) -> None:
        super().clean()
        expected = self.PAGE_MODELS.get(self.kind)
        if expected is None:
            if not self.title:
                raise ValidationError({"title": _("Ett workshopsteg behöver en rubrik.")})
            return
        if self.page is None:
            raise ValidationError({"page": _("Välj sidan som steget består av.")})
        if self.page.content_type.model != expected:
            raise ValidationError(
                {
                    "page": _("Sidan passar inte stegets typ (%(kind)s).")
                    % {"kind": self.get_kind_display()}
                }
            )

    @property
    def display_title(self) -> str:
        return self.title or (self.page.title if self.page else "")

    def __str__(self) -> str:
        return self.display_title


class FeaturedModule(Orderable):
    """A module lifted onto the home page (the platform's page; the row is this app's)."""

    home = ParentalKey(
        "kompetensverkstad.HomePage", on_delete=models.CASCADE, related_name="featured_modules"
    )
    page = models.ForeignKey(
        ModulePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )

    panels = [PageChooserPanel("page", "lessons.ModulePage")]
