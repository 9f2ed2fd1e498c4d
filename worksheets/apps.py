"""The worksheet app's config: at start-up it registers its two document kinds and its two
retention kinds (answers, drafts)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = _("Arbetsblad")

    def ready(self) -> None:
        from . import pdfs, retention

        pdfs.register()
        retention.register_kinds()
