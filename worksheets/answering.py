"""Answering a worksheet: saving a draft and handing it in, each one database transaction (the
submitted version's PDF row included).

Every change to the answers raises the response's ``draft_version``. A page sends the version it
was built from (``based_on``) with each save; the check runs under the row's lock, so of two
saves from the same version only the first is stored and the second is refused with
``StaleDraft`` — a reloaded form, the back button or a second tab never overwrites newer words
with older ones. A caller that sends no version (a script) gets the last save, as before.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .answers import Cleaned, clean_answers, questions_of, stored_values
from .pdfs import request_response_pdf
from .responses import WorksheetResponse, WorksheetSubmission, answers_hash
from .signals import worksheet_submitted


class StaleDraft(Exception):
    """A save from an older version of the draft than the stored one: nothing was written.

    ``response`` is the draft as stored (the newer one); ``unsaved`` holds, per question, what
    the refused save would have stored where that differs from it, so the page can show it.
    """

    def __init__(self, response: WorksheetResponse, unsaved: dict[str, Any]) -> None:
        super().__init__(f"draft {response.pk} is at version {response.draft_version}")
        self.response = response
        self.unsaved = unsaved


def _locked_response(user: AbstractBaseUser, page) -> WorksheetResponse:
    WorksheetResponse.objects.bulk_create(
        [WorksheetResponse(user=user, worksheet=page)], ignore_conflicts=True
    )
    return WorksheetResponse.objects.select_for_update().get(user=user, worksheet=page)


def current_response(user: AbstractBaseUser, page) -> WorksheetResponse | None:
    if not user.is_authenticated:
        return None
    return WorksheetResponse.objects.filter(user=user, worksheet=page).first()


def _refuse_if_stale(response: WorksheetResponse, cleaned: Cleaned, based_on: int | None) -> None:
    if based_on is None or based_on == response.draft_version:
        return
    stored = stored_values(response.answers)
    unsaved = {
        key: value
        for key, value in stored_values(cleaned.answers).items()
        if stored.get(key) != value
    }
    raise StaleDraft(response, unsaved)


def _store(response: WorksheetResponse, answers: dict, *fields: str) -> None:
    response.answers = answers
    response.draft_version += 1  # under the row's lock
    response.save(update_fields=["answers", "draft_version", "updated_at", *fields])


@transaction.atomic
def save_draft(
    user: AbstractBaseUser, page, raw: dict, based_on: int | None = None
) -> tuple[WorksheetResponse, Cleaned]:
    """Store what validates; report the rest. Editing a submitted response reopens it.

    Raises ``StaleDraft`` when ``based_on`` is not the stored draft's version.
    """
    response = _locked_response(user, page)
    cleaned = clean_answers(page, raw, response.answers)
    _refuse_if_stale(response, cleaned, based_on)
    if cleaned.answers != response.answers:
        response.status = WorksheetResponse.Status.DRAFT
        _store(response, cleaned.answers, "status")
    return response, cleaned


@transaction.atomic
def submit(
    user: AbstractBaseUser, page, raw: dict, based_on: int | None = None
) -> tuple[WorksheetResponse, WorksheetSubmission | None, Cleaned]:
    """Validate for submission; on success snapshot a version, queue its PDF, and tell the apps
    built on worksheets (``worksheet_submitted``: the learning path records the step).

    Raises ``StaleDraft`` when ``based_on`` is not the stored draft's version: what is handed in
    is never older than what was last saved.
    """
    response = _locked_response(user, page)
    draft = clean_answers(page, raw, response.answers)
    _refuse_if_stale(response, draft, based_on)
    if draft.answers != response.answers:
        _store(response, draft.answers)
    # Everything stored is checked again against the stricter submission rules (lengths).
    cleaned = clean_answers(
        page, stored_values(response.answers), response.answers, submitting=True
    )
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
