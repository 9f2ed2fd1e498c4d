"""load_demo adds one workshop led by the demo trainer, with the demo learner signed up."""

from io import StringIO

from django.core.management import call_command, get_commands

from lessons.workshops.demo import DEMO_TITLE
from lessons.workshops.models import WorkshopSession


def test_load_demo_is_a_command_of_the_project():
    # No skip when it is missing: `make run` depends on it, so a missing command is a failure.
    assert get_commands().get("load_demo") == "kompetensverkstad"


def test_load_demo_adds_one_demo_session_however_often_it_runs(db):
    for _ in range(2):
        call_command("load_demo", stdout=StringIO())

    session = WorkshopSession.objects.get(title=DEMO_TITLE)
    assert session.trainer.username == "utbildare"
    assert session.is_open and session.module is not None
    assert list(session.participants.values_list("user__username", flat=True)) == ["larande"]
    assert session.trainer.groups.filter(name="Utbildare").exists()
