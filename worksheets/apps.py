from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = _("Arbetsblad")

    def ready(self) -> None:
        # Registers this app's PDF renderers with the shared pipeline.
        from . import documents  # noqa: F401
