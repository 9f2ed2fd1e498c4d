"""The session pack: one PDF through the shared pipeline — guide, attendance list, N worksheets."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.workshops.models import SessionParticipant
from lessons.workshops.pack import request_session_pack, session_pack_hash


@pytest.fixture
def pack_session(session, learner, other_learner):
    session.capacity = 4
    session.save()
    for person in (learner, other_learner):
        SessionParticipant.objects.create(session=session, user=person)
    return session


def pdf_text(content: bytes) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return pages, "\n".join(pages)


def test_trainer_gets_the_session_pack_rendered_by_the_pipeline(
    client, trainer, pack_session, run_on_commit
):
    client.force_login(trainer)
    url = reverse("workshops:session_pack", args=[pack_session.pk])

    with run_on_commit():
        waiting = client.get(url)
    assert waiting.status_code == 202
    document = PdfDocument.objects.get(kind="session_pack")
    assert document.owner == trainer and document.source_id == pack_session.pk
    assert document.state == PdfDocument.State.READY, document.error

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pages, text = pdf_text(b"".join(response.streaming_content))

    # The first page: the join code and link, with the QR code beside them.
    assert pack_session.join_code in pages[0]
    assert "Gå med i workshoppen" in pages[0]
    # The guide: schedule with the stages' clock times, questions and prompts.
    assert "Handledning för utbildaren" in text
    assert "Schema" in text and "Inledning" in text and "Samtal" in text
    assert "När flyttade du första gången?" in text
    assert "Vad har ni gemensamt?" in text
    assert "Inledning i filmen" in text  # the lecture's chapters
    # The attendance list: the people who joined, then empty rows up to the capacity.
    attendance = next(p for p in pages if "Närvarolista" in p)
    assert "Amina Exempelsson" in attendance and "Bo Andersson" in attendance
    assert "Underskrift" in attendance
    # One blank worksheet per expected participant (capacity 4, one worksheet in the module).
    assert text.count("Deltagarexemplar") == 4
    assert "Deltagarexemplar 4 av 4" in text
    starts = [p for p in pages if "Deltagarexemplar" in p]
    assert all("Min egen historia" in p for p in starts)


def test_an_unchanged_session_reuses_the_pack_and_a_change_makes_a_new_one(
    pack_session, other_trainer, run_on_commit
):
    with run_on_commit():
        first = request_session_pack(pack_session)
    assert request_session_pack(pack_session).pk == first.pk

    before = session_pack_hash(pack_session)
    pack_session.participants.first().delete()
    assert session_pack_hash(pack_session) != before
    assert request_session_pack(pack_session).pk != first.pk


def test_another_trainer_cannot_download_the_pack(
    client, pack_session, other_trainer, run_on_commit
):
    with run_on_commit():
        document = request_session_pack(pack_session)
    client.force_login(other_trainer)

    assert client.get(reverse("workshops:session_pack", args=[pack_session.pk])).status_code == 404
    assert client.get(reverse("pdfs:download", args=[document.pk])).status_code == 404
