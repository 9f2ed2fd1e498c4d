"""Deleting the private files an erasure committed to delete, and expiring exports."""

import logging

from celery import shared_task
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F

from kompetensverkstad.jobs.queue import register_pending

from .models import FileDeletion

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def delete_erased_files(deletion_id: int) -> int:
    """Delete the files a ``FileDeletion`` row lists, then the row. Idempotent: a file already
    gone counts as deleted, and a row already gone means the work is done."""
    with transaction.atomic():
        deletion = (
            FileDeletion.objects.select_for_update(skip_locked=True).filter(pk=deletion_id).first()
        )
        if deletion is None:
            return 0
        FileDeletion.objects.filter(pk=deletion.pk).update(attempts=F("attempts") + 1)
        left = []
        for alias, name in deletion.names:
            try:
                storages[alias].delete(name)
            except Exception:  # a storage error: keep the name for the next sweep
                logger.exception("Could not delete an erased file (row %s)", deletion.pk)
                left.append([alias, name])
        if left:
            FileDeletion.objects.filter(pk=deletion.pk).update(names=left)
        else:
            deletion.delete()
    return len(deletion.names) - len(left)


def waiting_deletions(cutoff, limit: int) -> list[tuple[int]]:
    rows = FileDeletion.objects.filter(created_at__lte=cutoff).order_by("pk")
    return [(pk,) for pk in rows.values_list("pk", flat=True)[:limit]]


register_pending("erased-files", delete_erased_files, waiting_deletions)
