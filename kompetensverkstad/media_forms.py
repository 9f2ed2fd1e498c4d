"""The Wagtail admin's form for lecture films and sound (wagtailmedia), with checks on the files.

wagtailmedia checks only file extensions (in the model's ``clean``). Without these checks a
"thumbnail" could be any file named .png — a decompression bomb declaring billions of pixels
that every editor's browser then tries to decode — and a film or thumbnail of any size.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtailmedia.forms import BaseMediaForm

THUMBNAIL_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Lecture films are long; the limit keeps one upload from filling the media storage.
DEFAULT_MEDIA_MAX_UPLOAD_SIZE = 2 * 1024 * 1024 * 1024


def _extension(file: UploadedFile) -> str:
    return Path(file.name or "").suffix.lower().lstrip(".")


def _too_large(file: UploadedFile, limit: int) -> ValidationError:
    return ValidationError(
        _("Filen är för stor (%(size)s). Den får vara högst %(limit)s.")
        % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
    )


class MediaForm(BaseMediaForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file  # unchanged on edit
        limit = getattr(settings, "KV_MEDIA_MAX_UPLOAD_SIZE", DEFAULT_MEDIA_MAX_UPLOAD_SIZE)
        if file.size > limit:
            raise _too_large(file, limit)
        return file

    def clean_thumbnail(self):
        file = self.cleaned_data.get("thumbnail")
        if not isinstance(file, UploadedFile):
            return file
        if _extension(file) not in THUMBNAIL_EXTENSIONS:
            raise ValidationError(
                _("Miniatyrbilden måste vara en bild: %(allowed)s.")
                % {"allowed": ", ".join(THUMBNAIL_EXTENSIONS)}
            )
        limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        if file.size > limit:
            raise _too_large(file, limit)
        try:
            # Reads the header only: the declared size is checked before any pixel is decoded.
            with Image.open(file) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            raise ValidationError(_("Filen är ingen bild som går att läsa.")) from None
        finally:
            file.seek(0)
        if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            raise ValidationError(
                _("Bilden har för många bildpunkter (%(w)s × %(h)s).") % {"w": width, "h": height}
            )
        return file
