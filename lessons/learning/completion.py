"""Completing a module, on the worker side: evaluate the rule, write one completion, queue its
certificate.

Safe to run any number of times, late or concurrently: the completion and its certificate row
are unique, and nothing here depends on what the caller thought had happened.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.pdfs.pipeline import request_pdf

from ..pages.modules import ModuleStep
from .certificates import CERTIFICATE
from .models import CompletionCheck, LearningEvent, ModuleCompletion, StepProgress
from .rules import module_rule


def evaluate_completion(user_id: int, module_id: int) -> ModuleCompletion | None:
    """Compute from the database whether the module is complete; write one completion row.

    The waiting ``CompletionCheck`` is deleted first, in the transaction that reads the
    progress: a step recorded at the same moment either committed before (and is read here) or
    waits on the deleted row and then makes a new check, and with it a new evaluation. So one
    evaluation answers a whole burst of steps, and none is lost.
    """
    # Only the columns the rule and the completion row read, and the module with its steps in
    # one query: a county's every burst of steps comes through here.
    steps = list(
        ModuleStep.objects.filter(module_id=module_id)
        .select_related("module")
        .only(
            "kind",
            "required",
            "estimated_minutes",
            "module__title",
            "module__min_lecture_minutes",
            "module__requires_workshop",
        )
    )
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .only("username", "first_name", "last_name")
        .first()
    )
    # A module without steps is never complete (the rule), so a missing one ends here too.
    if not steps or user is None:
        CompletionCheck.objects.filter(user_id=user_id, module_id=module_id).delete()
        return None
    module = steps[0].module

    with transaction.atomic():
        CompletionCheck.objects.filter(user_id=user_id, module_id=module_id).delete()
        progress = {
            p.step_id: p
            for p in StepProgress.objects.filter(user_id=user_id, step__module_id=module_id).only(
                "step_id", "state", "watched_seconds", "started_at"
            )
        }
        if not module_rule(module, steps, progress).complete:
            return None
        completion, created = ModuleCompletion.objects.get_or_create(
            user_id=user_id,
            module_id=module_id,
            defaults={
                # Cut to the columns: a first and a last name of 150 characters each make
                # 301, which PostgreSQL refuses (the completion would never be recorded).
                "learner_name": _fit("learner_name", display_name(user)),
                "module_title": _fit("module_title", module.title),
                "estimated_minutes": sum(s.estimated_minutes for s in steps if s.required),
                # The reports' time to complete starts here; the progress is already read.
                "started_at": min((p.started_at for p in progress.values()), default=None),
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
        if completion.certificate_id is None:
            document = request_pdf(CERTIFICATE, completion.pk, owner=user_id, new_source=created)
            ModuleCompletion.objects.filter(pk=completion.pk, certificate__isnull=True).update(
                certificate=document
            )
    return completion


def _fit(field: str, value: str) -> str:
    return value[: ModuleCompletion._meta.get_field(field).max_length]
