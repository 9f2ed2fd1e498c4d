"""Saving, submitting and asking for PDFs: each one database transaction, the PDF row included."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.queue import enqueue_on_commit
from lessons.models import ModuleStep
from lessons.progress import LearningEvent
from lessons.tracking import record_step_completed

from .answers import Cleaned, clean_answers, questions_of
from .responses import WorksheetResponse, WorksheetSubmission, answers_hash


def _locked_response(user: AbstractBaseUser, page) -> WorksheetResponse:
    WorksheetResponse.objects.bulk_create(
        [WorksheetResponse(user=user, worksheet=page)], ignore_conflicts=True
    )
    return WorksheetResponse.objects.select_for_update().get(user=user, worksheet=page)


def current_response(user: AbstractBaseUser, page) -> WorksheetResponse | None:
    if not user.is_authenticated:
        return None
    return WorksheetResponse.objects.filter(user=user, worksheet=page).first()


@transaction.atomic
def save_draft(user: AbstractBaseUser, page, raw: dict) -> tuple[WorksheetResponse, Cleaned]:
    """Store what validates; report the rest. Editing a submitted response reopens it."""
    response = _locked_response(user, page)
    cleaned = clean_answers(page, raw, response.answers)
    if cleaned.answers != response.answers:
        response.answers = cleaned.answers
        response.status = WorksheetResponse.Status.DRAFT
        response.save(update_fields=["answers", "status", "updated_at"])
    return response, cleaned


@transaction.atomic
def submit(
    user: AbstractBaseUser, page, raw: dict
) -> tuple[WorksheetResponse, WorksheetSubmission | None, Cleaned]:
    """Validate for submission; on success snapshot a version, queue its PDF, record the step."""
    response = _locked_response(user, page)
    draft = clean_answers(page, raw, response.answers)
    if draft.answers != response.answers:
        response.answers = draft.answers
        response.save(update_fields=["answers", "updated_at"])
    # Everything stored is checked again against the stricter submission rules (lengths).
    stored_values = {
        key: entry["value"] for key, entry in response.answers.items() if isinstance(entry, dict)
    }
    cleaned = clean_answers(page, stored_values, response.answers, submitting=True)
    cleaned.errors = {**cleaned.errors, **draft.errors}
    if cleaned.errors:
        return response, None, cleaned

    questions = [q.snapshot() for q in questions_of(page)]
    version = response.submissions.count() + 1
    submission = WorksheetSubmission.objects.create(
        response=response,
        version=version,
        answers=response.answers,
        questions=questions,
        content_hash=answers_hash(response.answers, questions, page.live_revision_id),
    )
    response.status = WorksheetResponse.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    request_response_pdf(response, submission)
    for step in ModuleStep.objects.filter(page_id=page.pk, kind=ModuleStep.Kind.WORKSHEET):
        record_step_completed(
            user,
            step,
            verb=LearningEvent.Verb.SUBMITTED,
            result={"version": version},
        )
    return response, submission, cleaned


def request_response_pdf(
    response: WorksheetResponse, submission: WorksheetSubmission
) -> PdfDocument:
    """The PDF of a submitted version; unchanged answers reuse the file already made."""
    document, created = PdfDocument.objects.get_or_create(
        kind=PdfDocument.Kind.WORKSHEET,
        source_id=response.pk,
        content_hash=submission.content_hash,
        defaults={"owner_id": response.user_id},
    )
    if created:
        _enqueue(document)
    return document


def latest_response_pdf(response: WorksheetResponse | None) -> PdfDocument | None:
    if response is None:
        return None
    submission = response.submissions.first()
    if submission is None:
        return None
    return PdfDocument.objects.filter(
        kind=PdfDocument.Kind.WORKSHEET,
        source_id=response.pk,
        content_hash=submission.content_hash,
    ).first()


def blank_pdf(page) -> PdfDocument:
    """The printable blank worksheet, one per published revision (so republishing rebuilds it)."""
    document, created = PdfDocument.objects.get_or_create(
        kind=PdfDocument.Kind.BLANK_WORKSHEET,
        source_id=page.pk,
        content_hash=f"revision-{page.live_revision_id}",
    )
    if created:
        _enqueue(document)
    return document


def _enqueue(document: PdfDocument) -> None:
    from kompetensverkstad.tasks import render_pdf

    enqueue_on_commit(render_pdf, document.pk)
