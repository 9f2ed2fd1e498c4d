"""What the learning path holds of a person, for the export and erasure
(``kompetensverkstad.privacy``).

Progress, events, reminder markers and pending checks are deleted. A completion is folded into
an ``AnonymousCompletion`` first — municipality, job title, start and completion time, the
module's title and the certificate's code — so the reports count it and the public check of the
certificate still says it was issued, and when, without a name.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.accounts.models import report_group
from kompetensverkstad.privacy.registry import DataRule, Erasure, iso, register

from .models import (
    AnonymousCompletion,
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    ReminderSent,
    StepProgress,
)


def export_progress(user: AbstractBaseUser) -> list[dict]:
    rows = (
        StepProgress.objects.filter(user=user)
        .select_related("step__module", "step__page")
        .order_by("step__module__title", "step__sort_order")
    )
    return [
        {
            "module": p.step.module.title,
            "step": p.step.display_title,
            "kind": p.step.kind,
            "state": p.state,
            "started_at": iso(p.started_at),
            "completed_at": iso(p.completed_at),
            "watched_seconds": p.watched_seconds,
        }
        for p in rows
    ]


def export_events(user: AbstractBaseUser) -> list[dict]:
    return [
        {
            "verb": e.verb,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "result": e.result,
            "context": e.context,
            "timestamp": iso(e.timestamp),
            "statement_id": str(e.statement_id),
            "sent_to_lrs_at": iso(e.sent_at),
        }
        for e in LearningEvent.objects.filter(actor=user).order_by("timestamp", "pk")
    ]


def export_completions(user: AbstractBaseUser) -> list[dict]:
    return [
        {
            "module": c.module_title,
            "learner_name": c.learner_name,
            "completed_at": iso(c.completed_at),
            "estimated_minutes": c.estimated_minutes,
            "verification_code": c.verification_code,
            "certificate_document": c.certificate_id,
        }
        for c in ModuleCompletion.objects.filter(user=user).order_by("completed_at")
    ]


def export_reminders(user: AbstractBaseUser) -> list[dict]:
    return [
        {"module_id": r.module_id, "idle_since": iso(r.idle_since), "sent_at": iso(r.sent_at)}
        for r in ReminderSent.objects.filter(user=user).order_by("claimed_at")
    ]


def fold_completions(user: AbstractBaseUser) -> None:
    """Turn the user's completions into anonymous ones (inside the erasure's transaction)."""
    group = report_group(user)
    completions = list(ModuleCompletion.objects.filter(user=user))
    AnonymousCompletion.objects.bulk_create(
        [
            AnonymousCompletion(
                module_id=c.module_id,
                **group,
                # The start the report measures from, so erasing leaves its median as it was.
                started_at=c.started_at,
                completed_at=c.completed_at,
                module_title=c.module_title,
                verification_code=c.verification_code,
            )
            for c in completions
        ]
    )


def register_rules() -> None:
    # Completions are folded before the progress they were measured from is deleted.
    register(
        DataRule(
            ModuleCompletion,
            Erasure.ANONYMISE,
            section="completions",
            title=_("Genomförda moduler"),
            export=export_completions,
            anonymise=fold_completions,
            why="Folded into AnonymousCompletion (reports, certificate check), then deleted.",
            order=10,
        )
    )
    register(
        DataRule(
            StepProgress,
            Erasure.DELETE,
            section="progress",
            title=_("Framsteg per steg"),
            export=export_progress,
            why="Progress per step.",
            order=20,
        )
    )
    register(
        DataRule(
            LearningEvent,
            Erasure.DELETE,
            user_field="actor",
            section="learning_events",
            title=_("Lärhändelser"),
            export=export_events,
            why="The event log; statements already sent to the LRS carry only a pseudonym.",
            order=20,
        )
    )
    register(
        DataRule(
            ReminderSent,
            Erasure.DELETE,
            section="reminders_sent",
            title=_("Skickade påminnelser"),
            export=export_reminders,
            why="Markers of reminders mailed.",
        )
    )
    register(DataRule(CompletionCheck, Erasure.DELETE, why="Pending work: evaluate a completion."))
