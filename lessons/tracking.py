"""Recording progress: the one interface every app calls when a learner finishes a step.

``record_step_completed`` is what the worksheet app calls on submission and the workshop app on
attendance. Each call is idempotent and safe under concurrency: the unique constraint on
(user, step) and a conditional UPDATE decide which caller made the transition, and only that
caller writes the "completed" event and asks for the module to be evaluated.
"""

import math
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kompetensverkstad.queue import enqueue_on_commit

from .models import ModulePage, ModuleStep
from .progress import CompletionCheck, LearningEvent, StepProgress, StepState

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
    """Record that (user, module) needs evaluating, and enqueue it once the row is committed."""
    from .tasks import evaluate_module_completion

    CompletionCheck.objects.bulk_create(
        [CompletionCheck(user_id=user_id, module_id=module_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "module"],
        update_fields=["requested_at"],
    )
    enqueue_on_commit(evaluate_module_completion, user_id, module_id)


def record_step_started(user: AbstractBaseUser, step: ModuleStep) -> None:
    _ensure_row(user, step)


@transaction.atomic
def record_step_completed(
    user: AbstractBaseUser,
    step: ModuleStep,
    verb: str = LearningEvent.Verb.COMPLETED,
    result: dict | None = None,
    context: dict | None = None,
) -> bool:
    """Mark ``step`` done for ``user``. Returns True if this call made the transition."""
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


def evaluate_completion(user_id: int, module_id: int):
    """Compute from the database whether the module is complete; write one completion row.

    Safe to run any number of times, late or concurrently: the completion and its certificate
    row are unique, and nothing here depends on what the caller thought had happened.
    """
    from django.contrib.auth import get_user_model

    from kompetensverkstad.documents import PdfDocument
    from kompetensverkstad.tasks import render_pdf

    from .progress import ModuleCompletion

    started = timezone.now()
    module = ModulePage.objects.filter(pk=module_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if module is None or user is None:
        CompletionCheck.objects.filter(user_id=user_id, module_id=module_id).delete()
        return None

    steps = list(module.steps.all())
    progress = {
        p.step_id: p
        for p in StepProgress.objects.filter(user_id=user_id, step__module_id=module_id)
    }
    done = {sid for sid, p in progress.items() if p.is_completed}
    complete = bool(steps) and all(s.pk in done for s in steps if s.required)
    if complete and module.min_lecture_minutes:
        watched = sum(
            progress[s.pk].watched_seconds
            for s in steps
            if s.kind == ModuleStep.Kind.LECTURE and s.pk in progress
        )
        complete = watched >= module.min_lecture_minutes * 60
    if complete and module.requires_workshop:
        complete = any(s.kind == ModuleStep.Kind.WORKSHOP and s.pk in done for s in steps)

    completion = None
    if complete:
        with transaction.atomic():
            completion, created = ModuleCompletion.objects.get_or_create(
                user_id=user_id,
                module_id=module_id,
                defaults={
                    # Cut to the columns: a first and a last name of 150 characters each make
                    # 301, which PostgreSQL refuses (the completion would never be recorded).
                    "learner_name": _fit(
                        "learner_name", user.get_full_name() or user.get_username()
                    ),
                    "module_title": _fit("module_title", module.title),
                    "estimated_minutes": sum(s.estimated_minutes for s in steps if s.required),
                },
            )
            if created:
                LearningEvent.objects.create(
                    actor_id=user_id,
                    verb=LearningEvent.Verb.COMPLETED,
                    object_type="module",
                    object_id=module_id,
                    context={"completion": completion.pk},
                )
            document, _ = PdfDocument.objects.get_or_create(
                kind=PdfDocument.Kind.CERTIFICATE,
                source_id=completion.pk,
                content_hash="",
                defaults={"owner_id": user_id},
            )
            ModuleCompletion.objects.filter(pk=completion.pk, certificate__isnull=True).update(
                certificate=document
            )
            if document.state == PdfDocument.State.QUEUED:
                enqueue_on_commit(render_pdf, document.pk)
    CompletionCheck.objects.filter(
        user_id=user_id, module_id=module_id, requested_at__lte=started
    ).delete()
    return completion


def _fit(field: str, value: str) -> str:
    from .progress import ModuleCompletion

    return value[: ModuleCompletion._meta.get_field(field).max_length]
