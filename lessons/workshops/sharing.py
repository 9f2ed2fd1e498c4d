"""Sharing answers: each participant chooses, per session, whether its trainer may see their
worksheet answers; only that trainer, for that session's worksheets, and nobody else."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone

from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from worksheets.pdfs import ANSWERED_WORKSHEET
from worksheets.responses import WorksheetResponse

from ..pages.modules import ModuleStep
from .models import SessionParticipant


def set_sharing(participant: SessionParticipant, shares: bool) -> bool:
    """The participant's choice for this session; returns True if it changed."""
    changed = (
        SessionParticipant.objects.filter(pk=participant.pk)
        .exclude(shares_answers=shares)
        .update(shares_answers=shares, shares_changed_at=timezone.now())
    )
    participant.shares_answers = shares
    return bool(changed)


def trainer_may_see_answers(trainer: AbstractBaseUser, learner_id: int, worksheet_id: int) -> bool:
    """True if ``learner`` shares with ``trainer`` in a session that covers the worksheet.

    Only the session's own trainer counts (not other trainers, not administrators): the
    learner chose to share with that person, for that session.
    """
    if not trainer.is_authenticated:
        return False
    shared = SessionParticipant.objects.filter(
        user_id=learner_id, shares_answers=True, session__trainer=trainer
    )
    module_ids = ModuleStep.objects.filter(
        page_id=worksheet_id, kind=ModuleStep.Kind.WORKSHEET
    ).values("module_id")
    return shared.filter(
        models.Q(session__worksheet_id=worksheet_id) | models.Q(session__module_id__in=module_ids)
    ).exists()


def may_download_shared_document(user: AbstractBaseUser, document: PdfDocument) -> bool:
    """A learner's worksheet PDF, for the trainer of a session the learner shares answers in."""
    if document.kind != ANSWERED_WORKSHEET or document.owner_id is None:
        return False
    response = (
        WorksheetResponse.objects.filter(pk=document.source_id, user_id=document.owner_id)
        .only("worksheet_id")
        .first()
    )
    return response is not None and trainer_may_see_answers(
        user, document.owner_id, response.worksheet_id
    )


def register() -> None:
    # The worksheet app owns its PDFs; this lets a sharing learner's trainer fetch them too.
    kinds.allow_download(ANSWERED_WORKSHEET, may_download_shared_document)
