"""Learning content: modules and their steps, lectures, lessons-learned articles, projects."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kompetensverkstad.blocks import RICH_FEATURES, KeyFigureBlock, body_blocks
from kompetensverkstad.models import SiteImage
from kompetensverkstad.search import clean_query

TIMESTAMP_RE = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$")


def parse_timestamp(value: str) -> int:
    """Seconds from "mm:ss" or "h:mm:ss"; ValueError for anything else."""
    match = TIMESTAMP_RE.match(value.strip())
    if not match:
        raise ValueError(value)
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


def validate_timestamp(value: str) -> None:
    try:
        parse_timestamp(value)
    except ValueError:
        raise ValidationError(
            _("Skriv tiden som mm:ss eller h:mm:ss, till exempel 04:30.")
        ) from None


def validate_webvtt(value: str) -> None:
    if value and not value.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValidationError(_("Textningen måste vara WebVTT och börja med raden ”WEBVTT”."))


def _step_context(request: HttpRequest, page: Page) -> dict:
    from .steps import step_context  # steps imports this module

    return step_context(request, page)


# --- Modules -------------------------------------------------------------------------------


class ModulePage(Page):
    """A course: ordered steps that a learner takes at their own pace or in a workshop."""

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

    def ordered_steps(self) -> list["ModuleStep"]:
        return list(self.steps.select_related("page", "page__content_type").all())

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        from .steps import module_progress  # steps imports this module

        progress = module_progress(self, request.user)
        steps = [view.step for view in progress.steps]
        context["steps"] = steps
        context["module_progress"] = progress
        context["total_minutes"] = sum(s.estimated_minutes for s in steps)
        context["required_minutes"] = sum(s.estimated_minutes for s in steps if s.required)
        return context


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


# --- Lectures ------------------------------------------------------------------------------


class LecturePage(RoutablePageMixin, Page):
    """A recorded lecture: self-hosted video, WebVTT captions, chapters and a full transcript."""

    intro = models.TextField(_("ingress"), max_length=600)
    video = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("film"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    poster = models.ForeignKey(
        "kompetensverkstad.SiteImage",
        verbose_name=_("affischbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.TextField(
        _("textning (WebVTT)"),
        blank=True,
        validators=[validate_webvtt],
        help_text=_("Klistra in textningsfilen i WebVTT-format. Den visas som undertexter."),
    )
    transcript = RichTextField(
        _("transkribering"),
        features=["h3", "bold", "italic", "ul", "ol"],
        blank=True,
        help_text=_("Hela föreläsningen som text, för den som inte kan eller vill se filmen."),
    )
    speaker = models.CharField(_("föreläsare"), max_length=200, blank=True)
    speaker_role = models.CharField(_("föreläsarens roll"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("längd (minuter)"), null=True, blank=True)
    recorded = models.CharField(
        _("inspelad"),
        max_length=200,
        blank=True,
        help_text=_("När och var, till exempel ”Mars 2019, Västervik”."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("video"), FieldPanel("poster"), FieldPanel("captions")],
            heading=_("Film och textning"),
        ),
        InlinePanel(
            "chapters",
            label=_("Kapitel"),
            help_text=_("Kapitel låter tittaren hoppa direkt till en del av filmen."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("speaker"), FieldPanel("speaker_role")]),
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("recorded")]),
            ],
            heading=_("Om föreläsningen"),
        ),
        FieldPanel("transcript"),
        InlinePanel("work_material", label=_("Arbetsmaterial till filmen")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("transcript"),
        index.SearchField("speaker"),
    ]
    parent_page_types = ["lessons.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("föreläsning")
        verbose_name_plural = _("föreläsningar")

    @path("")
    def lecture(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    # Wagtail routes "<page>/textning.vtt" as "/textning.vtt/", so the slash is optional here;
    # kompetensverkstad.urls lets a path ending in ".vtt" reach Wagtail's serve view.
    @re_path(r"^textning\.vtt/?$", name="captions")
    def captions_vtt(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(self.captions or "WEBVTT\n", content_type="text/vtt; charset=utf-8")
        response["Cache-Control"] = "public, max-age=300"
        return response

    @re_path(r"^kapitel\.vtt/?$", name="chapters")
    def chapters_vtt(self, request: HttpRequest) -> HttpResponse:
        chapters = list(self.chapters.all())
        end = (self.video.duration if self.video and self.video.duration else None) or (
            (self.duration_minutes or 0) * 60
        )
        lines = ["WEBVTT", ""]
        for i, chapter in enumerate(chapters):
            stop = (
                chapters[i + 1].seconds if i + 1 < len(chapters) else max(end, chapter.seconds + 1)
            )
            lines += [f"{_vtt_time(chapter.seconds)} --> {_vtt_time(stop)}", chapter.title, ""]
        return HttpResponse("\n".join(lines), content_type="text/vtt; charset=utf-8")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(_step_context(request, self))
        context["chapters"] = list(self.chapters.all())
        context["worksheets"] = [
            m.page for m in self.work_material.select_related("page").all() if m.page.live
        ]
        return context


def _vtt_time(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"


class LectureChapter(Orderable):
    lecture = ParentalKey(LecturePage, on_delete=models.CASCADE, related_name="chapters")
    start = models.CharField(
        _("start"), max_length=8, validators=[validate_timestamp], help_text=_("mm:ss")
    )
    title = models.CharField(_("rubrik"), max_length=200)

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("title")])]

    @property
    def seconds(self) -> int:
        return parse_timestamp(self.start)


class LectureWorkMaterial(Orderable):
    lecture = ParentalKey(LecturePage, on_delete=models.CASCADE, related_name="work_material")
    page = models.ForeignKey(
        "worksheets.WorksheetPage",
        verbose_name=_("arbetsblad"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("page")]


# --- Lessons learned -----------------------------------------------------------------------


class LessonsLearnedPage(Page):
    """ "Vad vi har lärt oss": expandable sections, testimonials, links to statistics."""

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

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(_step_context(request, self))
        return context


# --- Project register ----------------------------------------------------------------------


class Region(models.TextChoices):
    OVRE_NORRLAND = "ovre-norrland", "Övre Norrland"
    MELLERSTA_NORRLAND = "mellersta-norrland", "Mellersta Norrland"
    NORRA_MELLANSVERIGE = "norra-mellansverige", "Norra Mellansverige"
    STOCKHOLM = "stockholm", "Stockholm"
    OSTRA_MELLANSVERIGE = "ostra-mellansverige", "Östra Mellansverige"
    VASTSVERIGE = "vastsverige", "Västsverige"
    SMALAND_OARNA = "smaland-oarna", "Småland och öarna"
    SYDSVERIGE = "sydsverige", "Sydsverige"


class ProgrammeArea(models.TextChoices):
    COMPETENCE = "1", _("1 – Kompetensförsörjning")
    TRANSITIONS = "2", _("2 – Ökade övergångar till arbete")
    YOUTH = "3", _("3 – Sysselsättningsinitiativet för unga")


class ProjectIndexPage(Page):
    intro = models.TextField(_("ingress"), blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kompetensverkstad.HomePage"]
    subpage_types = ["lessons.ProjectPage"]
    max_count = 1
    PER_PAGE = 10

    class Meta:
        verbose_name = _("projektkatalog")

    def filtered_projects(self, params) -> tuple[models.QuerySet, dict]:
        projects = ProjectPage.objects.child_of(self).live().public()
        chosen = {
            "region": params.get("region", ""),
            "programme_area": params.get("programomrade", ""),
            "year": params.get("ar", ""),
            "q": clean_query(params.get("q", "")),
        }
        if chosen["region"] in Region.values:
            projects = projects.filter(region=chosen["region"])
        else:
            chosen["region"] = ""
        if chosen["programme_area"] in ProgrammeArea.values:
            projects = projects.filter(programme_area=chosen["programme_area"])
        else:
            chosen["programme_area"] = ""
        # isascii: "²" is a digit to Python but not a number to int().
        year_ok = chosen["year"].isascii() and chosen["year"].isdigit()
        if year_ok and 1990 <= int(chosen["year"]) <= 2100:
            year = int(chosen["year"])
            projects = projects.filter(start_date__lte=date(year, 12, 31)).filter(
                models.Q(end_date__gte=date(year, 1, 1)) | models.Q(end_date__isnull=True)
            )
        else:
            chosen["year"] = ""
        if chosen["q"]:
            matching = ProjectPage.objects.live().search(chosen["q"]).get_queryset()
            projects = projects.filter(pk__in=matching.values("pk"))
        return projects.order_by("title"), chosen

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        projects, chosen = self.filtered_projects(request.GET)
        projects = projects.select_related("owner_logo").prefetch_related("tagged_items__tag")
        paginator = Paginator(projects, self.PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("sida"))
        query = request.GET.copy()
        query.pop("sida", None)
        all_projects = ProjectPage.objects.child_of(self).live().public()
        years = all_projects.aggregate(first=models.Min("start_date"), last=models.Max("end_date"))
        context.update(
            page_obj=page_obj,
            projects=page_obj.object_list,
            chosen=chosen,
            filter_query=query.urlencode(),
            regions=Region.choices,
            programme_areas=ProgrammeArea.choices,
            years=range(years["first"].year, years["last"].year + 1)
            if years["first"] and years["last"]
            else [],
        )
        return context


class ProjectPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProjectPage(Page):
    """One integration project from the register, with the structured ESF fields."""

    summary = models.TextField(_("sammanfattning"), max_length=1000)
    project_number = models.CharField(_("projektnummer"), max_length=30, blank=True)
    project_owner = models.CharField(_("projektägare"), max_length=250)
    owner_logo = models.ForeignKey(
        "kompetensverkstad.SiteImage",
        verbose_name=_("bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("plats"), max_length=500, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    women_share = models.PositiveSmallIntegerField(
        _("andel kvinnor (%)"), null=True, blank=True, help_text=_("Där den är känd.")
    )
    start_date = models.DateField(_("projektstart"))
    end_date = models.DateField(_("projektslut"), null=True, blank=True)
    total_budget = models.PositiveBigIntegerField(_("total budget (kr)"), null=True, blank=True)
    esf_grant = models.PositiveBigIntegerField(_("beviljat ESF-stöd (kr)"), null=True, blank=True)
    cofinancing_rate = models.PositiveSmallIntegerField(
        _("unionens medfinansieringsgrad (%)"), null=True, blank=True
    )
    programme_area = models.CharField(
        _("programområde"), max_length=5, choices=ProgrammeArea.choices, blank=True
    )
    specific_objective = models.CharField(_("specifikt mål"), max_length=10, blank=True)
    intervention_type = models.CharField(_("interventionstyp"), max_length=10, blank=True)
    funding = models.CharField(
        _("finansiering"), max_length=200, blank=True, default="Europeiska socialfonden (ESF)"
    )
    website = models.URLField(_("webbplats"), blank=True)
    contact = models.ForeignKey(
        "kompetensverkstad.ContactPerson",
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = ParentalManyToManyField(
        "kompetensverkstad.Partner", verbose_name=_("samverkansparter"), blank=True
    )
    staff = ParentalManyToManyField(
        "kompetensverkstad.ContactPerson",
        verbose_name=_("medarbetare"),
        blank=True,
        related_name="projects",
    )
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], blank=True, verbose_name=_("intressanta fakta")
    )
    body = StreamField(body_blocks(), blank=True, verbose_name=_("metoder och resultat"))
    tags = ClusterTaggableManager(
        through=ProjectPageTag,
        blank=True,
        verbose_name=_("kategori"),
        help_text=_("Kategori, till exempel ”Arbetsmarknadsrelaterade insatser”."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary", help_text=_("Visas i katalogen och överst på sidan.")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("project_number"), FieldPanel("region")]),
                FieldPanel("project_owner"),
                FieldPanel("place", help_text=_("Kommuner eller orter där projektet verkar.")),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("planned_participants"), FieldPanel("women_share")]),
                FieldPanel("tags"),
            ],
            heading=_("Projektfakta"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("total_budget"), FieldPanel("esf_grant")]),
                FieldRowPanel([FieldPanel("cofinancing_rate"), FieldPanel("funding")]),
                FieldRowPanel(
                    [
                        FieldPanel("programme_area"),
                        FieldPanel("specific_objective"),
                        FieldPanel("intervention_type"),
                    ]
                ),
            ],
            heading=_("Finansiering och programmet"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact"),
                FieldPanel("staff"),
                FieldPanel("partners"),
                FieldPanel("website"),
                FieldPanel("owner_logo"),
            ],
            heading=_("Människor och parter"),
        ),
        FieldPanel("key_figures"),
        FieldPanel("body", help_text=_("Projektets metoder och resultat.")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("project_owner"),
        index.SearchField("place"),
        index.SearchField("project_number"),
        index.SearchField("body"),
        index.FilterField("region"),
        index.FilterField("programme_area"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]
    parent_page_types = ["lessons.ProjectIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Projektslut kan inte ligga före projektstart.")})
        if self.women_share is not None and self.women_share > 100:
            raise ValidationError({"women_share": _("Andelen kan vara högst 100 %.")})
        if self.cofinancing_rate is not None and self.cofinancing_rate > 100:
            raise ValidationError({"cofinancing_rate": _("Graden kan vara högst 100 %.")})

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Logos come with their renditions, so the partner list costs the same for any length.
        context["partner_list"] = self.partners.prefetch_related(
            models.Prefetch("logo", queryset=SiteImage.objects.prefetch_renditions())
        )
        context["staff_list"] = self.staff.all()
        context["tag_list"] = self.tags.all()
        return context


# Non-page models of the learner's path live in their own module; imported so Django sees them.
from .progress import (  # noqa: E402, F401
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    StepProgress,
)
from .workshops import SessionParticipant, WorkshopSession  # noqa: E402, F401
