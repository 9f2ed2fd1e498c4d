"""Culling: remove what is older than its kind's period, in bounded batches.

Each batch is its own transaction: its rows are locked with ``SKIP LOCKED`` (PostgreSQL), so
two runs at once take different rows and never wait for each other, and a run that is stopped
(time limit, restart) loses nothing — what it did is committed, the rest waits for the next
run. Running twice finds nothing the second time: culling is idempotent by its query.

``preview`` is the dry run: the same query counted, nothing deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.utils import timezone

from .kinds import RetentionKind, all_kinds
from .models import RetentionRun, RetentionSettings

logger = logging.getLogger(__name__)

# At most this many batches of one kind per run; the next run takes the rest.
MAX_BATCHES = 40


@dataclass(frozen=True)
class KindPlan:
    kind: RetentionKind
    period_days: int
    cutoff: datetime | None  # None: the period is 0, the kind is not culled

    @property
    def label(self) -> str:
        return str(self.kind.label)


def plans(now: datetime | None = None) -> list[KindPlan]:
    """Each registered kind with its period from the settings and the cutoff at ``now``."""
    now = now or timezone.now()
    settings = RetentionSettings.load()
    found = []
    for kind in all_kinds():
        days = getattr(settings, kind.setting_field)
        cutoff = now - timedelta(days=days) if days else None
        found.append(KindPlan(kind, days, cutoff))
    return found


@dataclass(frozen=True)
class Preview:
    plan: KindPlan
    count: int


def preview(now: datetime | None = None) -> list[Preview]:
    """The dry run: how many rows of each kind would go now. Deletes nothing."""
    return [
        Preview(plan, plan.kind.expired(plan.cutoff).count() if plan.cutoff else 0)
        for plan in plans(now)
    ]


def _lock_batch(kind: RetentionKind, cutoff: datetime) -> list[int]:
    batch = kind.expired(cutoff)
    if connection.features.has_select_for_update_skip_locked:
        # "of self": lock only the kind's rows, not the rows of a joined date (a session).
        of = ("self",) if connection.features.has_select_for_update_of else ()
        batch = batch.select_for_update(skip_locked=True, of=of)
    return list(batch.values_list("pk", flat=True)[: kind.batch_size])


def cull_kind(plan: KindPlan, max_batches: int = MAX_BATCHES) -> RetentionRun | None:
    """Cull one kind in batches; the log row says how many went. None when the kind is off."""
    if plan.cutoff is None:
        return None
    kind = plan.kind
    run = RetentionRun.objects.create(
        kind=kind.name, period_days=plan.period_days, cutoff=plan.cutoff, complete=False
    )
    deleted = 0
    complete = False
    try:
        for _batch in range(max_batches):
            with transaction.atomic():
                ids = _lock_batch(kind, plan.cutoff)
                went = kind.delete(kind.queryset().filter(pk__in=ids)) if ids else 0
            deleted += went
            if len(ids) < kind.batch_size and went == len(ids):
                complete = True
                break
            if not went:
                # Rows that could not go (an erasure refused): the next run tries again.
                break
    finally:
        # Written whatever happened, so a run cut short by its time limit still says what went.
        RetentionRun.objects.filter(pk=run.pk).update(
            deleted=deleted, complete=complete, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def cull(now: datetime | None = None, max_batches: int = MAX_BATCHES) -> list[RetentionRun]:
    """Cull every kind older than its period at ``now``; one log row per kind culled.

    A kind that fails is logged (its run row says incomplete) and the others still run.
    """
    runs = []
    for plan in plans(now):
        try:
            run = cull_kind(plan, max_batches)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("Culling %s failed; the next run tries again", plan.kind.name)
            continue
        if run is not None:
            runs.append(run)
    return runs
