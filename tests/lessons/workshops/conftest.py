"""Fixtures for workshop sessions: a second trainer, a session on the shared ``workshop_module``
led by ``trainer``, and ``learner`` as a participant in it (the people and the module are in
tests/conftest.py)."""

import pytest

from lessons.models import ModuleStep
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories


@pytest.fixture
def worksheet(workshop_module):
    return workshop_module.steps.get(kind=ModuleStep.Kind.WORKSHEET).page.specific


@pytest.fixture
def other_trainer(trainer_group):
    user = factories.UserFactory(
        username="utbildare2", first_name="Otto", last_name="Annan", email="otto@example.org"
    )
    user.groups.add(trainer_group)
    return user


@pytest.fixture
def session(trainer, workshop_module) -> WorkshopSession:
    return factories.make_session(trainer, module=workshop_module)


@pytest.fixture
def participant(session, learner) -> SessionParticipant:
    return SessionParticipant.objects.create(session=session, user=learner)
