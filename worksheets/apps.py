"""The worksheet app's config: at start-up it registers its two document kinds, its
personal-data rule and its two retention kinds (answers, drafts)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = _("Arbetsblad")

    def ready(self) -> None:
        from . import pdfs, privacy, retention

        pdfs.register()
        # What this app holds of a person, for the export and erasure.
        privacy.register_rules()
        retention.register_kinds()
