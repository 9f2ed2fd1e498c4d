"""A learner's answers reach the trainer only by the learner's own choice, per session.

While "Dela med utbildaren" is on, that session's trainer sees the answers and may download the
learner's worksheet PDF; never another trainer, nor an administrator; off again, gone again.
"""

import pytest
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.workshops.models import SessionParticipant
from tests.factories import make_session
from worksheets.answering import submit

ANSWER = "Jag flyttade till Växjö 1998 och kände ingen."


@pytest.fixture
def participant_pdf(participant, worksheet, run_on_commit) -> PdfDocument:
    """The participant's submitted worksheet, its PDF rendered."""
    ids = {q.block_type: q.id for q in worksheet.questions}
    with run_on_commit():
        _response, submission, cleaned = submit(
            participant.user, worksheet, {ids["reflection"]: ANSWER, ids["scale"]: "4"}
        )
    assert submission is not None, cleaned.errors
    document = PdfDocument.objects.get(kind="worksheet")
    assert document.is_ready
    return document


def answers_url(session, participant) -> str:
    return reverse("workshops:shared_answers", args=[session.pk, participant.pk])


def download_url(document) -> str:
    return reverse("pdfs:download", args=[document.pk])


def set_share(client, participant, on: bool):
    client.force_login(participant.user)
    data = {"shares": "on"} if on else {}
    return client.post(reverse("workshops:share_answers", args=[participant.session_id]), data)


def test_sharing_is_off_by_default_and_nothing_is_shown(
    client, session, participant, participant_pdf, trainer
):
    assert participant.shares_answers is False
    client.force_login(trainer)

    assert client.get(answers_url(session, participant)).status_code == 404
    assert client.get(download_url(participant_pdf)).status_code == 404
    for url in ("workshops:session_detail", "workshops:progress"):
        page = client.get(reverse(url, args=[session.pk])).content.decode()
        assert ANSWER not in page
        assert answers_url(session, participant) not in page


def test_trainer_sees_answers_and_pdf_only_while_the_choice_is_on(
    client, session, participant, participant_pdf, trainer
):
    response = set_share(client, participant, True)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.shares_answers

    client.force_login(trainer)
    page = client.get(answers_url(session, participant))
    assert page.status_code == 200
    assert ANSWER in page.content.decode()
    assert download_url(participant_pdf) in page.content.decode()
    download = client.get(download_url(participant_pdf))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    progress = client.get(reverse("workshops:progress", args=[session.pk])).content.decode()
    assert answers_url(session, participant) in progress
    assert ANSWER not in progress

    set_share(client, participant, False)
    client.force_login(trainer)
    assert client.get(answers_url(session, participant)).status_code == 404
    assert client.get(download_url(participant_pdf)).status_code == 404


def test_another_trainer_and_an_administrator_never_see_shared_answers(
    client, session, participant, participant_pdf, other_trainer, superuser, workshop_module
):
    set_share(client, participant, True)
    # The other trainer has a session of their own with the same learner, who does not share.
    theirs = make_session(other_trainer, module=workshop_module)
    SessionParticipant.objects.create(session=theirs, user=participant.user)

    for person in (other_trainer, superuser):
        client.force_login(person)
        assert client.get(answers_url(session, participant)).status_code == 404
        assert client.get(download_url(participant_pdf)).status_code == 404
    client.force_login(other_trainer)
    their_participant = theirs.participants.get()
    assert client.get(answers_url(theirs, their_participant)).status_code == 404


def test_sharing_in_one_session_does_not_share_in_another(
    client, trainer, session, participant, participant_pdf, home
):
    from tests.factories import build_workshop_module

    other_module = build_workshop_module(home, title="En annan modul")
    unrelated = make_session(trainer, module=other_module)
    SessionParticipant.objects.create(session=unrelated, user=participant.user)
    # Shares in the unrelated session only; the worksheet belongs to the first session's module.
    client.force_login(participant.user)
    client.post(reverse("workshops:share_answers", args=[unrelated.pk]), {"shares": "on"})

    client.force_login(trainer)
    assert client.get(answers_url(session, participant)).status_code == 404
    assert client.get(download_url(participant_pdf)).status_code == 404


def test_the_owner_still_downloads_their_own_pdf(client, participant, participant_pdf):
    client.force_login(participant.user)
    assert client.get(download_url(participant_pdf)).status_code == 200


def test_worksheet_page_offers_the_choice_to_participants_only(
    client, session, participant, worksheet, other_learner
):
    client.force_login(participant.user)
    page = client.get(worksheet.url).content.decode()
    assert "Dela med utbildaren" in page
    assert reverse("workshops:share_answers", args=[session.pk]) in page

    client.force_login(other_learner)
    assert "Dela med utbildaren" not in client.get(worksheet.url).content.decode()

    client.logout()
    assert "Dela med utbildaren" not in client.get(worksheet.url).content.decode()


def test_choice_made_on_the_worksheet_returns_to_the_worksheet(
    client, session, participant, worksheet
):
    client.force_login(participant.user)
    response = client.post(
        reverse("workshops:share_answers", args=[session.pk]),
        {"shares": "on", "next": worksheet.url},
    )
    assert response["Location"] == worksheet.url
    evil = client.post(
        reverse("workshops:share_answers", args=[session.pk]), {"next": "https://evil.example.org/"}
    )
    assert evil["Location"] == reverse("workshops:my_session", args=[session.pk])
