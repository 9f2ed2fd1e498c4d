"""The platform's app config: at start-up it registers the PDF pipeline's waiting documents with
the sweep, and the platform's personal-data rules."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensverkstadConfig(AppConfig):
    name = "kompetensverkstad"
    verbose_name = _("Plattformen")

    def ready(self) -> None:
        # The PDF pipeline's waiting documents are pending work for the sweep.
        from .pdfs import tasks  # noqa: F401

        # The registry of personal data: the platform's own models (and the third-party apps it
        # installs); the erasure's file deletions are pending work for the sweep.
        from .privacy import export, platform
        from .privacy import tasks as privacy_tasks  # noqa: F401

        platform.register_platform()
        export.register()
