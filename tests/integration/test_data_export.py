"""The data export and erasure's file deletion through the real broker and worker."""

import io
import json
import uuid
import zipfile

from django.core.files.storage import storages
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.privacy.erasure import erase_user
from kompetensverkstad.privacy.export import latest_export
from kompetensverkstad.privacy.models import FileDeletion
from tests import factories
from tests.integration.conftest import committed_db, wait_for
from tests.integration.test_worksheet_pdfs import ready_pdf, submit

pytestmark = committed_db

ANSWER = "Min farmor kom till Kalmar med ett tåg 1956."


def test_the_worker_builds_the_export_and_deletes_the_erased_files(client, learner, home, worker):
    module = factories.ModulePageFactory(parent=home, title="Migration förr och nu")
    page = factories.WorksheetPageFactory(
        parent=module, title=f"Min historia {uuid.uuid4().hex[:8]}"
    )
    client.force_login(learner)
    assert submit(client, page, ANSWER).status_code == 302
    wait_for(lambda: ready_pdf(learner), what="the worksheet PDF")

    assert client.post(reverse("privacy:export")).status_code == 302
    export = wait_for(
        lambda: (doc := latest_export(learner)) and doc.is_ready and doc, what="the export"
    )
    response = client.get(reverse("pdfs:download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("uppgifter.json"))
    assert ANSWER in json.dumps(data["worksheet_answers"], ensure_ascii=False)
    assert any(n.startswith("dokument/") and n.endswith(".pdf") for n in archive.namelist())

    names = list(PdfDocument.objects.filter(owner=learner).values_list("file", flat=True))
    assert erase_user(learner, reason="integration")
    wait_for(lambda: not FileDeletion.objects.exists(), what="the files deleted by the worker")
    assert not any(storages["private"].exists(name) for name in names)
