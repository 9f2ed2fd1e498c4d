"""Answering a worksheet: autosave, the plain form, submitting, versions and removed questions."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.learning.models import StepProgress
from tests import factories
from worksheets.responses import WorksheetResponse, WorksheetSubmission

pytestmark = pytest.mark.django_db


def question_ids(page) -> dict[str, str]:
    return {block.block_type: block.id for block in page.questions}


def autosave(client, page, answers):
    return client.post(
        page.url + "spara/",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )


@pytest.fixture
def worksheet_step(module_page, worksheet_page):
    return factories.ModuleStepFactory(module=module_page, kind="worksheet", page=worksheet_page)


def full_form(ids: dict[str, str], **overrides) -> dict:
    data = {
        f"q-{ids['reflection']}": "Jag flyttade till Kalmar 1992.",
        f"q-{ids['scale']}": "4",
        f"q-{ids['choice']}": "Grannar",
        f"q-{ids['timeline']}-period": ["1992", "2001", ""],
        f"q-{ids['timeline']}-event": ["Flytt till Kalmar", "Nytt jobb", ""],
    }
    data.update(overrides)
    return data


def test_autosave_stores_each_answer_kind_keyed_by_block_id(
    learner_client, learner, worksheet_page
):
    ids = question_ids(worksheet_page)
    response = autosave(
        learner_client,
        worksheet_page,
        {
            ids["reflection"]: "Min mormor kom från Finland.",
            ids["scale"]: "5",
            ids["choice"]: "Kollegor",
            ids["timeline"]: [{"period": "1944", "event": "Mormor kom som krigsbarn"}],
        },
    )
    assert response.status_code == 200
    assert response.json()["saved_label"].startswith("Sparat kl. ")
    stored = WorksheetResponse.objects.get(user=learner, worksheet=worksheet_page).answers
    assert stored[ids["reflection"]]["value"] == "Min mormor kom från Finland."
    assert stored[ids["scale"]]["value"] == 5
    assert stored[ids["choice"]]["value"] == "Kollegor"
    assert stored[ids["timeline"]]["value"] == [
        {"period": "1944", "event": "Mormor kom som krigsbarn"}
    ]
    assert stored[ids["reflection"]]["prompt"] == "När flyttade du första gången?"


def test_autosave_of_one_field_keeps_the_others(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    autosave(learner_client, worksheet_page, {ids["reflection"]: "Första", ids["scale"]: "2"})
    autosave(learner_client, worksheet_page, {ids["reflection"]: "Andra"})
    stored = WorksheetResponse.objects.get(user=learner).answers
    assert stored[ids["reflection"]]["value"] == "Andra"
    assert stored[ids["scale"]]["value"] == 2


def test_reload_shows_every_saved_answer(learner_client, worksheet_page):
    ids = question_ids(worksheet_page)
    autosave(
        learner_client,
        worksheet_page,
        {
            ids["reflection"]: "Sparad text",
            ids["scale"]: "3",
            ids["choice"]: "Kommunen",
            ids["timeline"]: [{"period": "2015", "event": "Kom till Växjö"}],
        },
    )
    html = learner_client.get(worksheet_page.url).content.decode()
    assert ">Sparad text</textarea>" in html
    assert 'value="3" checked' in html
    assert 'value="Kommunen" checked' in html
    assert 'value="2015"' in html and 'value="Kom till Växjö"' in html


def test_plain_form_saves_a_draft_without_javascript(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    response = learner_client.post(worksheet_page.url, {**full_form(ids), "action": "save"})
    assert response.status_code == 302
    answers = WorksheetResponse.objects.get(user=learner).answers
    assert answers[ids["timeline"]]["value"] == [
        {"period": "1992", "event": "Flytt till Kalmar"},
        {"period": "2001", "event": "Nytt jobb"},
    ]
    assert WorksheetResponse.objects.get(user=learner).status == "draft"


def test_submitting_records_the_step_and_queues_the_pdf(
    learner_client, learner, worksheet_page, worksheet_step, django_capture_on_commit_callbacks
):
    ids = question_ids(worksheet_page)
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(worksheet_page.url, {**full_form(ids), "action": "submit"})
    assert response.status_code == 302
    saved = WorksheetResponse.objects.get(user=learner)
    assert saved.status == "submitted"
    assert saved.submissions.count() == 1
    assert StepProgress.objects.get(user=learner, step=worksheet_step).state == "completed"
    document = PdfDocument.objects.get(kind="worksheet", source_id=saved.pk)
    assert document.owner == learner
    assert document.state == "ready"  # tasks run in-process in the unit tests


def test_missing_required_answer_is_shown_next_to_the_field_and_nothing_is_lost(
    learner_client, learner, worksheet_page
):
    ids = question_ids(worksheet_page)
    data = full_form(ids, **{f"q-{ids['reflection']}": "   "})
    response = learner_client.post(worksheet_page.url, {**data, "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Besvara frågan innan du lämnar in." in html
    assert f'id="err-{ids["reflection"]}"' in html
    saved = WorksheetResponse.objects.get(user=learner)
    assert saved.status == "draft"
    assert saved.answers[ids["scale"]]["value"] == 4
    assert not WorksheetSubmission.objects.exists()


def test_too_long_answer_on_submit_keeps_the_text(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    long_text = "å" * 5001
    data = full_form(ids, **{f"q-{ids['reflection']}": long_text})
    response = learner_client.post(worksheet_page.url, {**data, "action": "submit"})
    assert response.status_code == 400
    assert "högst 5 000 tecken" in response.content.decode()
    # The draft keeps it (drafts allow up to 100 000 characters) so nothing typed is lost.
    assert WorksheetResponse.objects.get(user=learner).answers[ids["reflection"]]["value"] == (
        long_text
    )


def test_resubmission_keeps_each_version(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    learner_client.post(worksheet_page.url, {**full_form(ids), "action": "submit"})
    autosave(learner_client, worksheet_page, {ids["reflection"]: "Ny tanke efter samtalet"})
    assert WorksheetResponse.objects.get(user=learner).status == "draft"
    learner_client.post(
        worksheet_page.url,
        {**full_form(ids, **{f"q-{ids['reflection']}": "Ny tanke"}), "action": "submit"},
    )
    versions = list(WorksheetSubmission.objects.filter(response__user=learner).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].answers[ids["reflection"]]["value"] == "Jag flyttade till Kalmar 1992."
    assert versions[1].answers[ids["reflection"]]["value"] == "Ny tanke"
    assert PdfDocument.objects.filter(kind="worksheet").count() == 2


def test_unchanged_answers_reuse_the_ready_pdf(
    learner_client, worksheet_page, django_capture_on_commit_callbacks
):
    ids = question_ids(worksheet_page)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(worksheet_page.url, {**full_form(ids), "action": "submit"})
    first = PdfDocument.objects.get(kind="worksheet")
    assert first.state == "ready"
    learner_client.post(worksheet_page.url, {**full_form(ids), "action": "submit"})
    assert PdfDocument.objects.filter(kind="worksheet").count() == 1
    assert PdfDocument.objects.get(kind="worksheet").file.name == first.file.name


def test_answer_to_a_removed_question_is_kept_and_labelled(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    autosave(learner_client, worksheet_page, {ids["reflection"]: "Svar som ska finnas kvar"})
    # The editor removes the first question and adds a new one.
    worksheet_page.questions = [
        dict(child)
        for child in worksheet_page.questions.raw_data
        if child["id"] != ids["reflection"]
    ]
    worksheet_page.save_revision().publish()
    worksheet_page.refresh_from_db()
    html = learner_client.get(worksheet_page.url).content.decode()
    assert "Svar på frågor som har tagits bort" in html
    assert "Svar som ska finnas kvar" in html
    assert "När flyttade du första gången?" in html
    assert WorksheetResponse.objects.get(user=learner).answers[ids["reflection"]]["value"]


def test_markup_in_answers_is_shown_as_typed(learner_client, worksheet_page):
    ids = question_ids(worksheet_page)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    autosave(learner_client, worksheet_page, {ids["reflection"]: payload})
    html = learner_client.get(worksheet_page.url).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_invalid_choice_and_scale_get_messages(learner_client, worksheet_page):
    ids = question_ids(worksheet_page)
    response = autosave(
        learner_client, worksheet_page, {ids["scale"]: "9", ids["choice"]: "Någon annan"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "mellan 1 och 5" in errors[ids["scale"]]
    assert "Välj bland alternativen" in errors[ids["choice"]]


def test_malformed_autosave_is_a_clear_400(learner_client, worksheet_page):
    response = learner_client.post(
        worksheet_page.url + "spara/", "{not json", content_type="text/plain"
    )
    assert response.status_code == 400
    assert "kunde inte läsas" in response.json()["error"]


def test_anonymous_cannot_save_or_submit(client, worksheet_page):
    ids = question_ids(worksheet_page)
    assert autosave(client, worksheet_page, {ids["reflection"]: "x"}).status_code == 403
    response = client.post(worksheet_page.url, {**full_form(ids), "action": "submit"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"] or "login" in response["Location"]
    assert not WorksheetResponse.objects.exists()


def test_a_learner_never_sees_another_learners_answers(client, worksheet_page):
    ids = question_ids(worksheet_page)
    owner, other = factories.UserFactory(), factories.UserFactory()
    client.force_login(owner)
    autosave(client, worksheet_page, {ids["reflection"]: "Hemlig berättelse"})
    client.force_login(other)
    assert "Hemlig berättelse" not in client.get(worksheet_page.url).content.decode()


def test_forged_fields_cannot_change_owner_or_status(learner_client, learner, worksheet_page):
    ids = question_ids(worksheet_page)
    other = factories.UserFactory()
    learner_client.post(
        worksheet_page.url,
        {
            **full_form(ids),
            "action": "save",
            "user": other.pk,
            "status": "submitted",
            "worksheet": 999,
        },
    )
    saved = WorksheetResponse.objects.get()
    assert saved.user == learner and saved.status == "draft"


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=None), max_size=300
) | st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\u202eevil",
        "مرحبا بكم في كالمار",
        "🙂" * 50,
        "x" * 100_000,
        "x" * 100_001,
        "\r\n\t\x0b\x0c",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT)
def test_random_text_is_stored_exactly_or_refused_clearly(
    learner_client, learner, worksheet_page, text
):
    ids = question_ids(worksheet_page)
    response = autosave(learner_client, worksheet_page, {ids["reflection"]: text})
    assert response.status_code in (200, 400)
    saved = WorksheetResponse.objects.filter(user=learner).first()
    if response.status_code == 200:
        assert saved.answers[ids["reflection"]]["value"] == text
    else:
        message = response.json()["errors"][ids["reflection"]]
        assert "NUL" in message or "högst" in message or "kan inte sparas" in message
