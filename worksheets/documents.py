"""How worksheets become PDFs: a learner's submitted version, or the blank printable sheet."""

from django.utils import timezone
from django.utils.text import slugify

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.pdf import register_renderer

from .answers import answered_view
from .models import WorksheetPage
from .responses import WorksheetResponse


@register_renderer(PdfDocument.Kind.WORKSHEET)
def answered_worksheet(document: PdfDocument) -> tuple[str, dict, str]:
    response = WorksheetResponse.objects.select_related("user", "worksheet").get(
        pk=document.source_id
    )
    submission = response.submissions.get(content_hash=document.content_hash)
    page = response.worksheet
    current, removed = answered_view(page, submission.answers)
    context = {
        "page": page,
        "items": current,
        "removed": removed,
        "learner_name": response.user.get_full_name() or response.user.get_username(),
        "date": submission.submitted_at,
        "version": submission.version,
        "blank": False,
    }
    return "pdf/worksheet.html", context, f"{slugify(page.title)[:60]}-v{submission.version}.pdf"


@register_renderer(PdfDocument.Kind.BLANK_WORKSHEET)
def blank_worksheet(document: PdfDocument) -> tuple[str, dict, str]:
    page = WorksheetPage.objects.get(pk=document.source_id)
    current, _ = answered_view(page, {})
    context = {"page": page, "items": current, "removed": [], "blank": True, "date": timezone.now()}
    return "pdf/worksheet.html", context, f"{slugify(page.title)[:60]}-tomt.pdf"
