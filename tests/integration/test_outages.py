"""Outages with the real worker on Redis: stopped, flushed, a task delivered twice at once.

Each test owns a redis-server (``private_redis``) that it stops, restarts and flushes; the
shared Redis is never touched. The database is the record of the work, so after each outage the
sweep, sent to the worker as beat sends it, must produce every PDF and every completion exactly
once. A worker killed mid-render is covered by
``test_worksheet_pdfs.test_worker_killed_mid_render_is_rendered_again_once``; a task delivered
twice one after the other by
``test_worker.test_the_same_tasks_delivered_twice_give_one_completion_and_one_file``.
"""

import base64
import json
import logging
import statistics
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from kompetensverkstad.jobs.tasks import sweep_pending_work
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import render_pdf
from lessons.learning.completion import evaluate_completion
from lessons.learning.models import (
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    StepProgress,
    StepState,
)
from lessons.learning.recording import record_step_completed
from lessons.learning.tasks import evaluate_module_completion
from lessons.workshops.cancelling import cancel_session
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories
from tests.factories import Kind, steps_of
from worksheets.responses import WorksheetResponse, WorksheetSubmission

from .conftest import (
    OUTAGE_FIGURES,
    committed_db,
    needs_private_redis,
    running_worker,
    wait_for,
)

pytestmark = [committed_db, needs_private_redis]

LEARNERS = 4
# A request this slow is hung, not slow: refused connections fail in well under a second.
HANG_GUARD = 10.0
# A Redis that never answers costs each enqueue and cache call its socket timeouts (2 s each,
# settings/base.py), not forever.
HUNG_GUARD = 60.0
# Each learner's path queues one worksheet PDF and one completion evaluation: its three steps
# join the one waiting completion check (recording coalesces them; the row is the request).
SENDS_PER_LEARNER = 2


@pytest.fixture
def learners(db):
    return [
        factories.UserFactory(
            username=f"deltagare{n}",
            first_name=f"Förnamn{n}",
            last_name="Avbrottsson",
            email=f"deltagare{n}@example.org",
        )
        for n in range(LEARNERS)
    ]


class Timed:
    """A test client whose every request is timed and checked against the hang guard."""

    def __init__(self, client, guard: float = HANG_GUARD) -> None:
        self.client = client
        self.guard = guard
        self.seconds: list[float] = []

    def post(self, url: str, data=None, **extra):
        """POST in a thread of its own, so a request that hangs fails the test, not stalls it."""
        result: list = []

        def request() -> None:
            try:
                result.append(self.client.post(url, data, **extra))
            except BaseException as exc:  # re-raised in the test's thread
                result.append(exc)
            finally:
                connections.close_all()

        started = time.monotonic()
        thread = threading.Thread(target=request, daemon=True)
        thread.start()
        thread.join(self.guard)
        took = time.monotonic() - started
        assert not thread.is_alive(), f"POST {url} still hanging after {took:.0f} s"
        self.seconds.append(took)
        if isinstance(result[0], BaseException):
            raise result[0]
        return result[0]


def worksheet_of(module):
    return next(s for s in steps_of(module) if s.kind == Kind.WORKSHEET).page.specific


def question_ids(page) -> dict[str, str]:
    return {b.block_type: b.id for b in page.questions}


def learner_path(timed: Timed, user, module, text: str) -> None:
    """Autosave a draft, submit the worksheet, mark the lecture and the article done."""
    timed.client.force_login(user)
    page = worksheet_of(module)
    ids = question_ids(page)
    response = timed.post(
        page.url + "spara/",
        json.dumps({"answers": {ids["reflection"]: f"Utkast: {text}", ids["scale"]: "2"}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    response = timed.post(
        page.url,
        {"action": "submit", f"q-{ids['reflection']}": text, f"q-{ids['scale']}": "4"},
    )
    assert response.status_code == 302
    for step in steps_of(module):
        if step.kind in (Kind.LECTURE, Kind.ARTICLE):
            response = timed.post(
                reverse("learning:mark_step_done", args=[step.pk]), {"next": "/mina-sidor/"}
            )
            assert response.status_code == 302
            assert response.url == "/mina-sidor/"


def assert_all_work_recorded(users, module) -> None:
    """Every row of every learner's work is in the database, waiting for the worker."""
    page = worksheet_of(module)
    for user in users:
        response = WorksheetResponse.objects.get(user=user, worksheet=page)
        assert response.status == WorksheetResponse.Status.SUBMITTED
        assert WorksheetSubmission.objects.filter(response=response).count() == 1
        document = PdfDocument.objects.get(kind="worksheet", source_id=response.pk)
        assert document.state == PdfDocument.State.QUEUED
        states = StepProgress.objects.filter(user=user, step__module=module).values_list(
            "state", flat=True
        )
        assert sorted(states) == [StepState.COMPLETED] * 3
        assert CompletionCheck.objects.filter(user=user, module=module).exists()
    assert not ModuleCompletion.objects.exists()


def files_of(document: PdfDocument) -> list[Path]:
    """The PDFs in the document's own folder (storage suffixes a name taken twice).

    Each test run has a files folder of its own (settings/test.py), so any second file here is
    a second render of this document.
    """
    path = Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name
    stem = path.stem.split("_")[0]
    return [p for p in path.parent.glob("*.pdf") if p.stem.split("_")[0] == stem]


def all_done(users, module) -> bool:
    documents = PdfDocument.objects.filter(owner__in=users)
    return (
        ModuleCompletion.objects.filter(module=module).count() == len(users)
        and documents.count() == 2 * len(users)
        and not documents.exclude(state=PdfDocument.State.READY).exists()
        and not CompletionCheck.objects.exists()
    )


def assert_everything_exactly_once(users, module, task_log, mailoutbox) -> None:
    """One completion, one certificate, one worksheet PDF per learner; each rendered once."""
    for user in users:
        assert ModuleCompletion.objects.filter(user=user, module=module).count() == 1
        assert (
            LearningEvent.objects.filter(
                actor=user, object_type="module", object_id=module.pk
            ).count()
            == 1
        )
        for kind in ("worksheet", "certificate"):
            document = PdfDocument.objects.get(owner=user, kind=kind)
            assert document.state == PdfDocument.State.READY
            assert len(files_of(document)) == 1, files_of(document)
    documents = PdfDocument.objects.filter(owner__in=users)
    assert documents.count() == 2 * len(users)
    renders = [
        entry["args"][0]
        for entry in task_log
        if entry["name"] == render_pdf.name and entry["retval"] == PdfDocument.State.READY
    ]
    assert sorted(renders) == sorted(documents.values_list("pk", flat=True))
    certificate_mails = [m for m in mailoutbox if m.subject.startswith("Ditt intyg")]
    assert sorted(m.to[0] for m in certificate_mails) == sorted(u.email for u in users)


def sweep_and_wait(users, module) -> float:
    """Send the sweep as beat does; the seconds until every piece of work is done."""
    started = time.monotonic()
    sweep_pending_work.delay(min_age_seconds=0)
    wait_for(lambda: all_done(users, module), timeout=180, what="the sweep to catch up")
    return time.monotonic() - started


def queued_messages(private_redis) -> list[dict]:
    client = private_redis.client()
    return [json.loads(raw) for raw in client.lrange("celery", 0, -1)]


def test_redis_stopped_every_request_succeeds_and_the_sweep_does_everything_once(
    client, module, learners, private_redis, task_log, mailoutbox, caplog
):
    timed = Timed(client)
    drafter = factories.UserFactory(first_name="Bara", last_name="Utkast")
    private_redis.stop()

    with caplog.at_level(logging.WARNING, logger="kompetensverkstad.jobs.queue"):
        for n, user in enumerate(learners):
            learner_path(timed, user, module, f"Svar nummer {n} medan Redis är borta.")
        # A learner who only saves: the plain form's "spara" as well as the autosave.
        timed.client.force_login(drafter)
        page = worksheet_of(module)
        ids = question_ids(page)
        response = timed.post(page.url, {"action": "save", f"q-{ids['reflection']}": "Ett utkast"})
        assert response.status_code == 302

    left = [r for r in caplog.records if "left for the sweep" in r.getMessage()]
    assert len(left) == SENDS_PER_LEARNER * LEARNERS
    assert_all_work_recorded(learners, module)
    draft = WorksheetResponse.objects.get(user=drafter, worksheet=page)
    assert draft.status == WorksheetResponse.Status.DRAFT
    assert draft.answers[ids["reflection"]]["value"] == "Ett utkast"
    OUTAGE_FIGURES[f"Redis stopped: {len(timed.seconds)} requests, median / max"] = (
        f"{statistics.median(timed.seconds):.3f} s / {max(timed.seconds):.3f} s"
    )

    private_redis.start()  # back on the same port, empty
    with running_worker():
        took = sweep_and_wait(learners, module)
        time.sleep(1)  # a late duplicate would render or mail now
    OUTAGE_FIGURES[f"Redis stopped: sweep catch-up, {LEARNERS} learners × 2 PDFs"] = f"{took:.1f} s"
    assert_everything_exactly_once(learners, module, task_log, mailoutbox)


def test_redis_hung_every_request_still_answers_and_the_sweep_catches_up(
    client, module, learners, private_redis, task_log, mailoutbox
):
    """A Redis that accepts connections and never answers (paused, swapping, half-dead host)."""
    timed = Timed(client, guard=HUNG_GUARD)
    private_redis.pause()
    try:
        learner_path(timed, learners[0], module, "Svar medan Redis hänger.")
    finally:
        private_redis.resume()
    assert_all_work_recorded(learners[:1], module)
    OUTAGE_FIGURES[f"Redis hung (SIGSTOP): {len(timed.seconds)} requests, median / max"] = (
        f"{statistics.median(timed.seconds):.1f} s / {max(timed.seconds):.1f} s"
    )
    with running_worker():
        sweep_and_wait(learners[:1], module)
        time.sleep(1)
    assert_everything_exactly_once(learners[:1], module, task_log, mailoutbox)


# No worker reads the database here, so the test's own transaction does: each request's
# on-commit sends run at the end of its block, as they would when the request commits.
@pytest.mark.django_db
def test_after_redis_returns_the_web_process_enqueues_again_by_itself(
    client, module, learners, private_redis, run_on_commit
):
    user = learners[0]
    client.force_login(user)
    private_redis.stop()
    lecture = steps_of(module)[0]
    with run_on_commit():
        response = client.post(reverse("learning:mark_step_done", args=[lecture.pk]))
    assert response.status_code == 302

    private_redis.start()
    # The first learner's next step joins their waiting check (the sweep sends that one); the
    # next send is another learner's first step.
    other = learners[1]
    client.force_login(other)
    article = steps_of(module)[1]
    with run_on_commit():
        response = client.post(reverse("learning:mark_step_done", args=[article.pk]))
    assert response.status_code == 302

    # No restart of the web process: its connection pool reconnects on the next send.
    messages = queued_messages(private_redis)
    assert [m["headers"]["task"] for m in messages] == [evaluate_module_completion.name]
    assert messages[0]["headers"]["argsrepr"] == repr((other.pk, module.pk))
    assert CompletionCheck.objects.filter(user=user, module=module).exists()


def test_redis_flushed_with_work_queued_the_sweep_rebuilds_it_once(
    client, module, learners, private_redis, task_log, mailoutbox
):
    timed = Timed(client)
    for n, user in enumerate(learners):
        learner_path(timed, user, module, f"Svar nummer {n} som väntar i kön.")
    assert len(queued_messages(private_redis)) == SENDS_PER_LEARNER * LEARNERS

    private_redis.client().flushall()
    assert private_redis.client().dbsize() == 0
    assert_all_work_recorded(learners, module)

    with running_worker():
        took = sweep_and_wait(learners, module)
        time.sleep(1)
    OUTAGE_FIGURES[f"FLUSHALL: sweep catch-up, {LEARNERS} learners × 2 PDFs"] = f"{took:.1f} s"
    assert_everything_exactly_once(learners, module, task_log, mailoutbox)


def test_redis_flushed_under_a_running_worker_loses_nothing(
    client, module, learners, private_redis, task_log, mailoutbox
):
    """FLUSHALL also drops kombu's queue bindings while the worker and web process run on."""
    timed = Timed(client)
    with running_worker():
        learner_path(timed, learners[0], module, "Före tömningen.")
        wait_for(lambda: all_done(learners[:1], module), timeout=120, what="the first learner")
        private_redis.client().flushall()
        for n, user in enumerate(learners[1:]):
            learner_path(timed, user, module, f"Efter tömningen {n}.")
        took = sweep_and_wait(learners, module)
        time.sleep(1)
    OUTAGE_FIGURES["FLUSHALL under a running worker: sweep catch-up"] = f"{took:.1f} s"
    assert_everything_exactly_once(learners, module, task_log, mailoutbox)


# --- The same task delivered concurrently ---------------------------------------------------


def overlapping(entries: list[dict]) -> bool:
    first, second = sorted(entries, key=lambda e: e["started"])[:2]
    return second["started"] < first["finished"]


def test_the_same_render_delivered_concurrently_makes_one_file(
    client, home, private_redis, task_log
):
    # Long answers make the render take seconds, so both deliveries are running at once.
    questions = [
        factories.block(
            "reflection",
            {"prompt": f"Fråga {n}", "help_text": "", "required": False, "max_length": 20000},
        )
        for n in range(6)
    ]
    parent = factories.ModulePageFactory(parent=home, title="Lång modul")
    page = factories.WorksheetPageFactory(
        parent=parent, title=f"Samtidigt {uuid.uuid4().hex[:8]}", questions=questions
    )
    learner = factories.UserFactory(first_name="Samtidig", last_name="Leverans")
    client.force_login(learner)
    answer = "Ett långt svar om att komma fram. " * 300
    response = client.post(
        page.url, {"action": "submit", **{f"q-{b.id}": answer for b in page.questions}}
    )
    assert response.status_code == 302
    document = PdfDocument.objects.get(owner=learner)
    render_pdf.delay(document.pk)  # the duplicate: a redelivery, or the sweep racing it
    assert len(queued_messages(private_redis)) == 2

    # Both messages wait before the worker starts; two slots take one each at once.
    with running_worker(concurrency=2):
        wait_for(
            lambda: len([e for e in task_log if e["name"] == render_pdf.name]) == 2,
            timeout=120,
            what="both deliveries",
        )
    renders = [e for e in task_log if e["name"] == render_pdf.name]
    assert overlapping(renders), "the two deliveries did not run at the same time"
    results = [str(e["retval"]) for e in renders]
    # One renders; the other finds it being rendered ("busy") or already done ("skipped").
    assert sorted(results) in (["busy", "ready"], ["ready", "skipped"]), results
    document.refresh_from_db()
    assert document.state == PdfDocument.State.READY
    # An attempt is a render begun: the duplicate that found the row busy is none.
    assert document.attempts == 1
    assert PdfDocument.objects.filter(owner=learner).count() == 1
    assert len(files_of(document)) == 1
    OUTAGE_FIGURES["render_pdf ×2 at once: results"] = ", ".join(results)


def test_the_same_evaluation_delivered_concurrently_gives_one_completion(
    module, learners, private_redis, task_log, mailoutbox
):
    user = learners[0]
    # Recorded with no worker running: one evaluation waits (the three steps coalesce into
    # one check); eight more duplicates join it.
    for step in steps_of(module):
        record_step_completed(user, step)
    for _ in range(8):
        evaluate_module_completion.delay(user.pk, module.pk)
    assert len(queued_messages(private_redis)) == 9

    with running_worker(concurrency=2):
        wait_for(
            lambda: PdfDocument.objects.filter(owner=user, state="ready").exists(),
            timeout=120,
            what="the certificate",
        )
        wait_for(
            lambda: sum(e["name"] == evaluate_module_completion.name for e in task_log) == 9,
            what="all nine evaluations",
        )
        wait_for(lambda: mailoutbox, what="the mail")
        time.sleep(1)

    evaluations = [e for e in task_log if e["name"] == evaluate_module_completion.name]
    completion = ModuleCompletion.objects.get(user=user, module=module)
    assert {e["retval"] for e in evaluations} <= {completion.pk, None}
    assert PdfDocument.objects.filter(kind="certificate").count() == 1
    assert len(files_of(completion.certificate)) == 1
    assert len(mailoutbox) == 1
    pairs = sum(
        overlapping([a, b]) for i, a in enumerate(evaluations) for b in evaluations[i + 1 :]
    )
    OUTAGE_FIGURES["evaluate_module_completion ×9, concurrency 2: overlapping pairs"] = str(pairs)


# --- What the broker holds --------------------------------------------------------------------


def everything_in_redis(client) -> list[bytes]:
    """Every key and every value in the Redis database; message bodies decoded from base64."""
    found: list[bytes] = []
    for key in client.scan_iter(count=1000):
        found.append(key)
        kind = client.type(key)
        if kind == b"string":
            found.append(client.get(key))
        elif kind == b"list":
            found.extend(client.lrange(key, 0, -1))
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                found.extend([field, value])
        elif kind == b"set":
            found.extend(client.smembers(key))
        elif kind == b"zset":
            found.extend(client.zrange(key, 0, -1))
    decoded = []
    for value in found:
        try:
            message = json.loads(value)
        except (ValueError, UnicodeDecodeError):
            continue
        # kombu stores [message, exchange, routing key] in its unacked hash; lists otherwise.
        for candidate in message if isinstance(message, list) else [message]:
            if isinstance(candidate, dict) and "body" in candidate:
                decoded.append(base64.b64decode(candidate["body"]))
    return found + decoded


def test_broker_messages_hold_ids_only(client, module, private_redis, trainer_user, mailoutbox):
    marker = f"HEMLIGT-SVAR-{uuid.uuid4().hex}"
    learner = factories.UserFactory(
        username=f"namn-{uuid.uuid4().hex[:8]}",
        first_name="Unikanamn",
        last_name=f"Efternamn{uuid.uuid4().hex[:6]}",
        email=f"unik-{uuid.uuid4().hex[:8]}@example.org",
    )
    client.force_login(learner)
    learner_path(Timed(client), learner, module, marker)
    # A cancelled workshop with this learner in it: the cancellation mails wait on the broker.
    session = WorkshopSession.objects.create(
        trainer=trainer_user,
        module=module,
        title="Vi blir fler – Växjö",
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=3),
        place="Stadshuset",
        capacity=5,
    )
    SessionParticipant.objects.create(session=session, user=learner)
    assert cancel_session(session)
    # The certificate's render and its "ready" mail, as the worker would send them.
    completion = evaluate_completion(learner.pk, module.pk)
    completion.refresh_from_db()
    assert render_pdf(completion.certificate_id) == PdfDocument.State.READY
    sweep_pending_work.delay(min_age_seconds=0)

    redis_client = private_redis.client()
    tasks = {m["headers"]["task"] for m in queued_messages(private_redis)}
    assert tasks == {
        render_pdf.name,
        evaluate_module_completion.name,
        "lessons.workshops.tasks.send_workshop_cancellation",
        "kompetensverkstad.pdfs.tasks.notify_ready",
        sweep_pending_work.name,
    }
    contents = everything_in_redis(redis_client)
    assert len(contents) > len(tasks)
    secrets = [
        marker,
        learner.username,
        learner.first_name,
        learner.last_name,
        learner.email,
        learner.get_full_name(),
    ]
    for value in contents:
        for secret in secrets:
            assert secret.encode() not in value, f"{secret!r} found in Redis: {value[:200]!r}"
    for message in queued_messages(private_redis):
        args = json.loads(base64.b64decode(message["body"]))[0]
        assert all(isinstance(a, int) for a in args), message["headers"]["argsrepr"]


@pytest.fixture
def trainer_user(db):
    return factories.UserFactory(first_name="Tove", last_name="Utbildare")
