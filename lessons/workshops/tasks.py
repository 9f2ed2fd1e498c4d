"""Workshop background work: telling a cancelled session's participants, and reminding them
the day before a session."""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kompetensverkstad.accounts.language import in_language_of
from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.jobs.queue import register_pending
from kompetensverkstad.links import absolute_url
from kompetensverkstad.mail import send_templated_mail

from .models import SessionParticipant, WorkshopSession
from .reminders import send_workshop_reminders


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # SMTP errors and lost connections are OSErrors.
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_workshop_cancellation(session_id: int) -> int:
    """Tell a cancelled session's participants. Idempotent: each participant is mailed once."""
    return send_cancellation_emails(session_id)


def send_cancellation_emails(session_id: int) -> int:
    """Mail each participant not yet told. Safe to run again: each row is marked once sent."""
    session = (
        WorkshopSession.objects.filter(pk=session_id, status=WorkshopSession.Status.CANCELLED)
        .select_related("trainer")
        .first()
    )
    if session is None:
        return 0
    trainer = display_name(session.trainer)
    sent = 0
    waiting = session.participants.filter(cancellation_sent_at__isnull=True).select_related(
        "user", "user__profile"
    )
    for participant in waiting:
        user = participant.user
        if user.email:
            # In the participant's language: the text, the date and the link.
            with in_language_of(user):
                send_templated_mail(
                    "workshop_cancelled",
                    {
                        "name": display_name(user),
                        "title": session.title,
                        "when": date_format(timezone.localtime(session.starts_at), "j F Y H:i"),
                        "trainer": trainer,
                        "url": absolute_url(reverse("learning:dashboard")),
                    },
                    to=[user.email],
                )
            sent += 1
        SessionParticipant.objects.filter(pk=participant.pk).update(
            cancellation_sent_at=timezone.now()
        )
    return sent


def waiting_cancellations(cutoff, limit: int) -> list[tuple[int]]:
    """Cancelled sessions whose participants have not all been told yet (each is marked once)."""
    sessions = WorkshopSession.objects.filter(
        status=WorkshopSession.Status.CANCELLED,
        cancelled_at__lte=cutoff,
        participants__cancellation_sent_at__isnull=True,
    )
    return [(pk,) for pk in sessions.values_list("pk", flat=True).distinct()[:limit]]


register_pending("cancellations", send_workshop_cancellation, waiting_cancellations)


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def send_workshop_day_before_reminders() -> int:
    """From Celery beat: each participant of a session starting within a day, once."""
    return send_workshop_reminders()
