"""The drill-down to one municipality's learners of one module: state per step and completion
date, never an answer; a coordinator reaches only their own municipalities."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from kompetensverkstad.accounts.models import Municipality, Profile
from kompetensverkstad.privacy.access.models import AccessLogEntry
from lessons.learning.recording import record_step_completed
from lessons.reports import drilldown
from tests import factories
from tests.factories import Kind, build_module
from worksheets.answering import submit

ANSWER = "Mitt hemliga svar om 1998"


def _url(municipality, module) -> str:
    return reverse("kv_reports:learners", args=[municipality.pk, module.pk])


def test_states_per_step_and_completion_date(client, county, coordinator) -> None:
    client.force_login(coordinator)
    kalmar, module = county.municipalities["Kalmar"], county.modules[0]
    response = client.get(_url(kalmar, module))
    assert response.status_code == 200
    rows = response.context["object_list"]
    assert len(rows) == 8
    by_name = {r.name: r for r in rows}
    steps = list(module.steps.order_by("sort_order"))
    done = by_name["Person0 Kalmar"]
    assert [getattr(done, f"step_{s.pk}") for s in steps] == ["Klart"] * 3
    assert done.completed_display != "–"
    assert getattr(by_name["Person1 Kalmar"], f"step_{steps[0].pk}") == "Påbörjat"
    assert getattr(by_name["Person3 Kalmar"], f"step_{steps[0].pk}") == "Inte påbörjat"
    assert by_name["Person3 Kalmar"].completed_display == "–"


def test_report_links_to_the_drilldown(client, county, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("kv_reports:completion"))
    assert _url(county.municipalities["Kalmar"], county.modules[0]) in response.text


def test_coordinator_gets_404_for_another_municipality(client, county, coordinator) -> None:
    client.force_login(coordinator)
    vimmerby, module = county.municipalities["Vimmerby"], county.modules[0]
    for suffix in ("", "?export=xlsx", "?export=csv"):
        assert client.get(_url(vimmerby, module) + suffix).status_code == 404
    # A municipality that does not exist answers the same as one that is not theirs.
    assert client.get(reverse("kv_reports:learners", args=[999999, module.pk])).status_code == 404


def test_drilldown_never_shows_answers(client, home) -> None:
    kalmar = Municipality.objects.create(name="Kalmar", county="kalmar")
    module = build_module(home, [Kind.WORKSHEET, Kind.LECTURE], title="Modul med blad")
    steps = list(module.steps.select_related("page").order_by("sort_order"))
    learner = factories.UserFactory(first_name="Amina", last_name="Svarsdottir")
    Profile.objects.create(user=learner, municipality=kalmar)
    worksheet = steps[0].page.specific
    ids = {q.block_type: q.id for q in worksheet.questions}
    answers = {ids["reflection"]: ANSWER, ids["scale"]: "4"}
    _response, submission, cleaned = submit(learner, worksheet, answers)
    assert submission is not None, cleaned.errors
    record_step_completed(learner, steps[1])
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(_url(kalmar, module))
    assert "Svarsdottir" in response.text
    assert ANSWER not in response.text
    export = client.get(_url(kalmar, module) + "?export=xlsx")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "Amina Svarsdottir" in cells and "Klart" in cells
    assert all(ANSWER not in str(c) for c in cells)


def test_export_reads_the_learners_in_chunks_and_keeps_every_row(
    client, county, admin_user, monkeypatch
) -> None:
    """Chunks of 3 over 8 learners: the rows come in the page's order, none lost or repeated,
    and the access log has each exported learner once."""
    kalmar, module = county.municipalities["Kalmar"], county.modules[0]
    steps = drilldown.module_steps(module)
    chunked = drilldown.LearnerRows(kalmar, module, steps, chunk_size=3)
    page = drilldown.LearnerRows(kalmar, module, steps)[0:8]
    assert len(chunked) == 8
    assert [r.pk for r in chunked] == [r.pk for r in page]
    assert [r.name for r in page] == sorted(r.name for r in page)

    monkeypatch.setattr(drilldown, "CHUNK_SIZE", 3)
    client.force_login(admin_user)
    export = client.get(_url(kalmar, module) + "?export=xlsx")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == [r.name for r in page]
    logged = AccessLogEntry.objects.values_list("subject_id", flat=True)
    assert sorted(logged) == sorted(r.pk for r in page)
