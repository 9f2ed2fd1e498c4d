"""The record of every PDF: a row with a state, created in the same transaction as what it renders.

What a kind of document is made from, and who may fetch it, is registered by the app that owns
it (``kinds``); this row knows only the kind's name, the id of its source and its version. The
broker only carries the row's id; if the broker is away the row waits as ``queued`` and the
periodic sweep enqueues it again.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import label_of


def private_storage():
    return storages["private"]


def pdf_upload_to(instance: "PdfDocument", filename: str) -> str:
    # A folder per document keeps the readable name (it becomes the download's name) free of
    # the random suffix storage adds when two learners' files would otherwise share a name.
    return f"pdf/{instance.kind}/{timezone.now():%Y/%m}/{instance.pk}/{filename}"


class PdfDocument(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RENDERING = "rendering", _("Skapas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")
        # The file was deleted after its kind's ``keep_for`` (an export); ask for a new one.
        EXPIRED = "expired", _("Borttagen")

    # A name in the kind registry (kinds.py); the apps register theirs, so no choices here.
    kind = models.CharField(max_length=30)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pdf_documents",
        help_text=_("Den som får ladda ned filen; tomt för öppna dokument."),
    )
    # The id of the thing rendered, in its kind's own table.
    source_id = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pdf_upload_to, storage=private_storage, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF-dokument")
        verbose_name_plural = _("PDF-dokument")
        indexes = [models.Index(fields=["state", "updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id", "content_hash"], name="one_pdf_per_source_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.source_id} ({self.get_state_display()})"

    @property
    def kind_label(self) -> str:
        return label_of(self.kind)

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY and bool(self.file)
