"""Who may open each workshop URL: the status code for every URL × role, as one table.

anonymous → sign-in page (302); a signed-in non-trainer → 403 on trainer pages; a trainer → 404
for another trainer's session; a learner's answers only for the session's own trainer.
"""

import pytest
from django.urls import reverse

from lessons.workshops.models import SessionParticipant

ROLES = ["anonymous", "learner", "participant", "trainer", "other_trainer", "superuser"]

# url name, method → statuses in the order of ROLES.
TABLE = [
    ("workshops:session_list", "get", (302, 403, 403, 200, 200, 200)),
    ("workshops:session_create", "get", (302, 403, 403, 200, 200, 200)),
    ("workshops:session_detail", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:session_edit", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:session_cancel", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:facilitator", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:attendance", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:progress", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:progress_export_csv", "get", (302, 403, 403, 200, 404, 200)),
    ("workshops:progress_export_xlsx", "get", (302, 403, 403, 200, 404, 200)),
    # Answers: only the session's own trainer, not another trainer, not an administrator.
    ("workshops:shared_answers", "get", (302, 403, 403, 200, 404, 404)),
    # 202: the pack is queued (the test's transaction never commits, so it is not rendered).
    ("workshops:session_pack", "get", (302, 403, 403, 202, 404, 202)),
    ("workshops:join", "get", (302, 200, 200, 200, 200, 200)),
    # A participant is sent on to their session; its trainer is told it is their own.
    ("workshops:join_code", "get", (302, 200, 302, 200, 200, 200)),
    ("workshops:my_session", "get", (302, 404, 200, 404, 404, 404)),
    ("workshops:session_calendar", "get", (302, 404, 200, 200, 404, 200)),
    ("workshops:share_answers", "post", (302, 404, 302, 404, 404, 404)),
    # State-changing POSTs last: each row runs on a fresh session.
    ("workshops:attendance", "post", (302, 403, 403, 302, 404, 302)),
    ("workshops:session_cancel", "post", (302, 403, 403, 302, 404, 302)),
]


def url_for(name: str, session, participant: SessionParticipant) -> str:
    if name in ("workshops:session_list", "workshops:session_create", "workshops:join"):
        return reverse(name)
    if name == "workshops:join_code":
        return reverse(name, args=[session.join_code])
    if name == "workshops:shared_answers":
        return reverse(name, args=[session.pk, participant.pk])
    return reverse(name, args=[session.pk])


@pytest.mark.parametrize(("name", "method", "expected"), TABLE, ids=lambda v: str(v))
def test_status_of_every_workshop_url_for_every_role(
    name,
    method,
    expected,
    as_user,
    session,
    participant,
    learner,
    other_learner,
    trainer,
    other_trainer,
    superuser,
):
    participant.shares_answers = True
    participant.save()
    users = {
        "anonymous": None,
        "learner": other_learner,
        "participant": learner,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "superuser": superuser,
    }
    url = url_for(name, session, participant)
    got = []
    for role in ROLES:
        client = as_user(users[role])
        response = getattr(client, method)(url, {"shares": "on"} if method == "post" else {})
        got.append(response.status_code)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True)), url


def test_every_workshop_url_is_in_the_table():
    from lessons.workshops.urls import app_name, urlpatterns

    names = {f"{app_name}:{p.name}" for p in urlpatterns}
    assert names == {row[0] for row in TABLE}


def test_other_trainer_cannot_change_attendance_or_cancel(
    as_user, session, participant, other_trainer
):
    client = as_user(other_trainer)
    client.post(reverse("workshops:attendance", args=[session.pk]), {"action": "all"})
    client.post(reverse("workshops:session_cancel", args=[session.pk]))

    participant.refresh_from_db()
    session.refresh_from_db()
    assert not participant.attended
    assert session.is_open


def test_learner_cannot_create_a_session(as_user, learner, workshop_module):
    response = as_user(learner).post(
        reverse("workshops:session_create"),
        {
            "title": "Min egen",
            "material": f"module:{workshop_module.pk}",
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T12:00",
            "place": "Hemma",
            "capacity": 5,
        },
    )

    assert response.status_code == 403
    assert "Bara för utbildare" in response.content.decode()
    assert not session_titles()


def session_titles() -> list[str]:
    from lessons.workshops.models import WorkshopSession

    return list(WorkshopSession.objects.filter(title="Min egen").values_list("title", flat=True))
