"""Hostile input in worksheets: the worksheet page's fields through the Wagtail admin, and the
learner's answers through autosave and the plain form, shown to the learner, to the trainer they
share them with and in the PDFs (``tests/hostile.py`` has the payloads and the checker)."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.models import ModuleStep
from lessons.workshops.models import SessionParticipant
from tests.hostile import (
    PAGE_META,
    PAYLOAD_IDS,
    PAYLOADS,
    TALLY,
    PageForm,
    Payload,
    add_page_through_the_admin,
    assert_inert,
    check,
    contentstate,
    hostile_session,
    listblock,
    pdf_html,
    short,
    signed_in,
)
from worksheets.models import WorksheetPage

pytestmark = pytest.mark.django_db


def worksheet_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    question = {"prompt": short(p, 1000), "help_text": short(p, 600), "required": "on"}
    data = {
        "title": short(p, 255),
        "slug": slug,
        "purpose": short(p, 1000),
        "duration_minutes": "45",
        "group_size": short(p, 100),
        "preparation": short(p, 1500),
        "stages": streamfield(
            [("stage", {"title": short(p, 150), "minutes": "10", "description": short(p, 1500)})]
        ),
        "questions": streamfield(
            [
                ("reflection", {**question, "max_length": "5000"}),
                (
                    "scale",
                    {
                        **question,
                        "min_value": "1",
                        "max_value": "5",
                        "min_label": short(p, 80),
                        "max_label": "Mycket " + short(p, 72),
                    },
                ),
                (
                    "choice",
                    {
                        **question,
                        "options": listblock([short(p, 200), "Annat: " + short(p, 190)]),
                        "multiple": "",
                    },
                ),
                (
                    "timeline",
                    {
                        **question,
                        "min_rows": "2",
                        "period_label": short(p, 60),
                        "event_label": "Vad " + short(p, 56),
                    },
                ),
                ("discussion", {"text": contentstate(p.text, "länk kvx03"), "minutes": "10"}),
            ]
        ),
        **PAGE_META,
    }
    return nested_form_data(data), 5 + 3 + 4 * 2 + 2 + 2 + 2 + 2 + 1


PAGE_FORMS = {
    "worksheet": PageForm(WorksheetPage, worksheet_form, "worksheets", "worksheetpage"),
}


# --- The worksheet page through the Wagtail admin ------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("kind", list(PAGE_FORMS))
def test_page_fields_from_the_admin_are_inert_everywhere(
    kind, payload, workshop_module, editor, superuser, trainer, learner
):
    page = add_page_through_the_admin(
        kind, PAGE_FORMS[kind], payload, workshop_module, editor, superuser
    )
    if page is None:
        return
    check(signed_in(learner), page.url, [payload], "worksheet page (learner)")
    _worksheet_page_fields_reach_trainer_and_pdfs(page, payload, trainer, learner)


def _worksheet_page_fields_reach_trainer_and_pdfs(page, payload, trainer, learner) -> None:
    """An editor's worksheet in the facilitator view, shared answers, blank PDF and pack."""
    session = hostile_session(trainer, worksheet=page)
    SessionParticipant.objects.create(session=session, user=learner, shares_answers=True)
    participant = session.participants.get()
    trainer_client = signed_in(trainer)
    check(
        trainer_client,
        reverse("workshops:facilitator", args=(session.pk,)),
        [payload],
        "facilitator (worksheet)",
    )
    check(
        trainer_client,
        reverse("workshops:shared_answers", args=(session.pk, participant.pk)),
        [],
        "shared answers (worksheet fields)",
    )
    blank = PdfDocument.objects.create(kind="blank_worksheet", source_id=page.pk, content_hash="h")
    assert_inert(pdf_html(blank), [payload], where="blank worksheet PDF HTML")
    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), [payload], where="session pack PDF HTML (worksheet)")
    TALLY.parsed("pdf html")


# --- Worksheet answers (learner) ------------------------------------------------------------------


def _answer_ids(page) -> dict[str, str]:
    return {b.block_type: b.id for b in page.questions}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_worksheet_answers_are_inert_for_learner_trainer_and_pdf(
    payload, workshop_module, trainer, learner, django_capture_on_commit_callbacks
):
    page = workshop_module.steps.get(kind=ModuleStep.Kind.WORKSHEET).page.specific
    ids = _answer_ids(page)
    client = signed_in(learner)
    autosave = page.url + "spara/"
    timeline_row = {"period": short(payload, 100), "event": short(payload, 2000)}
    TALLY.tried("answer:autosave", 3)

    response = client.post(
        autosave,
        json.dumps({"answers": {ids["reflection"]: payload.text, ids["timeline"]: [timeline_row]}}),
        content_type="application/json",
    )

    if not payload.storable:
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert "NUL" in errors[ids["reflection"]] and "NUL" in errors[ids["timeline"]]
        TALLY.tried("answer:form submit")
        form_post = client.post(page.url, {f"q-{ids['reflection']}": payload.text})
        assert form_post.status_code == 400
        assert "NUL" in form_post.content.decode()
        assert_inert(form_post.content, where="refused worksheet form")
        return
    assert response.status_code == 200, response.content
    check(client, page.url, [payload], "worksheet with draft")

    # The plain form: submitting checks the question's own limit (5,000 characters).
    TALLY.tried("answer:form submit", 3)
    form = {
        "action": "submit",
        f"q-{ids['reflection']}": payload.text,
        f"q-{ids['scale']}": "3",
        f"q-{ids['choice']}": "Grannar",
        f"q-{ids['timeline']}-period": [timeline_row["period"]],
        f"q-{ids['timeline']}-event": [timeline_row["event"]],
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(page.url, form)
    if len(payload.text) > 5000:
        assert response.status_code == 400
        assert_inert(response.content, [payload], where="worksheet refused on submit")
        form[f"q-{ids['reflection']}"] = short(payload, 5000)
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(page.url, form)
    assert response.status_code == 302, response.status_code
    check(client, page.url, [], "worksheet after submit")
    check(client, reverse("learning:dashboard"), [], "mina sidor")

    session = hostile_session(trainer, module=workshop_module)
    participant = SessionParticipant.objects.create(
        session=session, user=learner, shares_answers=True
    )
    trainer_client = signed_in(trainer)
    shown = [payload] if len(payload.text) <= 5000 else []
    check(
        trainer_client,
        reverse("workshops:shared_answers", args=(session.pk, participant.pk)),
        shown,
        "trainer's shared answers",
    )
    check(trainer_client, reverse("workshops:facilitator", args=(session.pk,)), [], "facilitator")
    check(trainer_client, reverse("workshops:progress", args=(session.pk,)), [], "group progress")
    document = PdfDocument.objects.get(kind="worksheet", owner=learner)
    assert_inert(pdf_html(document), shown, where="answered worksheet PDF HTML")
    TALLY.parsed("pdf html")
