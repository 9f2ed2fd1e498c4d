from celery import shared_task

from .tracking import evaluate_completion


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def evaluate_module_completion(user_id: int, module_id: int) -> int | None:
    """Idempotent: computes completion from the database and writes it under unique keys."""
    completion = evaluate_completion(user_id, module_id)
    return completion.pk if completion else None


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
    from .workshop_actions import send_cancellation_emails

    return send_cancellation_emails(session_id)
