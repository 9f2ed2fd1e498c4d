"""The platform's app config: at start-up it registers the PDF pipeline's waiting documents with
the sweep."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensverkstadConfig(AppConfig):
    name = "kompetensverkstad"
    verbose_name = _("Plattformen")

    def ready(self) -> None:
        # Signing in records the language the person chose (a signal receiver); the PDF
        # pipeline's waiting documents are pending work for the sweep.
        from .accounts import language  # noqa: F401
        from .pdfs import tasks  # noqa: F401
