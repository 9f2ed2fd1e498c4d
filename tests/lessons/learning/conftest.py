"""Fixtures for the learner's path: modules with steps of every kind, learners, run-after-commit.

The test settings run Celery tasks in-process (eager), whatever REDIS_URL says: these tests
check what the tracking code and the tasks write; tests/integration/ runs the real worker.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from lessons.models import ModulePage
from tests import factories
from tests.conftest import make_site

from .builders import Kind, build_module


@pytest.fixture
def run_on_commit(
    django_capture_on_commit_callbacks,
) -> Callable[[], AbstractContextManager]:
    """``with run_on_commit(): ...`` runs the on-commit work (enqueued tasks) at the block's end.

    A test runs inside a transaction that is never committed, so without this the tasks that
    the code enqueues on commit would never run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def make_module(home) -> Callable[..., ModulePage]:
    return lambda kinds, **kwargs: build_module(home, kinds, **kwargs)


@pytest.fixture
def module(make_module) -> ModulePage:
    """Lecture, article, worksheet: the common shape of a self-paced module."""
    return make_module(
        [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler", slug="vi-blir-fler"
    )


@pytest.fixture
def learner(db):
    return factories.UserFactory(
        username="kund4711", first_name="Amina", last_name="Exempelsson", email="amina@example.org"
    )


@pytest.fixture
def other_learner(db):
    return factories.UserFactory(
        username="kund0815", first_name="Bo", last_name="Andersson", email="bo@example.org"
    )


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
