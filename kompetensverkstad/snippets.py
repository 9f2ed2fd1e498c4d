"""Site-wide snippets: the partners of a project and the people to contact."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .images import SiteImage


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
