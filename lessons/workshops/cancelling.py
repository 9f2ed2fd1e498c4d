"""Cancelling a session: one transaction marks it, and a task tells each participant once."""

from django.db import models, transaction
from django.utils import timezone

from kompetensverkstad.jobs.queue import enqueue_on_commit

from .models import WorkshopSession
from .tasks import send_workshop_cancellation


@transaction.atomic
def cancel_session(session: WorkshopSession) -> bool:
    """Cancel; the participants are told by mail after commit. False if already cancelled."""
    changed = WorkshopSession.objects.filter(
        pk=session.pk, status=WorkshopSession.Status.OPEN
    ).update(
        status=WorkshopSession.Status.CANCELLED,
        cancelled_at=timezone.now(),
        revision=models.F("revision") + 1,
        updated_at=timezone.now(),
    )
    session.refresh_from_db()
    if changed:
        enqueue_on_commit(send_workshop_cancellation, session.pk)
    return bool(changed)
