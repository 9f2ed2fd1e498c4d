"""Hostile input in workshop sessions: the trainer's title, place and note, shown on every
page of the session, the join confirmation, the calendar file, the pack and the cancellation
mail; and names that look like spreadsheet formulas in the CSV and XLSX exports
(``tests/hostile.py`` has the payloads and the checker)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories
from tests.hostile import (
    FORMULA_PAYLOADS,
    PAYLOAD_IDS,
    PAYLOADS,
    TALLY,
    Payload,
    assert_inert,
    check,
    fetch,
    hostile_session,
    pdf_html,
    progress_csv,
    refused_with_message,
    short,
    signed_in,
)

pytestmark = pytest.mark.django_db


def session_form(module, payload: Payload) -> dict:
    start = timezone.localtime() + timedelta(days=5)
    return {
        "title": short(payload, 200),
        "material": f"module:{module.pk}",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": short(payload, 300),
        "meeting_url": "",
        "capacity": "4",
        "note": short(payload, 2000),
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_session_title_place_and_note_are_inert_everywhere(
    payload, workshop_module, trainer, learner
):
    client = signed_in(trainer)
    TALLY.tried("session:title/place/note", 3)

    response = client.post(
        reverse("workshops:session_create"), session_form(workshop_module, payload)
    )

    if not payload.storable:
        refused_with_message(response, "title", "place", "note")
        assert not WorkshopSession.objects.exists()
        return
    assert response.status_code == 302, response.context["form"].errors
    session = WorkshopSession.objects.get()
    SessionParticipant.objects.create(session=session, user=learner)
    title_payload = [payload] if len(payload.text) <= 200 else []
    for name, shown in [
        ("workshops:session_detail", title_payload),
        ("workshops:facilitator", title_payload),
        ("workshops:attendance", title_payload),
        ("workshops:progress", title_payload),
        ("workshops:session_edit", []),
        ("workshops:session_cancel", title_payload),
    ]:
        check(client, reverse(name, args=(session.pk,)), shown, f"{name} (session fields)")
    check(client, reverse("workshops:session_list"), title_payload, "session list")
    learner_client = signed_in(learner)
    check(
        learner_client,
        reverse("workshops:my_session", args=(session.pk,)),
        title_payload,
        "my session",
    )
    check(learner_client, reverse("learning:dashboard"), [], "mina sidor (session)")
    other = signed_in(factories.UserFactory())
    check(
        other,
        reverse("workshops:join_code", args=(session.join_code,)),
        title_payload,
        "join confirmation",
    )

    ics = fetch(
        learner_client, reverse("workshops:session_calendar", args=(session.pk,)), where="ics"
    )
    from icalendar import Calendar

    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["summary"]) == session.title
    assert str(event["description"]).startswith(session.note)

    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), title_payload, where="session pack PDF HTML (session)")
    TALLY.parsed("pdf html")

    # The cancellation mail is plain text; the page after cancelling must stay inert.
    response = client.post(reverse("workshops:session_cancel", args=(session.pk,)))
    assert response.status_code == 302
    check(client, reverse("workshops:session_detail", args=(session.pk,)), [], "cancelled session")
    assert all(session.title in m.subject + m.body for m in mail.outbox)


@pytest.mark.parametrize("formula", FORMULA_PAYLOADS)
def test_names_that_look_like_formulas_are_text_in_csv_and_xlsx(formula, workshop_module, trainer):
    from openpyxl import load_workbook

    person = factories.UserFactory()
    client = signed_in(person)
    form = {"first_name": formula, "last_name": formula, "municipality": "", "job_title": ""}
    assert client.post(reverse("accounts:profile"), form).status_code == 302
    TALLY.tried("profile:name (formula)", 2)
    session = hostile_session(trainer, module=workshop_module)
    SessionParticipant.objects.create(session=session, user=person)
    trainer_client = signed_in(trainer)

    cells = [row[0] for row in csv.reader(io.StringIO(progress_csv(trainer_client, session)))]
    assert cells[1] == "'" + f"{formula} {formula}"
    assert not any(c[:1] in "=+-@\t\r" for c in cells)

    response = fetch(
        trainer_client, reverse("workshops:progress_export_xlsx", args=(session.pk,)), where="xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    assert sheet["A2"].value == "'" + f"{formula} {formula}"
