"""Joining with a code or a link: sign in and back, full, cancelled, unknown, rate-limited."""

import threading
from urllib.parse import quote

import pytest
from django.db import connection, connections
from django.urls import reverse

from lessons.learning.models import StepProgress, StepState
from lessons.models import ModuleStep
from lessons.workshops.joining import JOIN_ATTEMPTS_LIMIT, JoinRefused, join_session
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories
from tests.factories import make_session


def test_anonymous_visitor_signs_in_and_lands_back_on_the_join_link(client, session, learner):
    link = reverse("workshops:join_code", args=[session.join_code])

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={quote(link)}"
    response = client.post(
        reverse("accounts:login"),
        {"username": learner.username, "password": "testlosen-123", "next": link},
    )
    assert response.status_code == 302
    assert response["Location"] == link
    page = client.get(link)
    assert page.status_code == 200
    assert session.title in page.content.decode()


def test_joining_by_code_in_lower_case_takes_a_seat_and_starts_the_workshop_step(
    client, session, learner
):
    client.force_login(learner)

    response = client.post(reverse("workshops:join"), {"code": session.join_code.lower()})

    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:my_session", args=[session.pk])
    assert SessionParticipant.objects.filter(session=session, user=learner).exists()
    step = session.module.steps.get(kind=ModuleStep.Kind.WORKSHOP)
    assert StepProgress.objects.get(user=learner, step=step).state == StepState.STARTED
    page = client.get(response["Location"])
    assert "Välkommen! Du är anmäld" in page.content.decode()


def test_joining_twice_keeps_one_seat(client, session, learner):
    client.force_login(learner)
    client.post(reverse("workshops:join"), {"code": session.join_code})
    response = client.post(reverse("workshops:join"), {"code": session.join_code})

    assert response.status_code == 302
    assert SessionParticipant.objects.filter(session=session, user=learner).count() == 1


def test_join_link_asks_before_joining_and_the_button_joins(client, session, learner):
    client.force_login(learner)
    link = reverse("workshops:join_code", args=[session.join_code.lower()])

    page = client.get(link)
    assert page.status_code == 200
    assert not SessionParticipant.objects.exists()
    assert "Gå med i workshoppen" in page.content.decode()

    response = client.post(link)
    assert response.status_code == 302
    assert SessionParticipant.objects.filter(session=session, user=learner).exists()


def test_full_session_says_so_and_takes_nobody_more(client, session, learner):
    session.capacity = 1
    session.save()
    SessionParticipant.objects.create(session=session, user=factories.UserFactory())
    client.force_login(learner)

    by_code = client.post(reverse("workshops:join"), {"code": session.join_code})
    link = reverse("workshops:join_code", args=[session.join_code])
    by_link = client.get(link)
    by_button = client.post(link)

    assert by_code.status_code == 409
    assert "är fullbokad" in by_code.content.decode()
    assert by_link.status_code == 200 and "är fullbokad" in by_link.content.decode()
    assert "Gå med i workshoppen</button>" not in by_link.content.decode()
    assert by_button.status_code == 409
    assert session.participants.count() == 1


def test_cancelled_session_says_so(client, session, learner):
    session.status = WorkshopSession.Status.CANCELLED
    session.save()
    client.force_login(learner)

    by_code = client.post(reverse("workshops:join"), {"code": session.join_code})
    by_link = client.get(reverse("workshops:join_code", args=[session.join_code]))

    assert by_code.status_code == 409
    assert "är inställd" in by_code.content.decode()
    assert "är inställd" in by_link.content.decode()
    assert not session.participants.exists()


def test_unknown_code_gets_a_clear_message(client, session, learner):
    client.force_login(learner)

    by_code = client.post(reverse("workshops:join"), {"code": "ZZZZZZ"})
    by_link = client.get(reverse("workshops:join_code", args=["ZZZZZZ"]))
    empty = client.post(reverse("workshops:join"), {"code": ""})

    assert by_code.status_code == 404
    assert "Vi hittar ingen workshop med den koden" in by_code.content.decode()
    assert by_link.status_code == 404
    assert "Vi hittar ingen workshop med den koden" in by_link.content.decode()
    assert empty.status_code == 400
    assert "Skriv koden som utbildaren visar." in empty.content.decode()


def test_trainer_opening_their_own_code_is_sent_to_the_session(client, session, trainer):
    client.force_login(trainer)

    response = client.post(reverse("workshops:join"), {"code": session.join_code})

    assert response["Location"] == reverse("workshops:session_detail", args=[session.pk])
    assert not session.participants.exists()


def test_trying_codes_is_rate_limited_per_person_and_address(
    client, session, learner, other_learner
):
    client.force_login(learner)
    for _ in range(JOIN_ATTEMPTS_LIMIT):
        assert client.post(reverse("workshops:join"), {"code": "ZZZZZZ"}).status_code == 404

    # Even the right code is refused now, by the form and by the link.
    blocked = client.post(reverse("workshops:join"), {"code": session.join_code})
    by_link = client.get(reverse("workshops:join_code", args=[session.join_code]))

    assert blocked.status_code == 429
    assert by_link.status_code == 429
    assert "För många försök" in blocked.content.decode()
    assert "Vänta 10 minuter" in blocked.content.decode()
    assert blocked["Retry-After"] == "600"
    assert not session.participants.exists()

    # Another person (on the same address) is not held back by someone else's guessing.
    client.force_login(other_learner)
    assert client.post(reverse("workshops:join"), {"code": session.join_code}).status_code == 302
    # From another address the first person may try again.
    client.force_login(learner)
    other_address = client.post(
        reverse("workshops:join"), {"code": session.join_code}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302


def test_opening_ones_own_link_again_and_again_is_not_counted(client, session, learner):
    client.force_login(learner)
    link = reverse("workshops:join_code", args=[session.join_code])
    for _ in range(JOIN_ATTEMPTS_LIMIT + 2):
        assert client.get(link).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer; the race needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_seat_is_given_once_when_many_join_at_the_same_moment(trainer, workshop_module):
    session = make_session(trainer, module=workshop_module, capacity=3)
    people = [factories.UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def join(person) -> None:
        try:
            barrier.wait(timeout=10)
            join_session(person, session)
            outcomes.append("joined")
        except JoinRefused as refused:
            outcomes.append(refused.reason)
        except BaseException as exc:  # reported in the main thread
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["full"] * 5 + ["joined"] * 3
    assert session.participants.count() == 3
