"""The project register: a catalogue with filters, and one page per integration project."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kompetensverkstad.blocks import KeyFigureBlock, body_blocks
from kompetensverkstad.routing import RestrictionsFromCache, public
from kompetensverkstad.search import clean_query


class Region(models.TextChoices):
    OVRE_NORRLAND = "ovre-norrland", _("Övre Norrland")
    MELLERSTA_NORRLAND = "mellersta-norrland", _("Mellersta Norrland")
    NORRA_MELLANSVERIGE = "norra-mellansverige", _("Norra Mellansverige")
    STOCKHOLM = "stockholm", _("Stockholm")
    OSTRA_MELLANSVERIGE = "ostra-mellansverige", _("Östra Mellansverige")
    VASTSVERIGE = "vastsverige", _("Västsverige")
    SMALAND_OARNA = "smaland-oarna", _("Småland och öarna")
    SYDSVERIGE = "sydsverige", _("Sydsverige")


class ProgrammeArea(models.TextChoices):
    COMPETENCE = "1", _("1 – Kompetensförsörjning")
    TRANSITIONS = "2", _("2 – Ökade övergångar till arbete")
    YOUTH = "3", _("3 – Sysselsättningsinitiativet för unga")


class ProjectIndexPage(RestrictionsFromCache, Page):
    intro = models.TextField(_("ingress"), blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kompetensverkstad.HomePage"]
    subpage_types = ["lessons.ProjectPage"]
    max_count = 1
    PER_PAGE = 10

    class Meta:
        verbose_name = _("projektkatalog")

    def filtered_projects(self, params) -> tuple[models.QuerySet, dict]:
        projects = public(ProjectPage.objects.child_of(self).live())
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
        all_projects = public(ProjectPage.objects.child_of(self).live())
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


class ProjectPage(RestrictionsFromCache, Page):
    """One integration project from the register, with the structured ESF fields."""

    # Fetched with the page when it is served (kompetensverkstad/routing.py).
    serve_select_related = ("owner_logo", "contact")

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
        # Logos come with the partners and their renditions in one more query, for any length.
        context["partner_list"] = self.partners.select_related("logo").prefetch_related(
            "logo__renditions"
        )
        context["staff_list"] = self.staff.all()
        context["tag_list"] = self.tags.all()
        return context


# Non-page models of the learner's path live in their own module; imported so Django sees them.
