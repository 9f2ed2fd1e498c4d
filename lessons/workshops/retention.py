"""Workshops and the learner's data: the retention kind for attendance (a participant's seat,
attendance mark and sharing choice, counted from the end of the session) and the kind of access
logged when a trainer opens a participant's shared answers."""

from django.utils.translation import gettext_lazy as _

from kompetensverkstad.privacy.access import register_access_kind
from kompetensverkstad.privacy.retention.kinds import RetentionKind, register

from .models import SessionParticipant

SHARED_ANSWERS = "shared_answers"


def register_kinds() -> None:
    register(
        RetentionKind(
            name="workshop_attendance",
            label=_("Deltagande i workshoppar"),
            queryset=SessionParticipant.objects.all,
            date_field="session__ends_at",
            batch_size=1000,
            counted_from=_("workshoppens slut"),
        )
    )
    register_access_kind(SHARED_ANSWERS, _("Delade svar i en workshop"))
