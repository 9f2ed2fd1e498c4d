"""The learning path's retention kind: learning events (the xAPI statements' rows), counted from
when each happened. Progress per step and completions are not events and stay with the account.

The LRS keeps its own copy of the statements under its own rules; an event not yet delivered
when its period ends is culled all the same (the decision is about this platform's data).
"""

from django.utils.translation import gettext_lazy as _

from kompetensverkstad.privacy.retention.kinds import RetentionKind, register

from .models import LearningEvent


def register_kinds() -> None:
    register(
        RetentionKind(
            name="learning_events",
            label=_("Lärhändelser"),
            queryset=LearningEvent.objects.all,
            date_field="timestamp",
            batch_size=2000,
            counted_from=_("händelsen"),
        )
    )
