from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lärande")

    def ready(self) -> None:
        # Registers this app's PDF renderers with the shared pipeline.
        from . import documents, workshop_documents  # noqa: F401
