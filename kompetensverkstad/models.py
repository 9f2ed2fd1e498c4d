"""Site-wide models: images with required alt text, the home page, standard pages, snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import RICH_FEATURES, body_blocks


class SiteImage(AbstractImage):
    """Wagtail's image with the description made the required alternative text."""

    description = models.CharField(
        max_length=255,
        verbose_name=_("alternativtext"),
        help_text=_(
            "Beskriv vad bilden visar för den som inte ser den (WCAG 1.1.1). Skriv inte ”bild av”."
        ),
    )

    admin_form_fields = Image.admin_form_fields

    class Meta:
        verbose_name = _("bild")
        verbose_name_plural = _("bilder")


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_snippet
class Partner(index.Indexed, models.Model):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    logo = models.ForeignKey(
        SiteImage,
        verbose_name=_("logotyp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("webbplats"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("logo", help_text=_("Visas i partnerlistan, högst 160 px bred.")),
        FieldPanel("url", help_text=_("Organisationens egen webbplats.")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkanspart")
        verbose_name_plural = _("samverkansparter")

    def __str__(self) -> str:
        return self.name


@register_snippet
class ContactPerson(index.Indexed, models.Model):
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    photo = models.ForeignKey(
        SiteImage,
        verbose_name=_("foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role", help_text=_("Till exempel ”Projektledare”.")),
        FieldPanel("organisation"),
        FieldPanel("email", help_text=_("Visas som e-postlänk på sidorna där personen nämns.")),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class HomePage(Page):
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
        InlinePanel(
            "featured_modules",
            label=_("Utvalda moduler"),
            help_text=_("Moduler som lyfts fram först på startsidan."),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "lessons.ModulePage",
        "lessons.LessonsLearnedPage",
        "lessons.ProjectIndexPage",
        "kompetensverkstad.StandardPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("startsida")

    def get_context(self, request, *args, **kwargs):
        from lessons.models import LessonsLearnedPage, ProjectIndexPage

        context = super().get_context(request, *args, **kwargs)
        # Renditions are prefetched with the images, so the card images cost one query in all.
        featured = self.featured_modules.select_related("page").prefetch_related(
            models.Prefetch("page__image", queryset=SiteImage.objects.prefetch_renditions())
        )
        context["featured"] = [f.page for f in featured if f.page.live]
        context["latest_lessons"] = (
            LessonsLearnedPage.objects.live().public().order_by("-first_published_at")[:3]
        )
        context["project_index"] = ProjectIndexPage.objects.live().first()
        return context


class HomePageFeaturedModule(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_modules")
    page = models.ForeignKey(
        "lessons.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )

    panels = [PageChooserPanel("page", "lessons.ModulePage")]


class StandardPage(Page):
    intro = models.TextField(_("ingress"), blank=True, max_length=600)
    body = StreamField(body_blocks(), blank=True, verbose_name=_("innehåll"))

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


from .documents import PdfDocument  # noqa: E402, F401
from .people import Municipality, Profile  # noqa: E402, F401
