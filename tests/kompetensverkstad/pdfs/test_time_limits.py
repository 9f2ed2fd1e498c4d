"""A render over its time limit ends as a failed document, whether Celery's soft limit stops it
or the hard limit kills it every time, and the learner's "försök igen" starts it over."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from kompetensverkstad.jobs.tasks import sweep_pending_work
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.pipeline import retry_pdf
from kompetensverkstad.pdfs.tasks import MAX_ATTEMPTS, render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def overrunning_renderer():
    """A renderer that overruns its soft time limit every time (Celery raises this in the
    task when the soft limit passes); the unit under test is the task's handling of it."""
    calls = []

    def renderer(document):
        calls.append(document.pk)
        raise SoftTimeLimitExceeded()

    kinds.register(
        kinds.DocumentKind(
            name="test_overrun", label="test", template="pdf/worksheet.html", build=renderer
        )
    )
    try:
        yield calls
    finally:
        kinds.unregister("test_overrun")


def test_a_render_over_the_soft_time_limit_ends_failed(overrunning_renderer):
    document = PdfDocument.objects.create(kind="test_overrun", source_id=1)

    render_pdf.apply(args=[document.pk])

    document.refresh_from_db()
    assert document.state == PdfDocument.State.FAILED
    assert "SoftTimeLimitExceeded" in document.error
    assert document.attempts == MAX_ATTEMPTS
    assert len(overrunning_renderer) == MAX_ATTEMPTS


def test_a_render_killed_by_the_hard_limit_every_time_ends_failed(overrunning_renderer):
    """A hard-limit kill leaves the row "rendering" with its attempt counted and no error; the
    sweep queues it again. After MAX_ATTEMPTS such deaths it must be failed, not re-rendered."""
    document = PdfDocument.objects.create(
        kind="test_overrun",
        source_id=2,
        state=PdfDocument.State.RENDERING,
        attempts=MAX_ATTEMPTS,
    )
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 3)
    PdfDocument.objects.filter(pk=document.pk).update(updated_at=stale)

    sweep_pending_work.apply(kwargs={"min_age_seconds": 0})

    document.refresh_from_db()
    assert document.state == PdfDocument.State.FAILED
    assert "did not finish" in document.error
    assert overrunning_renderer == []  # never rendered again
    # The learner's "försök igen" starts over with fresh attempts.

    retry_pdf(document)
    document.refresh_from_db()
    assert (document.state, document.attempts) == (PdfDocument.State.QUEUED, 0)
