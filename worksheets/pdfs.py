"""How worksheets become PDFs: a learner's submitted version, or the blank printable sheet.

Two document kinds of the shared pipeline, registered in ``WorksheetsConfig.ready()``.
"""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.pipeline import request_pdf

from .answers import answered_view
from .responses import WorksheetResponse, WorksheetSubmission

ANSWERED_WORKSHEET = "worksheet"
BLANK_WORKSHEET = "blank_worksheet"


def request_response_pdf(
    response: WorksheetResponse, submission: WorksheetSubmission
) -> PdfDocument:
    """The PDF of a submitted version; unchanged answers reuse the file already made."""
    return request_pdf(
        ANSWERED_WORKSHEET, response.pk, owner=response.user_id, version=submission.content_hash
    )


def latest_response_pdf(response: WorksheetResponse | None) -> PdfDocument | None:
    if response is None:
        return None
    submission = response.submissions.first()
    if submission is None:
        return None
    return PdfDocument.objects.filter(
        kind=ANSWERED_WORKSHEET,
        source_id=response.pk,
        content_hash=submission.content_hash,
    ).first()


def blank_pdf(page) -> PdfDocument:
    """The printable blank worksheet, one per published revision (so republishing rebuilds it)."""
    return request_pdf(BLANK_WORKSHEET, page.pk, version=f"revision-{page.live_revision_id}")


def build_answered(document: PdfDocument) -> kinds.Rendering:
    # One query: the submitted version with its response, learner and worksheet page.
    submission = WorksheetSubmission.objects.select_related(
        "response__user", "response__worksheet"
    ).get(response_id=document.source_id, content_hash=document.content_hash)
    response = submission.response
    page = response.worksheet
    current, removed = answered_view(page, submission.answers)
    context = {
        "page": page,
        "items": current,
        "removed": removed,
        "learner_name": display_name(response.user),
        "date": submission.submitted_at,
        "version": submission.version,
        "blank": False,
    }
    return kinds.Rendering(context, f"{slugify(page.title)[:60]}-v{submission.version}.pdf")


def build_blank(document: PdfDocument) -> kinds.Rendering:
    page = Page.objects.get(pk=document.source_id).specific
    current, _removed = answered_view(page, {})
    context = {"page": page, "items": current, "removed": [], "blank": True, "date": timezone.now()}
    return kinds.Rendering(context, f"{slugify(page.title)[:60]}-tomt.pdf")


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            name=ANSWERED_WORKSHEET,
            label=_("Ifyllt arbetsblad"),
            template="pdf/worksheet.html",
            build=build_answered,
        )
    )
    kinds.register(
        kinds.DocumentKind(
            name=BLANK_WORKSHEET,
            label=_("Tomt arbetsblad"),
            template="pdf/worksheet.html",
            build=build_blank,
            public=True,
        )
    )
