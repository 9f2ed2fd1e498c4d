"""Images with required alternative text, and their renditions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


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
