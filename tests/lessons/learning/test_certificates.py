"""The certificate: rendered after completion, private to its owner, checkable by its code."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import MAX_ATTEMPTS, render_pdf
from lessons.learning.completion import evaluate_completion
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from tests.factories import steps_of


def complete_module(user, module) -> None:
    for step in steps_of(module):
        record_step_completed(user, step)


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def completion(learner, module, run_on_commit) -> ModuleCompletion:
    """The learner completes the module; the on-commit work (evaluate, render, mail) runs."""
    with run_on_commit():
        complete_module(learner, module)
    return ModuleCompletion.objects.select_related("certificate").get(user=learner, module=module)


def urls_of(document_id: int) -> dict[str, str]:
    return {
        name: reverse(name, args=[document_id])
        for name in ("pdfs:download", "pdfs:status", "pdfs:retry")
    }


def test_certificate_goes_from_queued_to_ready_after_completion(
    learner, module, django_capture_on_commit_callbacks, run_on_commit
):
    complete_module(learner, module)
    with django_capture_on_commit_callbacks() as pending:
        evaluate_completion(learner.pk, module.pk)

    completion = ModuleCompletion.objects.get(user=learner, module=module)
    document = completion.certificate
    assert document.kind == "certificate"
    assert document.owner == learner
    assert document.state == PdfDocument.State.QUEUED
    assert not document.file

    with run_on_commit():
        for callback in pending:
            callback()

    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    assert document.attempts == 1
    assert document.rendered_at is not None
    assert document.file.name.endswith(f"intyg-{completion.verification_code}.pdf")


def test_certificate_pdf_names_the_learner_the_module_and_the_code(completion):
    with completion.certificate.file.open("rb") as pdf:
        text = pdf_text(pdf.read())

    assert "Amina Exempelsson" in text
    assert "Vi blir fler" in text
    assert completion.verification_code in text
    assert f"/intyg/{completion.verification_code}/" in text


def test_owner_downloads_the_certificate_privately(learner_client, completion):
    response = learner_client.get(urls_of(completion.certificate_id)["pdfs:download"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert "Amina Exempelsson" in pdf_text(body)


def test_owner_sees_the_certificate_state(learner_client, completion):
    response = learner_client.get(urls_of(completion.certificate_id)["pdfs:status"])

    assert response.status_code == 200
    assert response.json() == {
        "state": "ready",
        "label": "Klar",
        "download_url": urls_of(completion.certificate_id)["pdfs:download"],
    }
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["pdfs:download", "pdfs:status", "pdfs:retry"])
def test_other_learner_cannot_reach_the_certificate(client, other_learner, completion, name):
    client.force_login(other_learner)
    url = urls_of(completion.certificate_id)[name]

    response = client.post(url) if name == "pdfs:retry" else client.get(url)

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert b"Amina" not in response.content


def test_other_learner_cannot_download_certificate(client, other_learner, completion):
    client.force_login(other_learner)

    response = client.get(urls_of(completion.certificate_id)["pdfs:download"])

    assert response.status_code == 404


def test_other_learner_cannot_requeue_a_failed_certificate(client, other_learner, completion):
    PdfDocument.objects.filter(pk=completion.certificate_id).update(state="failed")
    client.force_login(other_learner)

    response = client.post(urls_of(completion.certificate_id)["pdfs:retry"])

    assert response.status_code == 404
    assert PdfDocument.objects.get(pk=completion.certificate_id).state == "failed"


@pytest.mark.parametrize("name", ["pdfs:download", "pdfs:status", "pdfs:retry"])
def test_anonymous_visitor_is_sent_to_sign_in(client, completion, name):
    url = urls_of(completion.certificate_id)[name]

    response = client.post(url) if name == "pdfs:retry" else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_download_before_the_file_is_ready_returns_to_mina_sidor(learner_client, completion):
    PdfDocument.objects.filter(pk=completion.certificate_id).update(state="rendering")

    response = learner_client.get(urls_of(completion.certificate_id)["pdfs:download"])

    assert response.status_code == 302
    assert response.url == reverse("learning:dashboard")


def test_verification_shows_name_module_and_date_only(client, completion):
    response = client.get(
        reverse("learning:certificate_verify", args=[completion.verification_code])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Intyget är giltigt" in html
    assert "Amina Exempelsson" in html
    assert "Vi blir fler" in html
    shown_date = timezone.localtime(completion.completed_at).strftime("%Y-%m-%d")
    assert shown_date in html
    for private in ("amina@example.org", "kund4711", "Beräknad tid", "timmar", "dokument/"):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_accepts_the_code_as_typed_from_paper(client, completion):
    typed = " ".join(completion.verification_code.lower()[i : i + 5] for i in (0, 5))

    response = client.get(reverse("learning:certificate_lookup"), {"kod": typed})

    assert response.status_code == 200
    assert "Amina Exempelsson" in response.content.decode()


def test_unknown_code_is_404_with_a_clear_message(client, completion):
    response = client.get(reverse("learning:certificate_verify", args=["ABCDEFGHJK"]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Det finns inget intyg med den koden." in html
    assert "Amina" not in html


def test_lookup_page_without_a_code_shows_the_form(client, db):
    response = client.get(reverse("learning:certificate_lookup"))

    assert response.status_code == 200
    assert 'name="kod"' in response.content.decode()


def test_learner_is_mailed_once_when_the_certificate_is_ready(
    completion, learner, module, mailoutbox, run_on_commit
):
    # Evaluated and rendered again (a duplicate delivery, the sweep): no second mail.
    with run_on_commit():
        evaluate_completion(learner.pk, module.pk)
        render_pdf.delay(completion.certificate_id)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["amina@example.org"]
    assert mail.subject == "Ditt intyg för Vi blir fler är klart"
    assert "Amina Exempelsson" in mail.body
    assert "/mina-sidor/" in mail.body
    assert completion.verification_code not in mail.subject


def test_failed_render_is_marked_failed_and_can_be_tried_again(
    learner, learner_client, module, monkeypatch, run_on_commit, mailoutbox
):
    def broken_template(document):
        raise RuntimeError("mallen saknas")

    monkeypatch.setattr(kinds.get("certificate"), "build", broken_template)
    with run_on_commit():
        complete_module(learner, module)

    document = ModuleCompletion.objects.get(user=learner).certificate
    assert document.state == PdfDocument.State.FAILED
    assert document.attempts == MAX_ATTEMPTS
    assert document.error == "RuntimeError: mallen saknas"
    assert not document.file
    assert mailoutbox == []
    dashboard = learner_client.get(reverse("learning:dashboard")).content.decode()
    assert "Försök igen" in dashboard

    monkeypatch.undo()  # the template is fixed
    with run_on_commit():
        response = learner_client.post(reverse("pdfs:retry", args=[document.pk]))

    assert response.status_code == 302
    assert response.url == reverse("learning:dashboard")
    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    assert document.attempts == 1
    assert document.error == ""
    assert len(mailoutbox) == 1
    dashboard = learner_client.get(reverse("learning:dashboard")).content.decode()
    assert "Försök igen" not in dashboard
    assert "Ladda ned intyget (PDF)" in dashboard


def test_retry_leaves_a_ready_certificate_alone(learner_client, completion, run_on_commit):
    before = PdfDocument.objects.get(pk=completion.certificate_id)

    with run_on_commit():
        learner_client.post(urls_of(before.pk)["pdfs:retry"])

    after = PdfDocument.objects.get(pk=before.pk)
    assert (after.state, after.attempts, after.file.name) == ("ready", 1, before.file.name)
