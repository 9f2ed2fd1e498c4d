"""The sweep: re-enqueue every piece of work the database still holds as waiting."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .queue import pending_work, send_now

# Rows younger than this were enqueued by their own request just now; the sweep leaves them.
SWEEP_MIN_AGE = timedelta(seconds=60)
# At most this many rows of each kind a run; the next run takes the rest.
SWEEP_BATCH = 5000


@shared_task(soft_time_limit=120, time_limit=180, ignore_result=True)
def sweep_pending_work(min_age_seconds: int | None = None) -> dict:
    """Re-enqueue every piece of work still waiting in the database.

    Runs from Celery beat. After a broker outage, flush or restart, the rows are all that is
    left, and this puts them back on the queue; the tasks are idempotent, so sending one twice
    is harmless. Which rows count as waiting is each app's to say (``register_pending``).
    """
    age = SWEEP_MIN_AGE if min_age_seconds is None else timedelta(seconds=min_age_seconds)
    cutoff = timezone.now() - age
    report: dict[str, int] = {}
    sent = 0
    for work in pending_work():
        waiting = list(work.waiting(cutoff, SWEEP_BATCH))
        report[work.name] = len(waiting)
        sent += sum(send_now(work.task, *ids) for ids in waiting)
    report["sent"] = sent
    return report
