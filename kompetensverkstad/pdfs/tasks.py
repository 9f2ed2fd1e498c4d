"""The PDF pipeline's one task, which renders a document of any registered kind."""

import gc
import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kompetensverkstad.accounts.language import in_language_of
from kompetensverkstad.jobs.queue import register_pending, send_now

from . import kinds
from .models import PdfDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    max_retries=MAX_ATTEMPTS - 1,
    retry_backoff=5,
    retry_jitter=True,
)
def render_pdf(self, document_id: int) -> str:
    """Render one document. Idempotent: a ready document is left alone.

    The state change to "rendering" is committed first so the learner sees it; the render
    itself runs under a row lock taken with SKIP LOCKED, so a duplicate delivery returns at
    once while the first renders. A worker killed mid-render releases the lock with its
    connection, and the redelivered task (late ack) or the sweep renders it again.
    """
    # A failed document waits for the learner's "försök igen" (an expired one for a new ask); a
    # duplicate or late delivery must not render it again (and count attempts past MAX_ATTEMPTS).
    # A row whose attempts are used up is never claimed: the rare path below fails it.
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        claimed = (
            PdfDocument.objects.filter(pk=document_id, attempts__lt=MAX_ATTEMPTS)
            .exclude(
                state__in=[
                    PdfDocument.State.READY,
                    PdfDocument.State.FAILED,
                    PdfDocument.State.EXPIRED,
                ]
            )
            .update(
                state=PdfDocument.State.RENDERING,
                attempts=F("attempts") + 1,
                updated_at=timezone.now(),
            )
        )
    if not claimed:
        if _give_up_on_unfinished_attempts(document_id):
            return PdfDocument.State.FAILED
        return "skipped"
    with transaction.atomic():
        document = (
            # The owner and their profile (the language the PDF is written in) come with the
            # row; only the row itself is locked.
            PdfDocument.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner__profile")
            .filter(pk=document_id, state=PdfDocument.State.RENDERING)
            .first()
        )
        if document is None:
            # Another delivery holds the row and is rendering it: this claim began no render, so
            # it must not count against MAX_ATTEMPTS (run once out of this transaction).
            transaction.on_commit(
                lambda: PdfDocument.objects.filter(pk=document_id, attempts__gt=0).update(
                    attempts=F("attempts") - 1
                )
            )
            return "busy"
        try:
            kind = kinds.get(document.kind)
            # In the language the learner last chose (the default for a public document).
            with in_language_of(document.owner):
                if kind.produce is not None:
                    produced = kind.produce(document)
                    pdf, filename = produced.content, produced.filename
                else:
                    # WeasyPrint (with fontTools, Pango, ~40 MB) is loaded by the processes that
                    # render, not by every one that imports the task: the web processes and the
                    # worker's main process only send it.
                    from .render import render_template_to_pdf

                    rendering = kind.build(document)
                    pdf = render_template_to_pdf(kind.template, rendering.context)
                    filename = rendering.filename
        except (Exception, SoftTimeLimitExceeded) as exc:
            logger.exception("Rendering PDF %s failed", document.pk)
            final = document.attempts >= MAX_ATTEMPTS or isinstance(exc, LookupError)
            document.state = PdfDocument.State.FAILED if final else PdfDocument.State.QUEUED
            document.error = f"{type(exc).__name__}: {exc}"[:2000]
            document.save(update_fields=["state", "error", "updated_at"])
        else:
            if document.file:
                document.file.delete(save=False)
            document.file.save(filename, ContentFile(pdf), save=False)
            document.state = PdfDocument.State.READY
            document.error = ""
            document.rendered_at = timezone.now()
            document.save(update_fields=["file", "state", "error", "rendered_at", "updated_at"])
            if kind.on_ready is not None:
                # Most kinds tell nobody (their page shows the state): no task for them.
                transaction.on_commit(lambda: send_now(notify_ready, document.pk))
    if _collect_after_render:
        # A render leaves ~3,000 objects in reference cycles (WeasyPrint's box tree) that only a
        # full collection frees, and Python runs one rarely: resident memory grew by about 8 MB
        # over the first 30 renders. With the process's startup objects frozen it takes ~1 ms.
        gc.collect()
    if document.state == PdfDocument.State.QUEUED:
        raise self.retry(countdown=5 * document.attempts)
    return document.state


def _commit_without_waiting_for_disk() -> None:
    """This transaction's COMMIT returns before PostgreSQL has flushed it to disk (2.7 ms here).

    Only for the claim: it is visible to every other session at once like any commit, and
    survives a killed worker; only a crash of the database server itself within a fraction of
    a second could lose it, and then the row is simply still queued and rendered again (the
    sweep). The outcome of a render (ready, failed) is committed durably as before.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# Set in worker children only (not in a web process that renders in-process, or in tests): there
# the collector would walk all of Django and Wagtail, ~130 ms.
_collect_after_render = False


@worker_process_init.connect(weak=False, dispatch_uid="kv_pdfs_load_renderer")
def _load_renderer(**kwargs) -> None:
    """Each worker child loads WeasyPrint, its fonts and the print stylesheet as it starts, once,
    so the first PDF it renders is no slower than the rest; then everything loaded so far is
    frozen (``gc.freeze``): it lives as long as the process, and the collector skips it."""
    global _collect_after_render
    try:
        from .render import load_print_styles

        load_print_styles()
    except Exception:
        # A child that cannot start runs no task at all; the render fails on its row instead.
        logger.exception("Loading the PDF renderer in a worker process failed")
    gc.freeze()
    _collect_after_render = True


def _give_up_on_unfinished_attempts(document_id: int) -> bool:
    """Hardening (render time limit): mark failed a document whose attempts all died unfinished.

    Asked only when ``render_pdf`` could not claim the row (so not on every render).

    A render killed by the hard time limit (or a crashed worker) never reaches the ``except``
    in ``render_pdf``, so its row stays "rendering" and the sweep queues it again; a document
    that always overruns would be rendered for ever. Once MAX_ATTEMPTS claims have been used
    without an outcome, the row is failed like any other failed render (the learner can retry).
    A row locked by a render still running is left to it.
    """
    with transaction.atomic():
        document = (
            PdfDocument.objects.select_for_update(skip_locked=True)
            .filter(
                pk=document_id,
                state__in=[PdfDocument.State.QUEUED, PdfDocument.State.RENDERING],
                attempts__gte=MAX_ATTEMPTS,
            )
            .first()
        )
        if document is None:
            return False
        logger.error("PDF %s: %s attempts ended unfinished; giving up", document.pk, MAX_ATTEMPTS)
        document.state = PdfDocument.State.FAILED
        document.error = (
            f"Gave up after {document.attempts} attempts that did not finish "
            "(time limit exceeded or worker stopped)."
        )
        document.save(update_fields=["state", "error", "updated_at"])
    return True


@shared_task(
    # A mail server away is transient (OSError): retried with backoff. Not acks_late: a mail
    # sent twice is worse than one retried, so it is not redelivered after a lost worker.
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=30,
    time_limit=60,
    ignore_result=True,
)
def notify_ready(document_id: int) -> None:
    """Tell whoever the document's kind says should know that it is ready (most kinds: nobody,
    their page shows the state)."""
    document = PdfDocument.objects.filter(pk=document_id, state=PdfDocument.State.READY).first()
    if document is None:
        return
    kind = kinds.get(document.kind)
    if kind.on_ready is not None:
        kind.on_ready(document)


def waiting_documents(cutoff, limit: int) -> list[tuple[int]]:
    """Documents the sweep must send again: queued ones, and those a dead worker left rendering."""
    # A row left "rendering" longer than any render may take belongs to a dead worker.
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)
    PdfDocument.objects.filter(state=PdfDocument.State.RENDERING, updated_at__lt=stale).update(
        state=PdfDocument.State.QUEUED
    )
    queued = PdfDocument.objects.filter(state=PdfDocument.State.QUEUED, updated_at__lte=cutoff)
    return [(pk,) for pk in queued.values_list("pk", flat=True)[:limit]]


register_pending("documents", render_pdf, waiting_documents)


@shared_task(soft_time_limit=120, time_limit=180, ignore_result=True)
def expire_documents() -> int:
    """Delete the files of kinds kept only for a while (``keep_for``: the data export after
    seven days) and mark their rows expired. Run by beat; idempotent: an expired row is left."""
    expired = 0
    now = timezone.now()
    for kind in kinds.expiring():
        old = PdfDocument.objects.filter(
            kind=kind.name, state=PdfDocument.State.READY, rendered_at__lt=now - kind.keep_for
        )
        for document in old.iterator():
            if document.file:
                document.file.delete(save=False)
            document.state = PdfDocument.State.EXPIRED
            document.save(update_fields=["file", "state", "updated_at"])
            expired += 1
    return expired
