"""Fetching a PDF, asking how it is coming along, and asking for it again after a failure.

Every view checks the kind registry's permission first; someone else's document is answered
exactly like a missing one (404), so nothing is revealed. A document fetched by someone other
than its owner (a trainer fetching a shared worksheet) is written to the access log.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetensverkstad.links import safe_next
from kompetensverkstad.privacy.access import log_access
from kompetensverkstad.privacy.access.platform import DOCUMENT

from .models import PdfDocument
from .pipeline import downloadable, pdf_response, retry_pdf

PRIVATE = {"Cache-Control": "private, no-store"}


def _own_document(request: HttpRequest, document_id: int) -> PdfDocument:
    return get_object_or_404(PdfDocument, pk=document_id, owner=request.user)


@login_required
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    document = downloadable(request, document_id)
    if document is None:
        raise Http404
    if not document.is_ready:
        messages.info(request, _("Dokumentet är inte klart ännu."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    if document.owner_id is not None:
        # Not logged when the owner fetches their own (log_access skips the viewer's own data).
        log_access(request, document.owner_id, DOCUMENT, detail=document.kind_label)
    return pdf_response(document)


@login_required
def status(request: HttpRequest, document_id: int) -> JsonResponse:
    document = _own_document(request, document_id)
    return JsonResponse(
        {
            "state": document.state,
            "label": document.get_state_display(),
            "download_url": reverse("pdfs:download", args=[document.pk])
            if document.is_ready
            else None,
        },
        headers=PRIVATE,
    )


@login_required
@require_POST
def retry(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _own_document(request, document_id)
    if retry_pdf(document):
        messages.success(request, _("Vi försöker skapa dokumentet igen."))
    return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
