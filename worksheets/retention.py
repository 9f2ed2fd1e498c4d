"""The worksheet app's retention kinds: submitted answers (with every submitted version and
their PDFs) and drafts never handed in, each counted from the answer's last change.

Registered in ``WorksheetsConfig.ready()`` with the platform's registry
(``kompetensverkstad.privacy.retention.kinds``); the periods are the administrators' settings.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.privacy.retention.files import delete_files_after_commit
from kompetensverkstad.privacy.retention.kinds import RetentionKind, register

from .pdfs import ANSWERED_WORKSHEET
from .responses import WorksheetResponse


def submitted_answers() -> QuerySet:
    return WorksheetResponse.objects.filter(submitted_at__isnull=False)


def drafts_never_submitted() -> QuerySet:
    return WorksheetResponse.objects.filter(submitted_at__isnull=True)


def delete_responses(batch: QuerySet) -> int:
    """The responses, their submitted versions (cascade), their PDF rows and, after commit,
    the PDF files (listed in the batch's transaction, so a crash leaves them to the sweep and a
    rolled-back batch keeps them)."""
    ids = list(batch.values_list("pk", flat=True))
    documents = PdfDocument.objects.filter(kind=ANSWERED_WORKSHEET, source_id__in=ids)
    files = [("private", name) for name in documents.values_list("file", flat=True) if name]
    documents.delete()
    _total, per_model = batch.delete()
    delete_files_after_commit(files)
    return per_model.get(WorksheetResponse._meta.label, 0)


def register_kinds() -> None:
    register(
        RetentionKind(
            name="worksheet_answers",
            label=_("Svar på arbetsblad (inlämnade)"),
            queryset=submitted_answers,
            date_field="updated_at",
            delete=delete_responses,
            batch_size=200,
            counted_from=_("svarets senaste ändring"),
        )
    )
    register(
        RetentionKind(
            name="worksheet_drafts",
            label=_("Utkast som aldrig lämnats in"),
            queryset=drafts_never_submitted,
            date_field="updated_at",
            delete=delete_responses,
            batch_size=500,
            counted_from=_("utkastets senaste ändring"),
        )
    )
