"""Attendance: the trainer marks who was there, and each present participant's workshop steps
are completed through the learning path's one interface (``record_step_completed``), so they
count toward the module exactly like any other finished step."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..learning.models import LearningEvent
from ..learning.recording import record_step_completed
from .models import SessionParticipant, WorkshopSession


@transaction.atomic
def set_attendance(
    session: WorkshopSession, present_ids: set[int], marked_by: AbstractBaseUser
) -> tuple[int, int]:
    """Mark exactly ``present_ids`` (participant ids) as present. Returns (marked, unmarked).

    Every present participant gets the module's workshop steps completed (idempotent, so
    marking again also credits a workshop step added to the module later). Unmarking only
    changes the attendance list: the step stays completed and a completion already earned
    stays, because learning events are append-only and a certificate, once issued, must not
    silently disappear. A mistaken mark is corrected by an administrator.
    """
    steps = session.workshop_steps()
    now = timezone.now()
    marked = unmarked = 0
    participants = SessionParticipant.objects.select_for_update(of=("self",)).filter(
        session=session
    )
    for participant in participants.select_related("user"):
        present = participant.pk in present_ids
        if present and not participant.attended:
            participant.attended, participant.attended_at = True, now
            participant.save(update_fields=["attended", "attended_at"])
            marked += 1
        elif not present and participant.attended:
            participant.attended, participant.attended_at = False, None
            participant.save(update_fields=["attended", "attended_at"])
            unmarked += 1
        if present:
            for step in steps:
                record_step_completed(
                    participant.user,
                    step,
                    verb=LearningEvent.Verb.ATTENDED,
                    result={"session": session.pk},
                    context={"session": session.pk, "marked_by": marked_by.pk},
                )
    return marked, unmarked
