"""The learner's path through a real broker and a real Celery worker.

Step events are written by the learner's request; the worker evaluates completion and renders
the certificate. The database, not the broker, holds the work: a broker that refuses
connections fails nobody's request, and the sweep catches up when it is back.
"""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from kompetensverkstad.jobs.tasks import sweep_pending_work
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import render_pdf
from lessons.learning.models import CompletionCheck, ModuleCompletion, StepProgress, StepState
from lessons.learning.recording import record_step_completed
from lessons.learning.tasks import evaluate_module_completion
from tests.factories import Kind, build_module, steps_of

from .conftest import (
    BROKER_URL,
    DEAD_BROKER_URL,
    committed_db,
    running_worker,
    use_broker,
    wait_for,
)

pytestmark = committed_db


def required_answers(worksheet) -> dict[str, str]:
    answers = {}
    for question in worksheet.specific.question_blocks():
        if question.value.get("required"):
            answers[f"q-{question.id}"] = (
                str(question.value["max_value"]) if question.block_type == "scale" else "Ja."
            )
    return answers


def ready_certificate(user, module) -> PdfDocument | None:
    completion = ModuleCompletion.objects.filter(user=user, module=module).first()
    if completion and completion.certificate_id:
        document = PdfDocument.objects.get(pk=completion.certificate_id)
        if document.state == PdfDocument.State.READY:
            return document
    return None


def pdf_text(document: PdfDocument) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def certificate_files(document: PdfDocument) -> list[Path]:
    folder = (Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name).parent
    code = document.completion.verification_code
    return sorted(folder.glob(f"intyg-{code}*.pdf"))


def test_step_events_complete_the_module_and_the_worker_renders_the_certificate(
    client, learner, module, worker, mailoutbox
):
    client.force_login(learner)
    for step in steps_of(module):
        if step.kind == Kind.WORKSHEET:
            # A worksheet is done when handed in; its required questions answered.
            response = client.post(
                step.page.url, {**required_answers(step.page), "action": "submit"}
            )
        else:
            response = client.post(
                reverse("learning:mark_step_done", args=[step.pk]), {"next": step.page.url}
            )
        assert response.status_code == 302

    document = wait_for(lambda: ready_certificate(learner, module), what="the certificate")

    completion = ModuleCompletion.objects.get(user=learner, module=module)
    text = pdf_text(document)
    assert "Amina Exempelsson" in text
    assert "Vi blir fler" in text
    assert completion.verification_code in text
    assert not CompletionCheck.objects.exists()
    wait_for(lambda: len(mailoutbox) == 1, what="the mail")
    assert mailoutbox[0].subject == "Ditt intyg för Vi blir fler är klart"
    download = client.get(reverse("pdfs:download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_same_tasks_delivered_twice_give_one_completion_and_one_file(
    learner, module, mailoutbox, finished_tasks
):
    # Recorded while no worker runs: one evaluation waits on the broker (the three steps
    # coalesce into one check).
    for step in steps_of(module):
        record_step_completed(learner, step)
    # Delivered again (a redelivery after a lost ack, a sweep racing the original).
    for _ in range(4):
        evaluate_module_completion.delay(learner.pk, module.pk)

    with running_worker():
        document = wait_for(lambda: ready_certificate(learner, module), what="the certificate")
        sent = {
            render_pdf.delay(document.pk).id,
            render_pdf.delay(document.pk).id,
            evaluate_module_completion.delay(learner.pk, module.pk).id,
        }
        wait_for(lambda: sent <= {task_id for _name, task_id in finished_tasks}, what="tasks")
        wait_for(
            lambda: sum(name == evaluate_module_completion.name for name, _ in finished_tasks) >= 6,
            what="all six evaluations",
        )

    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert PdfDocument.objects.filter(kind="certificate").count() == 1
    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    assert len(certificate_files(document)) == 1
    assert len(mailoutbox) == 1
    assert not CompletionCheck.objects.exists()


def test_broker_refusing_connections_fails_no_request_and_the_sweep_catches_up(
    client, learner, home, caplog
):
    module = build_module(home, [Kind.ARTICLE, Kind.LECTURE], optional={1}, title="Språk")
    article = steps_of(module)[0]
    client.force_login(learner)
    use_broker(DEAD_BROKER_URL)

    with caplog.at_level(logging.WARNING, logger="kompetensverkstad.jobs.queue"):
        response = client.post(
            reverse("learning:mark_step_done", args=[article.pk]), {"next": "/mina-sidor/"}
        )

    assert response.status_code == 302
    assert response.url == "/mina-sidor/"
    assert StepProgress.objects.get(user=learner, step=article).state == StepState.COMPLETED
    assert CompletionCheck.objects.filter(user=learner, module=module).exists()
    assert not ModuleCompletion.objects.exists()
    assert "left for the sweep" in caplog.text

    use_broker(BROKER_URL)  # the broker is back
    with running_worker():
        result = sweep_pending_work(min_age_seconds=0)
        assert result["completion_checks"] == 1
        document = wait_for(lambda: ready_certificate(learner, module), what="the certificate")

    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert PdfDocument.objects.count() == 1
    assert "Amina Exempelsson" in pdf_text(document)
    assert not CompletionCheck.objects.exists()
