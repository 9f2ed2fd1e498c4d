"""What the worksheet app holds of a person, for the export and erasure
(``kompetensverkstad.privacy``): their answers — the draft and every submitted version.

Erasure deletes them (the submissions go with their response); the PDFs of the answers are the
learner's documents, which the platform's rule deletes with their files.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.privacy.registry import DataRule, Erasure, iso, register

from .responses import WorksheetResponse


def export_answers(user: AbstractBaseUser) -> list[dict]:
    responses = (
        WorksheetResponse.objects.filter(user=user)
        .select_related("worksheet")
        .prefetch_related("submissions")
        .order_by("pk")
    )
    return [
        {
            "worksheet": r.worksheet.title,
            "status": r.status,
            "draft_answers": r.answers,
            "draft_version": r.draft_version,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
            "submitted_at": iso(r.submitted_at),
            "submissions": [
                {
                    "version": s.version,
                    "submitted_at": iso(s.submitted_at),
                    "questions": s.questions,
                    "answers": s.answers,
                }
                for s in sorted(r.submissions.all(), key=lambda s: s.version)
            ],
        }
        for r in responses
    ]


def register_rules() -> None:
    register(
        DataRule(
            WorksheetResponse,
            Erasure.DELETE,
            section="worksheet_answers",
            title=_("Svar på arbetsblad"),
            export=export_answers,
            why="Answers, drafts and every submitted version (the submissions go with them).",
        )
    )
