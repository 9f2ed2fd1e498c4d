"""Answering a worksheet: saving a draft and handing it in, each one database transaction (the
submitted version's PDF row included)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .answers import Cleaned, clean_answers, questions_of
from .pdfs import request_response_pdf
from .responses import WorksheetResponse, WorksheetSubmission, answers_hash
from .signals import worksheet_submitted


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
    """Validate for submission; on success snapshot a version, queue its PDF, and tell the apps
    built on worksheets (``worksheet_submitted``: the learning path records the step)."""
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
    worksheet_submitted.send(
        sender=type(page), user=user, page=page, response=response, submission=submission
    )
    return response, submission, cleaned
