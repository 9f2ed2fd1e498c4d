"""The learning path's background work: evaluating whether a learner has completed a module,
and nudging learners who started a module and stopped."""

from celery import shared_task

from kompetensverkstad.jobs.queue import register_pending

from .completion import evaluate_completion
from .models import CompletionCheck, LearningEvent
from .reminders import send_module_reminders
from .xapi import LRSUnavailable, deliver_all, enabled


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


def waiting_checks(cutoff, limit: int) -> list[tuple[int, int]]:
    """Completion checks asked for before ``cutoff`` and not yet evaluated."""
    checks = CompletionCheck.objects.filter(requested_at__lte=cutoff)
    return list(checks.values_list("user_id", "module_id")[:limit])


register_pending("completion_checks", evaluate_module_completion, waiting_checks)


@shared_task(
    # Not acks_late: a redelivery after a crash must not start a second run beside the first.
    # The markers make a second run send nothing twice anyway.
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def send_learning_reminders() -> int:
    """From Celery beat: one reminder per idle learner, module and lull (``reminders``)."""
    return send_module_reminders()


@shared_task(
    autoretry_for=(LRSUnavailable,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=120,
    time_limit=180,
)
def deliver_xapi_statements() -> int:
    """Send the unsent learning records to the LRS in batches (``xapi``). Idempotent: each
    carries its fixed statement id and is marked sent only after the LRS stored it."""
    return deliver_all()


def waiting_statements(cutoff, limit: int) -> list[tuple]:
    """One delivery run when statements written before ``cutoff`` are still unsent."""
    if not enabled():
        return []
    unsent = LearningEvent.objects.filter(sent_at__isnull=True, timestamp__lte=cutoff)
    return [()] if unsent.exists() else []


register_pending("xapi_statements", deliver_xapi_statements, waiting_statements)
