"""Objects of one person tried by another, and POSTs that carry fields they should not.

Learner B tries learner A's worksheet responses, PDFs, certificate and progress by their ids
(read, change, delete); trainer Y tries everything of trainer X's session X, including the
answers A shares there. Every refused attempt must also leave the database as it was, so each
test compares full rows before and after, with on-commit work (tasks, mails) actually run.

Then mass assignment: the views' POSTs with extra fields (``user``, ``user_id``, ``owner``,
``status``, ``completed``, ``state``, ``trainer``, ``attended``, ``shares_answers``, another
person's id) must change nothing beyond what the form is for.
"""

import json
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models
from django.urls import reverse

from kompetensverkstad.accounts.models import Profile
from kompetensverkstad.pdfs.models import PdfDocument
from lessons.learning.models import LearningEvent, ModuleCompletion, StepProgress
from lessons.workshops.models import SessionParticipant, WorkshopSession
from worksheets.responses import WorksheetResponse, WorksheetSubmission

from .matrix_world import World, build_world


def extra_fields(world: World, victim: str = "learner_a") -> dict[str, str]:
    """Fields no form of the site has; the values point at somebody else or a privileged state."""
    other = str(world.user(victim).pk)
    return {
        "user": other,
        "user_id": other,
        "owner": other,
        "owner_id": other,
        "status": "submitted",
        "state": "completed",
        "completed": "1",
        "trainer": str(world.user("trainer_y").pk),
        "trainer_id": str(world.user("trainer_y").pk),
        "attended": "on",
        "shares_answers": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "join_code": "AAAAAA",
        "revision": "99",
        "verification_code": "AAAAAAAAAA",
    }


def row_of(obj: models.Model) -> dict:
    """Every stored column of the row, fresh from the database."""
    return type(obj).objects.filter(pk=obj.pk).values().get()


def table(model: type[models.Model]) -> list[dict]:
    return list(model.objects.order_by("pk").values())


@pytest.fixture
def world(db) -> World:
    built = build_world()
    # Building it mailed the moderators about the page in moderation; tests count from here.
    mail.outbox.clear()
    return built


@pytest.fixture
def as_role(client, world: World) -> Callable:
    def sign_in(role: str):
        client.logout()
        if world.user(role) is not None:
            client.force_login(world.user(role))
        return client

    return sign_in


def worksheet_post(world: World, page, values: dict[str, str] | None = None) -> dict[str, str]:
    ids = {q.block_type: q.id for q in page.questions}
    data = {
        f"q-{ids['reflection']}": "B:s eget svar.",
        f"q-{ids['scale']}": "2",
    }
    data.update(values or {})
    return data


# --- Learner B and learner A's objects ------------------------------------------------------


def test_b_cannot_read_retry_or_delete_a_pdf_or_certificate(world, as_role, run_on_commit):
    world.pdf_a.state = PdfDocument.State.FAILED
    world.pdf_a.save(update_fields=["state"])
    before = table(PdfDocument)
    completions = table(ModuleCompletion)
    client = as_role("learner_b")
    refused = []
    with run_on_commit():
        for document in (world.pdf_a, world.certificate_a):
            for method, name in [
                ("get", "pdfs:download"),
                ("get", "pdfs:status"),
                ("post", "pdfs:retry"),
                ("post", "pdfs:download"),
                ("delete", "pdfs:download"),
                ("delete", "pdfs:status"),
            ]:
                response = getattr(client, method)(reverse(name, args=[document.pk]))
                refused.append((method, name, document.kind, response.status_code))
    assert {status for *_, status in refused} <= {404, 405}, refused
    # 404 for every read: B learns nothing, not even that the id exists.
    assert all(s == 404 for m, n, _k, s in refused if m == "get"), refused
    assert table(PdfDocument) == before
    assert table(ModuleCompletion) == completions


def test_a_can_retry_own_failed_pdf_but_trainer_x_cannot(world, as_role, run_on_commit):
    """Sharing answers lets trainer X download A's PDF; nothing more (no retry, no status)."""
    world.pdf_a.state = PdfDocument.State.FAILED
    world.pdf_a.save(update_fields=["state"])
    before = row_of(world.pdf_a)
    client = as_role("trainer_x")
    assert client.get(reverse("pdfs:download", args=[world.pdf_a.pk])).status_code == 302
    assert client.get(reverse("pdfs:status", args=[world.pdf_a.pk])).status_code == 404
    assert client.post(reverse("pdfs:retry", args=[world.pdf_a.pk])).status_code == 404
    assert row_of(world.pdf_a) == before
    client = as_role("learner_a")
    with run_on_commit():
        assert client.post(reverse("pdfs:retry", args=[world.pdf_a.pk])).status_code == 302
    assert row_of(world.pdf_a)["state"] != PdfDocument.State.FAILED  # the retry did act for A


def test_b_saving_and_submitting_the_worksheet_touches_only_b_response(
    world, as_role, run_on_commit
):
    a_response = row_of(world.response_a)
    a_draft = row_of(world.draft_response_a)
    a_submissions = list(
        WorksheetSubmission.objects.filter(response__user=world.user("learner_a")).values()
    )
    client = as_role("learner_b")
    page = world.worksheet
    extras = extra_fields(world) | {
        "response": str(world.response_a.pk),
        "response_id": str(world.response_a.pk),
        "version": "7",
    }
    with run_on_commit():
        draft = client.post(page.url, worksheet_post(world, page, extras))
        autosave = client.post(
            page.url + "spara/",
            json.dumps(
                {
                    "answers": {"user": "x"},
                    "user": world.user("learner_a").pk,
                    "response": world.response_a.pk,
                    "status": "submitted",
                }
            ),
            content_type="application/json",
        )
        submitted = client.post(
            page.url, worksheet_post(world, page, extras | {"action": "submit"})
        )
        # And A's draft worksheet, which B has never opened.
        other = client.post(
            world.draft_worksheet.url, worksheet_post(world, world.draft_worksheet, extras)
        )
    assert (draft.status_code, autosave.status_code, submitted.status_code) == (302, 200, 302)
    assert other.status_code == 302
    assert row_of(world.response_a) == a_response
    assert row_of(world.draft_response_a) == a_draft
    assert (
        list(WorksheetSubmission.objects.filter(response__user=world.user("learner_a")).values())
        == a_submissions
    )
    mine = WorksheetResponse.objects.get(user=world.user("learner_b"), worksheet=page)
    assert mine.status == WorksheetResponse.Status.SUBMITTED
    assert [s.version for s in mine.submissions.all()] == [1]  # not the posted "version"
    # Only question ids are stored: "user", "status" and the like are not answers.
    question_ids = {q.id for q in page.questions}
    assert set(mine.answers) <= question_ids
    # B's PDF is B's: owned by B and made from B's response.
    pdf = PdfDocument.objects.get(kind="worksheet", source_id=mine.pk)
    assert pdf.owner_id == world.user("learner_b").pk
    assert WorksheetResponse.objects.filter(user=world.user("learner_a")).count() == 2


def test_b_marking_steps_never_touches_a_progress(world, as_role, run_on_commit):
    a_rows = list(StepProgress.objects.filter(user=world.user("learner_a")).values())
    a_events = LearningEvent.objects.filter(actor=world.user("learner_a")).count()
    client = as_role("learner_b")
    extras = extra_fields(world)
    lecture, article, worksheet = (world.steps[k] for k in ("lecture", "article", "worksheet"))
    with run_on_commit():
        done = client.post(reverse("learning:mark_step_done", args=[article.pk]), extras)
        # A worksheet is done when submitted, whatever "completed" says.
        refused = client.post(reverse("learning:mark_step_done", args=[worksheet.pk]), extras)
        watched = client.post(
            reverse("learning:lecture_progress", args=[lecture.pk]),
            json.dumps(
                {
                    "played": [[0, 5]],
                    "user": world.user("learner_a").pk,
                    "state": "completed",
                    "completed": True,
                    "watched_seconds": 9999,
                }
            ),
            content_type="application/json",
        )
    assert (done.status_code, refused.status_code, watched.status_code) == (302, 404, 200)
    assert list(StepProgress.objects.filter(user=world.user("learner_a")).values()) == a_rows
    assert LearningEvent.objects.filter(actor=world.user("learner_a")).count() == a_events
    b = {p.step_id: p for p in StepProgress.objects.filter(user=world.user("learner_b"))}
    assert b[article.pk].state == "completed"
    assert worksheet.pk not in b or b[worksheet.pk].state != "completed"
    assert (b[lecture.pk].state, b[lecture.pk].watched_seconds) == ("started", 5)
    assert not ModuleCompletion.objects.filter(user=world.user("learner_b")).exists()


def test_b_dashboard_shows_none_of_a_progress_or_certificate(world, as_role):
    certificate = reverse("pdfs:download", args=[world.certificate_a.pk])
    code = world.completion_a.verification_code
    mine = as_role("learner_a").get(reverse("learning:dashboard")).content.decode()
    assert certificate in mine and code in mine  # the markers are real: A sees them
    theirs = as_role("learner_b").get(reverse("learning:dashboard")).content.decode()
    assert certificate not in theirs and code not in theirs
    assert reverse("pdfs:download", args=[world.pdf_a.pk]) not in theirs


def test_protected_document_answers_with_the_password_form_not_the_file(world, as_role):
    url = reverse(
        "wagtaildocs_serve",
        args=[world.ids["restricted_document"], world.ids["restricted_document_filename"]],
    )
    for role in ("anonymous", "learner_a", "editor"):
        response = as_role(role).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"].startswith("text/html"), role
        assert b"%PDF" not in response.content, role
    public = reverse(
        "wagtaildocs_serve", args=[world.ids["document"], world.ids["document_filename"]]
    )
    served = as_role("anonymous").get(public)
    assert b"".join(served.streaming_content).startswith(b"%PDF")  # the check can tell


# --- Trainer Y and session X ----------------------------------------------------------------


def test_trainer_y_cannot_read_or_change_session_x(world, as_role, run_on_commit):
    session = world.session_x
    before = {
        "session": row_of(session),
        "participants": table(SessionParticipant),
        "documents": table(PdfDocument),
        "progress": table(StepProgress),
    }
    client = as_role("trainer_y")
    pk = session.pk
    reads = [
        "workshops:session_detail",
        "workshops:session_edit",
        "workshops:session_cancel",
        "workshops:facilitator",
        "workshops:attendance",
        "workshops:progress",
        "workshops:progress_export_csv",
        "workshops:progress_export_xlsx",
        "workshops:session_pack",
        "workshops:session_calendar",
        "workshops:my_session",
    ]
    answers = reverse("workshops:shared_answers", args=[pk, world.participant_a.pk])
    with run_on_commit():
        got = {name: client.get(reverse(name, args=[pk])).status_code for name in reads}
        got["shared answers"] = client.get(answers).status_code
        got["shared pdf"] = client.get(reverse("pdfs:download", args=[world.pdf_a.pk])).status_code
        form = {
            "title": "Kapad",
            "material": f"module:{world.module.pk}",
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T12:00",
            "place": "Någon annanstans",
            "capacity": "10",
        }
        got["edit POST"] = client.post(
            reverse("workshops:session_edit", args=[pk]), form
        ).status_code
        got["cancel POST"] = client.post(reverse("workshops:session_cancel", args=[pk])).status_code
        got["attendance POST"] = client.post(
            reverse("workshops:attendance", args=[pk]),
            {"action": "all", "present": [world.participant_a.pk, world.participant_b.pk]},
        ).status_code
        got["share POST"] = client.post(
            reverse("workshops:share_answers", args=[pk]), {}
        ).status_code
    assert got == dict.fromkeys(got, 404), got
    assert row_of(session) == before["session"]
    assert table(SessionParticipant) == before["participants"]
    assert table(PdfDocument) == before["documents"]  # no session pack was made for Y
    assert table(StepProgress) == before["progress"]
    assert mail.outbox == []


def test_learners_cannot_run_a_session(world, as_role, run_on_commit):
    session = world.session_x
    participants = table(SessionParticipant)
    session_row = row_of(session)
    for role in ("learner_a", "learner_b", "editor"):
        client = as_role(role)
        with run_on_commit():
            statuses = [
                client.post(
                    reverse("workshops:attendance", args=[session.pk]),
                    {"action": "all", "present": [world.participant_a.pk]},
                ).status_code,
                client.post(reverse("workshops:session_cancel", args=[session.pk])).status_code,
                client.post(
                    reverse("workshops:session_edit", args=[session.pk]), {"title": "X"}
                ).status_code,
                client.post(reverse("workshops:session_create"), {"title": "X"}).status_code,
            ]
        assert statuses == [403] * 4, (role, statuses)
    assert table(SessionParticipant) == participants
    assert row_of(session) == session_row
    assert WorkshopSession.objects.count() == 2
    assert mail.outbox == []


def test_shared_answers_stay_with_session_x_trainer(world, as_role):
    """A shares in session X: trainer X sees the answers; trainer Y, the admin, B do not."""
    url = reverse("workshops:shared_answers", args=[world.session_x.pk, world.participant_a.pk])
    answer = "Jag flyttade till Växjö 1998."
    seen = as_role("trainer_x").get(url)
    assert seen.status_code == 200 and answer in seen.content.decode()
    for role, status in [("trainer_y", 404), ("admin", 404), ("learner_b", 403)]:
        response = as_role(role).get(url)
        assert response.status_code == status, role
        assert answer not in response.content.decode()
    # Session Y's trainer cannot reach A through session Y either: A is not in it.
    foreign = reverse("workshops:shared_answers", args=[world.session_y.pk, world.participant_a.pk])
    assert as_role("trainer_y").get(foreign).status_code == 404


# --- Mass assignment ------------------------------------------------------------------------


def test_profile_edit_changes_only_own_name_municipality_and_title(world, as_role):
    a, b = world.user("learner_a"), world.user("learner_b")
    b_user = get_user_model().objects.filter(pk=b.pk).values().get()
    b_profile = row_of(b.profile)
    data = {
        "first_name": "Amina",
        "last_name": "Ny",
        "municipality": str(world.ids["municipality"]),
        "job_title": "Samordnare",
        **extra_fields(world, victim="learner_b"),
        "username": "kapad",
        "email": "kapad@example.org",
        "groups": "1",
        "password": "x",
        "last_login": "2000-01-01",
    }
    response = as_role("learner_a").post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=a.pk)
    assert (user.first_name, user.last_name) == ("Amina", "Ny")
    assert (user.username, user.is_staff, user.is_superuser) == ("larande-a", False, False)
    assert user.email != "kapad@example.org"
    assert not user.groups.exists()
    assert Profile.objects.get(user=a).job_title == "Samordnare"
    assert Profile.objects.filter(user=a).count() == 1
    assert get_user_model().objects.filter(pk=b.pk).values().get() == b_user
    assert row_of(b.profile) == b_profile


def session_form(world: World, **overrides) -> dict[str, str]:
    form = {
        "title": "Ny workshop",
        "material": f"module:{world.module.pk}",
        "starts_at": "2030-03-12T09:00",
        "ends_at": "2030-03-12T12:00",
        "place": "Stadshuset",
        "capacity": "12",
        **extra_fields(world),
        "status": "cancelled",
    }
    form.update(overrides)
    return form


def test_trainer_cannot_assign_session_to_another_trainer_or_set_its_state(world, as_role):
    client = as_role("trainer_x")
    response = client.post(reverse("workshops:session_create"), session_form(world))
    assert response.status_code == 302
    created = WorkshopSession.objects.get(title="Ny workshop")
    assert created.trainer_id == world.user("trainer_x").pk
    assert created.status == WorkshopSession.Status.OPEN
    assert created.join_code != "AAAAAA" and created.revision == 0
    session = world.session_x
    code = session.join_code
    response = client.post(
        reverse("workshops:session_edit", args=[session.pk]), session_form(world, title="Ändrad")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Ändrad"
    assert session.trainer_id == world.user("trainer_x").pk
    assert (session.status, session.join_code, session.revision) == ("open", code, 1)
    assert not SessionParticipant.objects.filter(session=session, attended=True).exists()


def test_joining_with_extra_fields_gives_a_plain_seat_to_the_poster_only(world, as_role):
    session = world.session_y
    client = as_role("learner_a")
    before_b = table(SessionParticipant)
    data = {"code": session.join_code, **extra_fields(world, victim="learner_b")}
    data["session"] = str(world.session_x.pk)
    response = client.post(reverse("workshops:join"), data)
    assert response.status_code == 302
    seat = SessionParticipant.objects.get(session=session, user=world.user("learner_a"))
    assert (seat.attended, seat.shares_answers) == (False, False)
    # Nothing else changed: B's seats, A's seat in X.
    others = [r for r in table(SessionParticipant) if r["id"] != seat.pk]
    assert others == before_b
    response = client.post(
        reverse("workshops:join_code", args=[session.join_code]), data
    )  # joining again through the link keeps the one plain seat
    assert response.status_code == 302
    assert row_of(seat)["attended"] is False


def test_share_toggle_changes_only_the_posters_own_seat(world, as_role):
    a_seat, b_seat = world.participant_a, world.participant_b
    a_before = row_of(a_seat)
    data = {
        "shares": "on",
        **extra_fields(world),
        "participant": str(a_seat.pk),
        "participant_id": str(a_seat.pk),
    }
    response = as_role("learner_b").post(
        reverse("workshops:share_answers", args=[a_seat.session_id]), data
    )
    assert response.status_code == 302
    assert row_of(b_seat)["shares_answers"] is True
    assert row_of(b_seat)["attended"] is False
    assert row_of(a_seat) == a_before
    # A turns sharing off with B's ids in the form: only A's seat changes.
    b_before = row_of(b_seat)
    data = {**extra_fields(world, victim="learner_b"), "participant": str(b_seat.pk)}
    data.pop("shares_answers")
    response = as_role("learner_a").post(
        reverse("workshops:share_answers", args=[a_seat.session_id]), data
    )
    assert response.status_code == 302
    assert row_of(a_seat)["shares_answers"] is False
    assert row_of(b_seat) == b_before
    # A has no seat in session Y: sharing there is a 404, and creates no seat.
    response = as_role("learner_a").post(
        reverse("workshops:share_answers", args=[world.session_y.pk]), {"shares": "on"}
    )
    assert response.status_code == 404
    assert not SessionParticipant.objects.filter(
        session=world.session_y, user=world.user("learner_a")
    ).exists()


def test_attendance_marks_only_this_sessions_participants(world, as_role, run_on_commit):
    """Trainer X posts A's seat plus B's seat in session Y: only A (in X) is marked."""
    b_in_y = SessionParticipant.objects.get(session=world.session_y, user=world.user("learner_b"))
    b_in_y_before = row_of(b_in_y)
    with run_on_commit():
        response = as_role("trainer_x").post(
            reverse("workshops:attendance", args=[world.session_x.pk]),
            {
                "present": [str(world.participant_a.pk), str(b_in_y.pk), "x", "-1"],
                **extra_fields(world, victim="learner_b"),
            },
        )
    assert response.status_code == 302
    assert row_of(world.participant_a)["attended"] is True
    assert row_of(world.participant_b)["attended"] is False
    assert row_of(b_in_y) == b_in_y_before
    workshop_step = world.steps["workshop"]
    done = set(
        StepProgress.objects.filter(step=workshop_step, state="completed").values_list(
            "user_id", flat=True
        )
    )
    assert done == {world.user("learner_a").pk}
    event = LearningEvent.objects.get(verb=LearningEvent.Verb.ATTENDED)
    assert event.context["marked_by"] == world.user("trainer_x").pk


def test_retry_with_extra_fields_keeps_owner_and_kind(world, as_role, run_on_commit):
    world.pdf_a.state = PdfDocument.State.FAILED
    world.pdf_a.save(update_fields=["state"])
    data = {
        **extra_fields(world, victim="learner_b"),
        "kind": "certificate",
        "source_id": "1",
        "next": "https://example.org/",
    }
    with run_on_commit():
        response = as_role("learner_a").post(reverse("pdfs:retry", args=[world.pdf_a.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")  # not the foreign "next"
    after = row_of(world.pdf_a)
    assert after["owner_id"] == world.user("learner_a").pk
    assert (after["kind"], after["source_id"]) == (world.pdf_a.kind, world.pdf_a.source_id)


def test_no_url_edits_or_deletes_learner_records_directly():
    """Responses, PDFs, completions and progress have no edit or delete route anywhere
    (not as snippets or admin viewsets): they change only through the views tested above."""
    from .test_access_matrix import walk

    private = (
        "worksheetresponse",
        "worksheetsubmission",
        "pdfdocument",
        "modulecompletion",
        "stepprogress",
        "learningevent",
        "sessionparticipant",
        "workshopsession",
    )
    routes = [p.route.lower() + " " + (p.name or "").lower() for p in walk()]
    exposed = [r for r in routes if any(m in r for m in private)]
    assert exposed == []
