"""The worksheet app's config: at start-up it registers its two document kinds and its
personal-data rule."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = _("Arbetsblad")

    def ready(self) -> None:
        from . import pdfs, privacy

        pdfs.register()
        # What this app holds of a person, for the export and erasure.
        privacy.register_rules()
