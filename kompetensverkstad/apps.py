"""The platform's app config: at start-up it registers the PDF pipeline's waiting documents with
the sweep and connects the purge of the page cache."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensverkstadConfig(AppConfig):
    name = "kompetensverkstad"
    verbose_name = _("Plattformen")

    def ready(self) -> None:
        # The PDF pipeline's waiting documents are pending work for the sweep.
        # Publishing, moving and deleting pages, and changing shared content, purge the cache
        # of public pages.
        from .pagecache import connect_signals
        from .pdfs import tasks  # noqa: F401

        connect_signals()
