"""Recording progress, on the request side: the one interface for a learner finishing a step.

``record_step_completed`` is what a worksheet's hand-in (through the ``worksheet_submitted``
signal), a workshop's attendance, the lecture player and "Markera som klar" call. Each call is
idempotent and safe under concurrency: the unique constraint on (user, step) and a conditional
upsert decide which caller made the transition, and only that caller writes the "completed"
event and asks for the module to be evaluated. Evaluating the module is the worker's
(``completion``).

Asking is coalesced: the ``CompletionCheck`` row (one per learner and module) is the request,
and only the call that creates it enqueues the task. A burst of steps while the evaluation
waits joins the waiting row; the task deletes the row before it reads the progress, so a step
recorded after that creates a new row and a new task (``completion``).
"""

import json
import math
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from kompetensverkstad.jobs.queue import enqueue_on_commit
from kompetensverkstad.sql import prepared_cursor

from ..pages.modules import ModuleStep
from .models import LearningEvent, StepProgress, StepState
from .tasks import deliver_xapi_statements, evaluate_module_completion
from .xapi import enabled as xapi_enabled

# Share of a lecture that must actually have been played for it to count as watched.
WATCHED_SHARE = 0.9


def _ensure_row(user: AbstractBaseUser, step: ModuleStep) -> None:
    StepProgress.objects.bulk_create([StepProgress(user=user, step=step)], ignore_conflicts=True)


def _event(
    user: AbstractBaseUser,
    verb: str,
    step: ModuleStep,
    result: dict | None = None,
    context: dict | None = None,
) -> None:
    LearningEvent.objects.create(
        actor=user,
        verb=verb,
        object_type="step",
        object_id=step.pk,
        result=result or {},
        context={"module": step.module_id, "kind": step.kind, **(context or {})},
    )


def request_completion_check(user_id: int, module_id: int) -> None:
    """Record that (user, module) needs evaluating; enqueue it once the row is committed, if
    this call made the row (a waiting row already has its task, or the sweep's)."""
    if _insert_check(user_id, module_id):
        enqueue_on_commit(evaluate_module_completion, user_id, module_id)


# PostgreSQL: the row is locked when it exists (DO UPDATE locks every conflicting row, also
# where its WHERE is false, and ``WHERE false`` writes no new row version), so a task deleting
# it at that moment waits for this transaction, then reads the progress it wrote; a row the
# task deleted first is inserted anew (and enqueued). Only an inserted row is returned.
_CHECK_UPSERT = """
    INSERT INTO lessons_completioncheck (user_id, module_id, requested_at)
    VALUES (%s, %s, %s)
    ON CONFLICT (user_id, module_id)
    DO UPDATE SET requested_at = lessons_completioncheck.requested_at WHERE false
    RETURNING true
"""
# Elsewhere (SQLite) one writer at a time: a row there is waiting for its task.
_CHECK_INSERT = """
    INSERT INTO lessons_completioncheck (user_id, module_id, requested_at)
    VALUES (%s, %s, %s)
    ON CONFLICT (user_id, module_id) DO NOTHING
"""


def _insert_check(user_id: int, module_id: int) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_CHECK_UPSERT, [user_id, module_id, timezone.now()])
            return cursor.fetchone() is not None
        cursor.execute(_CHECK_INSERT, [user_id, module_id, timezone.now()])
        return cursor.rowcount == 1


# PostgreSQL: the whole of a completed step in one statement (one round trip, atomic by
# itself): the progress upsert returns a row only when it changed the state, and the event and
# the completion check are written from that row, so a repeated call writes nothing. A waiting
# check is locked, not rewritten (see _CHECK_UPSERT); only a check made here is returned.
_COMPLETE_STEP = """
    WITH progress AS (
        INSERT INTO lessons_stepprogress AS p
            (user_id, step_id, state, watched_ranges, watched_seconds,
             started_at, updated_at, completed_at)
        VALUES (%(user)s, %(step)s, %(done)s, '[]'::jsonb, 0, %(now)s, %(now)s, %(now)s)
        ON CONFLICT (user_id, step_id) DO UPDATE
            SET state = EXCLUDED.state, completed_at = EXCLUDED.completed_at,
                updated_at = EXCLUDED.updated_at
            WHERE p.state <> %(done)s
        RETURNING p.id
    ), event AS (
        INSERT INTO lessons_learningevent
            (actor_id, verb, object_type, object_id, result, context, timestamp, statement_id)
        SELECT %(user)s, %(verb)s, 'step', %(step)s, %(result)s::jsonb, %(context)s::jsonb,
               %(now)s, %(statement)s::uuid
        FROM progress
    ), checks AS (
        INSERT INTO lessons_completioncheck AS c (user_id, module_id, requested_at)
        SELECT %(user)s, %(module)s, %(now)s FROM progress
        ON CONFLICT (user_id, module_id) DO UPDATE SET requested_at = c.requested_at WHERE false
        RETURNING c.id
    )
    SELECT (SELECT count(*) FROM progress), (SELECT count(*) FROM checks)
"""


def _complete_in_one_statement(
    user: AbstractBaseUser, step: ModuleStep, verb: str, result: dict, context: dict
) -> tuple[bool, bool]:
    """(whether the step changed, whether a new completion check was made)."""
    with prepared_cursor() as cursor:
        cursor.execute(
            _COMPLETE_STEP,
            {
                "user": user.pk,
                "step": step.pk,
                "module": step.module_id,
                "done": StepState.COMPLETED.value,
                "now": timezone.now(),
                "verb": verb,
                "result": json.dumps(result),
                "context": json.dumps(context),
                "statement": str(uuid.uuid4()),
            },
        )
        changed, created = cursor.fetchone()
    return bool(changed), bool(created)


def record_step_started(user: AbstractBaseUser, step: ModuleStep) -> None:
    _ensure_row(user, step)


def record_steps_launched(user: AbstractBaseUser, page_id: int) -> int:
    """The learner opened the page of one or more module steps: the first time for a step, one
    "launched" learning record. Returns how many steps were launched now.

    Opening a page changes no step's state (a step is started by doing something in it). One
    query when every step of the page was launched before (the page views after the first); a
    partial unique constraint keeps it to one record per learner and step, also when two tabs
    open the step at once.
    """
    steps = list(
        ModuleStep.objects.filter(page_id=page_id).exclude(
            pk__in=LearningEvent.objects.filter(
                actor=user, verb=LearningEvent.Verb.LAUNCHED, object_type="step"
            ).values("object_id")
        )
    )
    if not steps:
        return 0
    LearningEvent.objects.bulk_create(
        [
            LearningEvent(
                actor=user,
                verb=LearningEvent.Verb.LAUNCHED,
                object_type="step",
                object_id=step.pk,
                context={"module": step.module_id, "kind": step.kind},
            )
            for step in steps
        ],
        ignore_conflicts=True,
    )
    # bulk_create sends no post_save, which is what queues delivery of the other records.
    if xapi_enabled():
        enqueue_on_commit(deliver_xapi_statements)
    return len(steps)


def record_step_completed(
    user: AbstractBaseUser,
    step: ModuleStep,
    verb: str = LearningEvent.Verb.COMPLETED,
    result: dict | None = None,
    context: dict | None = None,
) -> bool:
    """Mark ``step`` done for ``user``. Returns True if this call made the transition.

    On PostgreSQL one statement, atomic by itself (no transaction of its own needed); elsewhere
    the same rows written by the ORM in a transaction.
    """
    if connection.vendor == "postgresql":
        context = {"module": step.module_id, "kind": step.kind, **(context or {})}
        changed, created = _complete_in_one_statement(user, step, verb, result or {}, context)
        if created:
            enqueue_on_commit(evaluate_module_completion, user.pk, step.module_id)
        # The event was written without a post_save, which is what queues its delivery.
        if changed and xapi_enabled():
            enqueue_on_commit(deliver_xapi_statements)
        return changed
    with transaction.atomic():
        _ensure_row(user, step)
        now = timezone.now()
        changed = (
            StepProgress.objects.filter(user=user, step=step)
            .exclude(state=StepState.COMPLETED)
            .update(state=StepState.COMPLETED, completed_at=now, updated_at=now)
        )
        if changed:
            _event(user, verb, step, result, context)
            request_completion_check(user.pk, step.module_id)
    return bool(changed)


def merge_ranges(ranges: Iterable[Iterable[float]], limit: float) -> list[list[float]]:
    """Union of [start, end] ranges clipped to [0, limit]; bad pairs are dropped."""
    clean: list[list[float]] = []
    for pair in ranges:
        try:
            start, end = (float(x) for x in pair)
        except (TypeError, ValueError, OverflowError):
            continue
        # NaN slips through max()/min() as the other operand: [NaN, NaN] would count as all.
        if not (math.isfinite(start) and math.isfinite(end)):
            continue
        start, end = max(0.0, start), min(limit, end)
        if end > start:
            clean.append([start, end])
    clean.sort()
    merged: list[list[float]] = []
    for start, end in clean:
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(s, 1), round(e, 1)] for s, e in merged]


@transaction.atomic
def record_lecture_watched(
    user: AbstractBaseUser, step: ModuleStep, played: Iterable[Iterable[float]], duration: float
) -> StepProgress:
    """Add the ranges the player reports as played; complete the step at 90 % of the duration.

    Only played ranges count, so seeking to the end does not: the browser's ``video.played``
    holds what was actually shown.
    """
    _ensure_row(user, step)
    progress = StepProgress.objects.select_for_update().get(user=user, step=step)
    ranges = merge_ranges([*progress.watched_ranges, *played], duration)
    watched = int(sum(e - s for s, e in ranges))
    if watched > progress.watched_seconds:
        StepProgress.objects.filter(pk=progress.pk).update(
            watched_ranges=ranges, watched_seconds=watched, updated_at=timezone.now()
        )
        progress.watched_ranges, progress.watched_seconds = ranges, watched
    if duration > 0 and watched >= WATCHED_SHARE * duration and not progress.is_completed:
        record_step_completed(
            user,
            step,
            verb=LearningEvent.Verb.WATCHED,
            result={"watched_seconds": watched, "duration": round(duration)},
        )
        progress.refresh_from_db()
    return progress
