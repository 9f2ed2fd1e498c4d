"""The platform's app config: at start-up it registers the PDF pipeline's waiting documents with
the sweep, the platform's personal-data rules, its own retention kinds and kinds of logged
access, and connects the purge of the page cache."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KompetensverkstadConfig(AppConfig):
    name = "kompetensverkstad"
    verbose_name = _("Plattformen")

    def ready(self) -> None:
        # Signing in records the language the person chose (a signal receiver); the PDF
        # pipeline's waiting documents are pending work for the sweep.
        from .accounts import language  # noqa: F401
        from .pagecache import connect_signals
        from .pdfs import tasks  # noqa: F401

        # The registry of personal data: the platform's own models (and the third-party apps it
        # installs); the erasure's file deletions are pending work for the sweep.
        from .privacy import export, platform
        from .privacy import tasks as privacy_tasks  # noqa: F401
        from .privacy.access import platform as access_kinds
        from .privacy.retention import platform as retention_kinds

        platform.register_platform()
        export.register()
        # What the access log may record, and the platform's own retention kinds.
        access_kinds.register_kinds()
        retention_kinds.register_kinds()
        # Publishing, moving and deleting pages, and changing shared content, purge the cache
        # of public pages.
        connect_signals()
