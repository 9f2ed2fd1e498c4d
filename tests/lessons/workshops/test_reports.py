"""Group progress: participants × steps (not started, started, done), the share done per step,
an accessible table and chart, and the same rows as CSV and XLSX."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lessons.learning.recording import record_step_completed, record_step_started
from lessons.models import ModuleStep
from lessons.workshops.models import SessionParticipant
from tests import factories


@pytest.fixture
def group(session, learner, other_learner):
    """Amina: lecture done, worksheet started, attended; Bo: nothing; Cecilia: lecture done."""
    steps = {s.kind: s for s in session.module.steps.all()}
    third = factories.UserFactory(first_name="Cecilia", last_name="Berg")
    amina = SessionParticipant.objects.create(session=session, user=learner, attended=True)
    SessionParticipant.objects.create(session=session, user=other_learner)
    SessionParticipant.objects.create(session=session, user=third)
    record_step_completed(learner, steps[ModuleStep.Kind.LECTURE])
    record_step_started(learner, steps[ModuleStep.Kind.WORKSHEET])
    record_step_completed(third, steps[ModuleStep.Kind.LECTURE])
    return amina


EXPECTED = [
    ["Deltagare", "Närvarade", "1. Att bli fler", "2. Min egen historia",
     "3. Workshop med kollegorna", "Klara steg"],
    ["Bo Andersson", "Nej", "Inte påbörjat", "Inte påbörjat", "Inte påbörjat", "0"],
    ["Cecilia Berg", "Nej", "Klart", "Inte påbörjat", "Inte påbörjat", "1"],
    ["Amina Exempelsson", "Ja", "Klart", "Påbörjat", "Inte påbörjat", "1"],
    ["Andel klara", "", "67 %", "0 %", "0 %", ""],
]  # fmt: skip


def test_progress_page_has_an_accessible_table_and_chart(client, trainer, session, group):
    client.force_login(trainer)

    html = client.get(reverse("workshops:progress", args=[session.pk])).content.decode()

    assert '<caption id="tabell-text">' in html
    assert '<th scope="col">Deltagare</th>' in html
    assert '<th scope="row">Bo Andersson</th>' in html
    assert html.count('class="state state--completed"') == 2
    assert html.count('class="state state--started"') == 1
    # The chart's bars carry no information of their own: the text beside each says it all.
    assert (
        'class="bar-chart__svg" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"'
        in html
    )
    assert '<rect class="bar-chart__bar" width="67"' in html
    assert "67 %</strong> (2 av 3 klara)" in html


def test_csv_export_has_the_rows_of_the_table(client, trainer, session, group):
    client.force_login(trainer)

    response = client.get(reverse("workshops:progress_export_csv", args=[session.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == EXPECTED


def test_xlsx_export_has_the_rows_of_the_table(client, trainer, session, group):
    client.force_login(trainer)

    response = client.get(reverse("workshops:progress_export_xlsx", args=[session.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == EXPECTED


def test_a_name_that_looks_like_a_formula_stays_text(client, trainer, session):
    SessionParticipant.objects.create(
        session=session, user=factories.UserFactory(first_name="=HYPERLINK(1)", last_name="")
    )
    client.force_login(trainer)

    xlsx = client.get(reverse("workshops:progress_export_xlsx", args=[session.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    csv_text = client.get(reverse("workshops:progress_export_csv", args=[session.pk])).content
    assert b"'=HYPERLINK(1)" in csv_text
