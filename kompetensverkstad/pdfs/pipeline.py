"""The one way to ask for a PDF, to ask again after a failure, and to serve a ready file."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import FileResponse, HttpRequest

from kompetensverkstad.jobs.queue import enqueue_on_commit

from . import kinds
from .models import PdfDocument
from .tasks import render_pdf


def request_pdf(
    kind: str,
    source_id: int,
    owner: AbstractBaseUser | int | None = None,
    version: str = "",
    *,
    new_source: bool = False,
) -> PdfDocument:
    """The ``kind`` document of ``source_id`` at ``version``, made and queued if it is new.

    Call it inside the transaction that creates what is rendered: the row is the record of
    the work, the task is sent only after commit, and the same version asked for again reuses
    the row (and its file) already there. ``version`` tells versions of one source apart (a
    content hash, a page revision); kinds with one document per source leave it empty.
    ``new_source``: the source row was inserted in the caller's open transaction, so no other
    transaction can have asked for its document yet; the row is inserted without looking first
    (three statements fewer on a path every completed module takes).
    """
    kinds.get(kind)  # an unknown kind is a programming error: refuse it before writing a row
    owner_id = owner.pk if isinstance(owner, AbstractBaseUser) else owner
    # No savepoint of its own inside a caller's transaction (get_or_create makes one for its
    # insert): the row and the task's enqueue-on-commit belong to the caller's transaction.
    with transaction.atomic(savepoint=False):
        if new_source:
            document = PdfDocument.objects.create(
                kind=kind, source_id=source_id, content_hash=version, owner_id=owner_id
            )
            created = True
        else:
            document, created = PdfDocument.objects.get_or_create(
                kind=kind,
                source_id=source_id,
                content_hash=version,
                defaults={"owner_id": owner_id},
            )
        if created:
            enqueue_on_commit(render_pdf, document.pk)
    return document


def retry_pdf(document: PdfDocument) -> bool:
    """A learner's "försök igen": a failed document goes back to the queue with fresh attempts.

    Returns False (and changes nothing) for a document that has not failed.
    """
    changed = PdfDocument.objects.filter(pk=document.pk, state=PdfDocument.State.FAILED).update(
        state=PdfDocument.State.QUEUED, attempts=0, error=""
    )
    if changed:
        enqueue_on_commit(render_pdf, document.pk)
    return bool(changed)


def pdf_response(document: PdfDocument) -> FileResponse:
    """The ready file: a download that no cache keeps, or inline and cacheable for a public kind.

    The caller has checked ``may_download`` (the views here do); ``document.is_ready`` must hold.
    """
    kind = kinds.get(document.kind)
    public = kind.public
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not public,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=kind.content_type,
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


def downloadable(request: HttpRequest, document_id: int) -> PdfDocument | None:
    """The document if ``request.user`` may fetch it; None for a missing one and for anyone
    else's alike, so nothing is revealed about which documents exist."""
    document = PdfDocument.objects.filter(pk=document_id).first()
    if document is None or not kinds.may_download(request.user, document):
        return None
    return document
