"""A learner's answers to a worksheet: one response row (the draft), and a snapshot per submission.

Answers are a JSON object keyed by each question block's stable id. Each entry keeps the
question's wording as it was when answered, so an answer to a question that an editor later
removes can still be shown for what it was.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorksheetResponse(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inlämnat")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worksheet_responses"
    )
    worksheet = models.ForeignKey(
        "worksheets.WorksheetPage", on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    # Counts the changes to ``answers``. The page sends the version its form was built from with
    # every save; a save from an older one (a reloaded form, the back button, a second tab) is
    # refused instead of overwriting newer words (answering.StaleDraft).
    draft_version = models.PositiveIntegerField(
        _("utkastets version"),
        default=0,
        help_text=_("Ökar vid varje ändring av svaren; en sparning från en äldre version nekas."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("svar på arbetsblad")
        verbose_name_plural = _("svar på arbetsblad")
        constraints = [
            models.UniqueConstraint(fields=["user", "worksheet"], name="one_response_per_worksheet")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.worksheet_id}:{self.status}"


class WorksheetSubmission(models.Model):
    """What was handed in, as it was: the PDF of a submission is rendered from this snapshot."""

    response = models.ForeignKey(
        WorksheetResponse, on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.PositiveIntegerField()
    answers = models.JSONField()
    questions = models.JSONField(help_text="The worksheet's questions when submitted.")
    content_hash = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "version"], name="one_submission_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} v{self.version}"


def answers_hash(answers: dict, questions: list, worksheet_revision: int | None) -> str:
    """Identifies a PDF's content: unchanged answers on an unchanged worksheet reuse the file."""
    canonical = json.dumps(
        {"a": answers, "q": questions, "r": worksheet_revision},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
