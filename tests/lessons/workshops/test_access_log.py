"""A trainer opening a participant's shared answers, or fetching their worksheet PDF, writes
one row in the access log; the learner's own pages and refused requests write none."""

import pytest
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.privacy.access.models import AccessLogEntry
from lessons.workshops.sharing import set_sharing
from worksheets.answering import submit


@pytest.fixture
def sharing(participant):
    set_sharing(participant, True)
    return participant


def answers_url(participant) -> str:
    return reverse("workshops:shared_answers", args=[participant.session_id, participant.pk])


def test_trainer_opening_shared_answers_writes_one_row(client, trainer, sharing, session):
    client.force_login(trainer)
    assert client.get(answers_url(sharing)).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (trainer, sharing.user, "shared_answers")
    assert entry.detail == session.title
    assert entry.what_label == "Delade svar i en workshop"


def test_refused_and_own_views_write_nothing(client, other_trainer, learner, sharing, session):
    client.force_login(other_trainer)
    assert client.get(answers_url(sharing)).status_code == 404
    client.force_login(learner)
    assert client.get(answers_url(sharing)).status_code == 403
    assert client.get(reverse("workshops:my_session", args=[session.pk])).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_trainer_fetching_the_shared_pdf_is_logged_the_owner_is_not(
    client, trainer, learner, sharing, worksheet, run_on_commit
):
    ids = {q.block_type: q.id for q in worksheet.questions}
    with run_on_commit():
        submit(learner, worksheet, {ids["reflection"]: "Ett svar", ids["scale"]: "4"})
    document = PdfDocument.objects.get(kind="worksheet")
    url = reverse("pdfs:download", args=[document.pk])

    client.force_login(learner)
    assert client.get(url).status_code == 200
    assert not AccessLogEntry.objects.exists()

    client.force_login(trainer)
    assert client.get(url).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (trainer, learner, "document")
