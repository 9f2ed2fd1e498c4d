"""Worksheet PDFs through the real broker and worker: outages, duplicates, a killed worker."""

import io
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from kompetensverkstad.jobs.tasks import sweep_pending_work
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import render_pdf
from tests import factories
from tests.integration.conftest import (
    BROKER_URL,
    DEAD_BROKER_URL,
    REDIS_URL,
    committed_db,
    running_worker,
    use_broker,
    wait_for,
)
from worksheets.responses import WorksheetResponse

pytestmark = committed_db

ARABIC = "وصلت أمي إلى كالمار في الشتاء"


@pytest.fixture
def titled_worksheet(home):
    """A worksheet with a title of its own per test, so the files a test renders are told apart
    by name from those of the tests before it (``files_of``)."""
    module = factories.ModulePageFactory(parent=home, title="Migration förr och nu")
    return factories.WorksheetPageFactory(
        parent=module, title=f"Den lilla historien {uuid.uuid4().hex[:8]}"
    )


def submit(client, page, reflection: str, event: str = "Kom till Kalmar"):
    ids = {b.block_type: b.id for b in page.questions}
    return client.post(
        page.url,
        {
            "action": "submit",
            f"q-{ids['reflection']}": reflection,
            f"q-{ids['scale']}": "3",
            f"q-{ids['timeline']}-period": ["2016"],
            f"q-{ids['timeline']}-event": [event],
        },
    )


def ready_pdf(user) -> PdfDocument | None:
    return PdfDocument.objects.filter(
        owner=user, kind="worksheet", state=PdfDocument.State.READY
    ).first()


def pdf_text(document: PdfDocument) -> str:
    with document.file.open("rb") as handle:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)


def files_of(document: PdfDocument) -> list[Path]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "pdf" / "worksheet"
    stem = Path(document.file.name).stem.split("_")[0] if document.file else ""
    return [p for p in folder.rglob("*.pdf") if stem and p.name.startswith(stem)]


def test_submit_then_the_worker_renders_every_answer(client, learner, titled_worksheet, worker):
    client.force_login(learner)
    response = submit(client, titled_worksheet, ARABIC, event="Flytt <script>alert(1)</script>")
    assert response.status_code == 302
    document = wait_for(lambda: ready_pdf(learner), what="the worksheet PDF")
    text = pdf_text(document)
    assert "Amina Exempelsson" in text
    assert "Flytt <script>alert(1)</script>" in text
    assert "وصلت" in text


def test_broker_down_submit_succeeds_and_the_sweep_renders_it_once(
    client, learner, titled_worksheet, caplog
):
    client.force_login(learner)
    use_broker(DEAD_BROKER_URL)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="kompetensverkstad.jobs.queue"):
        response = submit(
            client, titled_worksheet, "Min mormor flyttade från Småland till Amerika."
        )
    assert response.status_code == 302
    assert time.monotonic() - started < 10
    assert WorksheetResponse.objects.get(user=learner).status == "submitted"
    document = PdfDocument.objects.get(owner=learner)
    assert document.state == PdfDocument.State.QUEUED
    assert "left for the sweep" in caplog.text

    use_broker(BROKER_URL)
    with running_worker():
        assert sweep_pending_work(min_age_seconds=0)["documents"] == 1
        document = wait_for(lambda: ready_pdf(learner), what="the swept PDF")
    assert PdfDocument.objects.filter(owner=learner).count() == 1
    assert document.attempts == 1
    assert len(files_of(document)) == 1


def test_the_same_render_delivered_twice_makes_one_file(client, learner, titled_worksheet):
    client.force_login(learner)
    use_broker(DEAD_BROKER_URL)
    submit(client, titled_worksheet, "Två leveranser av samma uppgift.")
    use_broker(BROKER_URL)
    document = PdfDocument.objects.get(owner=learner)
    render_pdf.delay(document.pk)
    render_pdf.delay(document.pk)
    with running_worker():
        document = wait_for(lambda: ready_pdf(learner), what="the PDF")
        time.sleep(1)  # let the duplicate finish too
    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    assert len(files_of(document)) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not REDIS_URL,
    reason="a worker process of its own needs a database and broker it can share: "
    "set DATABASE_URL (PostgreSQL) and REDIS_URL",
)
def test_worker_killed_mid_render_is_rendered_again_once(client, learner, home):
    # Long answers make a render take seconds, long enough to kill the worker inside it.
    questions = [
        factories.block(
            "reflection",
            {"prompt": f"Fråga {n}", "help_text": "", "required": False, "max_length": 20000},
        )
        for n in range(6)
    ]
    module = factories.ModulePageFactory(parent=home, title="Lång modul")
    worksheet = factories.WorksheetPageFactory(
        parent=module, title=f"Långt arbetsblad {uuid.uuid4().hex[:8]}", questions=questions
    )
    client.force_login(learner)
    use_broker(DEAD_BROKER_URL)
    long_answer = "Ett långt svar om flytten och om att komma fram. " * 380
    response = client.post(
        worksheet.url,
        {"action": "submit", **{f"q-{b.id}": long_answer for b in worksheet.questions}},
    )
    assert response.status_code == 302
    use_broker(BROKER_URL)
    document = PdfDocument.objects.get(owner=learner)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kompetensverkstad.settings.test",
        "DATABASE_URL": _url_of_test_database(),
        "REDIS_URL": REDIS_URL,
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kompetensverkstad",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        render_pdf.delay(document.pk)
        wait_for(
            lambda: PdfDocument.objects.filter(pk=document.pk, state="rendering").exists(),
            timeout=60,
            what="the render to start",
        )
        children = _children(worker.pid)
        assert children, "the prefork worker has no pool process"
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: ready_pdf(learner), timeout=120, what="the render after the kill")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    assert document.attempts == 2
    assert len(files_of(document)) == 1


def _children(pid: int) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(pid)],
        capture_output=True,
        text=True,
        check=False,  # noqa: S607
    ).stdout
    return [int(x) for x in out.split()]


def _url_of_test_database() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"
