"""The nightly culling task (Celery beat, ``settings.CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .culling import cull


@shared_task(soft_time_limit=900, time_limit=960, ignore_result=True)
def cull_expired_data() -> dict:
    """Remove what is older than its retention period; returns the counts per kind.

    Safe to run twice or in two workers at once (each batch locks its rows, skipping those
    another run holds) and to stop at any point (each batch is committed on its own).
    """
    try:
        runs = cull()
    except SoftTimeLimitExceeded:
        # The batches done are committed and logged; the next run goes on from there.
        return {"stopped": "time limit"}
    return {run.kind: run.deleted for run in runs}
