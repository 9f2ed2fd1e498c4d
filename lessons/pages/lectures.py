"""Recorded lectures: self-hosted video, WebVTT captions, chapters and a full transcript."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kompetensverkstad.routing import RestrictionsFromCache

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


class LecturePage(RestrictionsFromCache, RoutablePageMixin, Page):
    """A recorded lecture: self-hosted video, WebVTT captions, chapters and a full transcript."""

    # Fetched with the page when it is served (kompetensverkstad/routing.py).
    serve_select_related = ("video", "poster")

    @staticmethod
    def serve_prefetch_related() -> tuple:
        # The chapters, and the work material with its worksheets: one query each.
        material = LectureWorkMaterial.objects.select_related("page")
        return ("chapters", models.Prefetch("work_material", queryset=material))

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
        context["chapters"] = list(self.chapters.all())
        # Served pages come with both prefetched (serve_prefetch_related); a preview asks here.
        material = self.work_material.all()
        if "work_material" not in getattr(self, "_prefetched_objects_cache", {}):
            material = material.select_related("page")
        context["worksheets"] = [m.page for m in material if m.page.live]
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
