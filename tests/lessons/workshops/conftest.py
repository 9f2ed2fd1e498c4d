"""Fixtures for workshop sessions: a module with a lecture, a worksheet and a workshop step,
trainers in the "Utbildare" group, learners, a session and a participant in it."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from lessons.models import ModulePage, ModuleStep
from lessons.workshops.models import TRAINER_GROUP, SessionParticipant, WorkshopSession
from tests import factories
from tests.conftest import make_site


@pytest.fixture
def run_on_commit(
    django_capture_on_commit_callbacks,
) -> Callable[[], AbstractContextManager]:
    """``with run_on_commit(): ...`` runs on-commit work (tasks run eagerly in tests) at the end.

    Each test runs in a transaction that is never committed; without this, nothing enqueued
    on commit (PDF rendering, completion checks, mails) would run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def home(db):
    return make_site()


def build_workshop_module(home, *, requires_workshop: bool = True, **fields) -> ModulePage:
    """Lecture (with chapters), worksheet (stages, questions, a discussion prompt), workshop."""
    module = factories.ModulePageFactory(parent=home, requires_workshop=requires_workshop, **fields)
    lecture = factories.LecturePageFactory(
        parent=module, title="Att bli fler", video=factories.MediaFactory()
    )
    factories.LectureChapterFactory(lecture=lecture, start="00:00", title="Inledning i filmen")
    factories.LectureChapterFactory(lecture=lecture, start="00:30", title="Mottagandet")
    worksheet = factories.WorksheetPageFactory(parent=module, title="Min egen historia")
    kinds = [
        (ModuleStep.Kind.LECTURE, lecture, ""),
        (ModuleStep.Kind.WORKSHEET, worksheet, ""),
        (ModuleStep.Kind.WORKSHOP, None, "Workshop med kollegorna"),
    ]
    for i, (kind, page, title) in enumerate(kinds):
        factories.ModuleStepFactory(
            module=module, kind=kind, page=page, title=title, sort_order=i, estimated_minutes=20
        )
    return ModulePage.objects.get(pk=module.pk)


@pytest.fixture
def module(home) -> ModulePage:
    return build_workshop_module(home, title="Vi blir fler", slug="vi-blir-fler")


@pytest.fixture
def worksheet(module):
    return module.steps.get(kind=ModuleStep.Kind.WORKSHEET).page.specific


@pytest.fixture
def trainer_group(db) -> Group:
    # Created by a data migration, but a flushed (transactional) test database may lack it.
    return Group.objects.get_or_create(name=TRAINER_GROUP)[0]


@pytest.fixture
def trainer(trainer_group):
    user = factories.UserFactory(
        username="utbildare1", first_name="Tove", last_name="Utbildare", email="tove@example.org"
    )
    user.groups.add(trainer_group)
    return user


@pytest.fixture
def other_trainer(trainer_group):
    user = factories.UserFactory(
        username="utbildare2", first_name="Otto", last_name="Annan", email="otto@example.org"
    )
    user.groups.add(trainer_group)
    return user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        username="admin", email="admin@example.org", is_staff=True, is_superuser=True
    )


@pytest.fixture
def learner(db):
    return factories.UserFactory(
        username="larande1", first_name="Amina", last_name="Exempelsson", email="amina@example.org"
    )


@pytest.fixture
def other_learner(db):
    return factories.UserFactory(
        username="larande2", first_name="Bo", last_name="Andersson", email="bo@example.org"
    )


def make_session(trainer, *, module=None, worksheet=None, **fields) -> WorkshopSession:
    start = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    defaults = {
        "title": "Vi blir fler – Växjö",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place": "Stadshuset, rum 3",
        "capacity": 5,
        "note": "Ta med penna.",
    }
    defaults.update(fields)
    return WorkshopSession.objects.create(
        trainer=trainer, module=module, worksheet=worksheet, **defaults
    )


@pytest.fixture
def session(trainer, module) -> WorkshopSession:
    return make_session(trainer, module=module)


@pytest.fixture
def participant(session, learner) -> SessionParticipant:
    return SessionParticipant.objects.create(session=session, user=learner)


@pytest.fixture
def as_user(client) -> Callable:
    """``as_user(user)`` signs the test client in as ``user`` (None: signed out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
