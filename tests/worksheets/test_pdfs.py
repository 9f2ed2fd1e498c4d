"""Worksheet PDFs: real WeasyPrint output read back with pypdf, and who may fetch it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.render import StaticOnlyFetcher
from kompetensverkstad.pdfs.tasks import render_pdf
from tests import factories

pytestmark = pytest.mark.django_db

ARABIC = "هاجرت عائلتي إلى السويد"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def submitted(client, worksheet_page, django_capture_on_commit_callbacks):
    learner = factories.UserFactory(first_name="Noor", last_name="Rahimi")
    client.force_login(learner)
    ids = {b.block_type: b.id for b in worksheet_page.questions}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            worksheet_page.url,
            {
                "action": "submit",
                f"q-{ids['reflection']}": f"{ARABIC} i Kalmar",
                f"q-{ids['scale']}": "4",
                f"q-{ids['choice']}": "Grannar",
                f"q-{ids['timeline']}-period": ["1989"],
                f"q-{ids['timeline']}-event": ["Flytt från Kabul <script>alert(1)</script>"],
            },
        )
    assert response.status_code == 302
    document = PdfDocument.objects.get(kind="worksheet", owner=learner)
    return learner, document


def test_submitted_pdf_holds_every_answer(client, submitted, worksheet_page):
    learner, document = submitted
    assert document.state == "ready"
    response = client.get(reverse("pdfs:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    text = pdf_text(body(response))
    assert "Noor Rahimi" in text
    assert worksheet_page.title in text
    assert "<script>alert(1)</script>" in text  # shown as typed, never run
    assert "Flytt från Kabul" in text and "1989" in text
    assert "Grannar" in text
    assert "هاجرت" in text.replace("\u200f", "")


def test_other_learner_and_anonymous_cannot_fetch_the_pdf(client, submitted):
    _, document = submitted
    urls = [
        reverse("pdfs:download", args=[document.pk]),
        reverse("pdfs:status", args=[document.pk]),
    ]
    client.force_login(factories.UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("pdfs:retry", args=[document.pk])).status_code == 404
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "logga-in" in response["Location"]


def test_pdf_file_is_not_under_the_public_media_url(submitted, settings):
    _, document = submitted
    path = document.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_blank_pdf_is_public_and_rebuilt_on_republish(
    client, worksheet_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = client.get(worksheet_page.url + "pdf/")
    # The first request finds nothing rendered yet: a page that says so, then the file.
    assert pending.status_code == 202
    assert "Utskriftsversionen skapas" in pending.content.decode()
    response = client.get(worksheet_page.url + "pdf/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    text = pdf_text(body(response))
    assert worksheet_page.title in text
    assert "När flyttade du första gången?" in text
    assert PdfDocument.objects.filter(kind="blank_worksheet").count() == 1
    client.get(worksheet_page.url + "pdf/")
    assert PdfDocument.objects.filter(kind="blank_worksheet").count() == 1
    worksheet_page.title = "Min egen historia, version två"
    worksheet_page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(worksheet_page.url + "pdf/")
    text = pdf_text(body(client.get(worksheet_page.url + "pdf/")))
    assert "Min egen historia, version två" in text
    assert PdfDocument.objects.filter(kind="blank_worksheet").count() == 2


def test_render_is_idempotent(submitted):
    _, document = submitted
    name = document.file.name
    assert render_pdf.apply(args=[document.pk]).get() == "skipped"
    document.refresh_from_db()
    assert document.file.name == name and document.state == "ready"


def test_failed_render_is_shown_with_a_retry(
    client, submitted, worksheet_page, monkeypatch, django_capture_on_commit_callbacks
):
    learner, document = submitted
    PdfDocument.objects.filter(pk=document.pk).update(state="queued", file="")

    def broken(_document):
        raise RuntimeError("mallen saknas")

    monkeypatch.setattr(kinds.get("worksheet"), "build", broken)
    for _ in range(3):
        render_pdf.apply(args=[document.pk])
    document.refresh_from_db()
    assert document.state == "failed" and "mallen saknas" in document.error
    html = client.get(worksheet_page.url).content.decode()
    assert "PDF:en kunde inte skapas." in html and "Försök igen" in html
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pdfs:retry", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == "ready"


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/a.css", "static:../x"],
)
def test_pdf_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_pdf_fetcher_serves_the_project_stylesheet():
    response = StaticOnlyFetcher().fetch("static:css/pdf.css")
    assert b"@page" in response.read()


def test_pdf_uses_the_fonts_the_project_ships():
    from kompetensverkstad.pdfs.render import render_html_to_pdf

    pdf = render_html_to_pdf(
        '<html><head><link rel="stylesheet" href="static:css/pdf.css"></head><body>'
        '<p>Hej <b>fet</b></p><p dir="rtl">مرحبا بكم</p><p>ሰላም</p></body></html>'
    )
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"KV-Sans", "KV-Sans-Bold", "KV-Sans-Arabic", "KV-Sans-Ethiopic"} <= fonts
