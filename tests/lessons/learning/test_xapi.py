"""Learning records as xAPI 1.0.3 statements: pseudonymous actor, ADL verbs, absolute object
URLs, the module as context, UTC timestamps; off without XAPI_LRS_URL; the period export."""

import json

import pytest
from django.core.management import call_command

from lessons.learning.models import LearningEvent
from lessons.learning.recording import record_step_completed
from lessons.learning.xapi import deliver_batch, statement
from tests import factories
from tests.conftest import make_site
from tests.factories import Kind, build_module, steps_of


@pytest.fixture
def module(db):
    return build_module(make_site(), [Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler")


def test_statement_is_xapi_with_a_pseudonymous_actor(module, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://kompetens.example.org"
    learner = factories.UserFactory(email="amina@example.org", username="amina@example.org")
    step = steps_of(module)[0]
    record_step_completed(learner, step)
    event = LearningEvent.objects.get()
    data = statement(event)

    assert data["id"] == str(event.statement_id)
    assert data["version"] == "1.0.3"
    account = data["actor"]["account"]
    assert account["homePage"] == "https://kompetens.example.org/"
    assert "amina" not in json.dumps(data) and str(learner.pk) != account["name"]
    assert data["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert data["object"]["id"] == "https://kompetens.example.org" + step.page.url
    parent = data["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == "https://kompetens.example.org" + module.url
    assert data["timestamp"].endswith("Z")
    # The id is fixed at writing: building the statement again gives the same one.
    assert statement(event)["id"] == data["id"]


def test_delivery_is_off_without_an_lrs(module, settings):
    settings.XAPI_LRS_URL = ""
    record_step_completed(factories.UserFactory(), steps_of(module)[0])
    assert deliver_batch() == 0
    assert LearningEvent.objects.filter(sent_at__isnull=True).count() == 1


def test_export_writes_the_periods_statements(module, tmp_path):
    learner = factories.UserFactory()
    for step in steps_of(module):
        record_step_completed(learner, step)
    target = tmp_path / "xapi.json"
    call_command("export_xapi", "--from", "2000-01-01", "--to", "2999-12-31", "--output", target)
    data = json.loads(target.read_text())
    ids = {str(i) for i in LearningEvent.objects.values_list("statement_id", flat=True)}
    assert {s["id"] for s in data} == ids
    call_command("export_xapi", "--from", "2000-01-01", "--to", "2000-01-02", "--output", target)
    assert json.loads(target.read_text()) == []
