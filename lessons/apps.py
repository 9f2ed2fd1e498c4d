"""The top layer's app config: at start-up it plugs lessons into the seams of the layers below."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lärande")

    def ready(self) -> None:
        # Plugs this app into the seams of the layers below: its document kinds, a download
        # grant on the worksheet app's PDFs, the hand-in signal and the sweep's pending work,
        # its retention kinds and the kinds of staff access to personal data it logs.
        from .learning import certificates, receivers, tasks  # noqa: F401
        from .learning import retention as learning_retention
        from .reports import access as report_access
        from .workshops import pack, sharing
        from .workshops import retention as workshop_retention
        from .workshops import tasks as workshop_tasks  # noqa: F401

        certificates.register()
        pack.register()
        sharing.register()
        receivers.connect()

        # What this app holds of a person: the export's sections and erasure's rules.
        from .learning import privacy as learning_privacy
        from .workshops import privacy as workshop_privacy

        learning_privacy.register_rules()
        workshop_privacy.register_rules()
        # The kinds of data it culls by the retention decision, and the staff access it logs.
        learning_retention.register_kinds()
        workshop_retention.register_kinds()
        report_access.register_kinds()
