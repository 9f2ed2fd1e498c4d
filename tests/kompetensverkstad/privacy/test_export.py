"""The data export: one ZIP by the document pipeline, holding what the database holds of the
learner and nothing of anyone else, downloadable by its owner only, deleted after seven days."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from kompetensverkstad.accounts.coordinators import COORDINATOR_GROUP, Coordinator
from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import expire_documents
from kompetensverkstad.privacy.export import DATA_EXPORT, latest_export
from lessons.learning.models import LearningEvent, ModuleCompletion, StepProgress
from lessons.workshops.models import SessionParticipant
from tests import factories
from worksheets.responses import WorksheetResponse, WorksheetSubmission

from .history import build_history, workshop_session

MARKER = "Exportmarkör-Amina-4711"
OTHER_MARKER = "Exportmarkör-Bo-0815"


@pytest.fixture
def export(workshop_module, trainer, learner, other_learner, run_on_commit, client):
    kalmar = Municipality.objects.create(name="Kalmar", county="kalmar")
    session = workshop_session(workshop_module, trainer)
    with run_on_commit():
        build_history(learner, workshop_module, session, MARKER, kalmar)
        build_history(other_learner, workshop_module, session, OTHER_MARKER, kalmar)
    client.force_login(learner)
    with run_on_commit():
        response = client.post(reverse("privacy:export"))
    assert response.status_code == 302
    document = latest_export(learner)
    assert document.is_ready, document.error
    return document


def _zip(client, document) -> zipfile.ZipFile:
    response = client.get(reverse("pdfs:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_what_the_database_holds_of_the_learner_and_no_one_else(
    export, client, learner
):
    archive = _zip(client, export)
    names = archive.namelist()
    data = json.loads(archive.read("uppgifter.json"))
    everything = b"".join(archive.read(n) for n in names)

    assert OTHER_MARKER.encode() not in everything and b"Andersson" not in everything
    assert data["account"][0]["username"] == learner.username
    assert data["account"][0]["email"] == learner.email
    assert data["profile"] == [
        {"municipality": "Kalmar", "job_title": "Handläggare", "receives_reminders": True}
    ]
    assert len(data["progress"]) == StepProgress.objects.filter(user=learner).count() == 3
    assert len(data["learning_events"]) == LearningEvent.objects.filter(actor=learner).count()
    assert {e["statement_id"] for e in data["learning_events"]} == {
        str(s)
        for s in LearningEvent.objects.filter(actor=learner).values_list("statement_id", flat=True)
    }
    [answers] = data["worksheet_answers"]
    response = WorksheetResponse.objects.get(user=learner)
    assert answers["draft_answers"] == response.answers
    submitted = WorksheetSubmission.objects.filter(response=response).order_by("version")
    assert [s["answers"] for s in answers["submissions"]] == [s.answers for s in submitted]
    assert [s["version"] for s in answers["submissions"]] == [1, 2]
    assert MARKER in json.dumps(answers["submissions"][0], ensure_ascii=False)
    [participation] = data["workshop_participations"]
    seat = SessionParticipant.objects.get(user=learner)
    assert participation["shares_answers"] is seat.shares_answers is True
    assert participation["attended"] is True
    [completion] = data["completions"]
    assert completion["verification_code"] == (
        ModuleCompletion.objects.get(user=learner).verification_code
    )
    # The PDFs the learner has: two worksheet versions and the certificate, read back.
    pdfs = [n for n in names if n.startswith("dokument/")]
    assert len(pdfs) == 3 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert len(data["files"]) == 3
    summary = archive.read("sammanfattning.html").decode()
    assert '<html lang="sv">' in summary and "Svar på arbetsblad" in summary


def test_only_the_owner_may_download_the_export(export, client, other_learner, superuser):
    """Another learner, an administrator and a coordinator get what a missing file gets (404);
    an anonymous visitor is sent to sign in."""
    coordinator = factories.UserFactory(username="samordnare-x")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    Coordinator.objects.create(user=coordinator).municipalities.set(Municipality.objects.all())
    urls = [reverse(name, args=[export.pk]) for name in ("pdfs:download", "pdfs:status")]
    for person in (other_learner, superuser, coordinator):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404, 404], person
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/")


def test_the_file_is_deleted_after_seven_days_and_can_be_asked_for_again(
    export, client, learner, run_on_commit
):
    name = export.file.name
    storage = export.file.storage
    PdfDocument.objects.filter(pk=export.pk).update(
        rendered_at=timezone.now() - timedelta(days=6, hours=23)
    )
    assert expire_documents() == 0
    PdfDocument.objects.filter(pk=export.pk).update(
        rendered_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    assert expire_documents() == 1
    export.refresh_from_db()
    assert export.state == "expired" and not export.file and not storage.exists(name)
    assert expire_documents() == 0
    page = client.get(reverse("privacy:my_data"))
    assert "har tagits bort efter sju dagar" in page.text
    assert client.get(reverse("pdfs:download", args=[export.pk])).status_code == 302
    with run_on_commit():
        client.post(reverse("privacy:export"))
    assert PdfDocument.objects.filter(kind=DATA_EXPORT, owner=learner).count() == 2
    assert latest_export(learner).is_ready


def test_an_administrator_downloads_a_persons_data_and_the_access_is_logged(
    export, client, learner, superuser, editor
):
    from kompetensverkstad.privacy.access.models import AccessLogEntry

    url = reverse("kv_export_person", args=[learner.pk])
    client.force_login(superuser)
    listing = client.get(reverse("wagtailusers_users:index"))
    assert url in listing.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert MARKER.encode() in everything
    assert OTHER_MARKER.encode() not in everything
    logged = AccessLogEntry.objects.filter(what="data_export")
    assert [(e.actor, e.subject) for e in logged] == [(superuser, learner)]

    # An editor of pages (and a learner, even for themselves) is refused, and nothing is logged.
    for person in (editor, learner):
        client.force_login(person)
        assert client.get(url).status_code in (302, 403)
    assert client.get(reverse("kv_export_person", args=[999999])).status_code in (302, 403)
    assert AccessLogEntry.objects.filter(what="data_export").count() == 1
