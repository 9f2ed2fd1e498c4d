"""The trainer's pages cost the same number of queries for a group of 2 as for a group of 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.learning.recording import record_step_completed
from lessons.workshops.models import SessionParticipant
from tests import factories
from tests.conftest import QUERY_COUNTS

PAGES = [
    "workshops:session_detail",
    "workshops:attendance",
    "workshops:progress",
    "workshops:progress_export_csv",
    "workshops:facilitator",
]


def add_people(session, count: int) -> None:
    steps = list(session.module.steps.all())
    for _ in range(count):
        user = factories.UserFactory()
        SessionParticipant.objects.create(session=session, user=user, shares_answers=True)
        record_step_completed(user, steps[0])


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_trainer_page_queries_do_not_grow_with_the_group(client, trainer, session, name):
    client.force_login(trainer)
    url = reverse(name, args=[session.pk])
    add_people(session, 2)
    small = queries(client, url)
    add_people(session, 10)
    large = queries(client, url)

    assert large == small, f"{name}: {small} queries for 2, {large} for 12"
    assert large <= 25
    QUERY_COUNTS[f"workshop: {name}"] = large
