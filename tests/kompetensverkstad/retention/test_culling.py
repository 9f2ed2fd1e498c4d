"""Retention by decision: each kind is culled at its period's limit and not a day before, in
batches that are safe to repeat; the dry run and the admin's preview delete nothing; every run
leaves a count per kind, never what the rows held.

Time is given, not frozen: the culling takes ``now`` as an argument, and the rows are dated
relative to it.
"""

import dataclasses
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from kompetensverkstad.pdfs.models import PdfDocument, private_storage
from kompetensverkstad.privacy.access.models import AccessLogEntry
from kompetensverkstad.privacy.models import FileDeletion
from kompetensverkstad.privacy.retention import kinds
from kompetensverkstad.privacy.retention.culling import cull, preview
from kompetensverkstad.privacy.retention.models import RetentionRun, RetentionSettings
from kompetensverkstad.privacy.retention.tasks import cull_expired_data
from lessons.learning.models import LearningEvent
from lessons.workshops.models import SessionParticipant
from tests import factories
from worksheets.answering import submit
from worksheets.responses import WorksheetResponse

NOW = timezone.now().replace(microsecond=0)
DAY = timedelta(days=1)


@pytest.fixture
def world(learner, trainer, workshop_module):
    worksheet = workshop_module.steps.get(kind="worksheet").page.specific
    return {
        "learner": learner,
        "trainer": trainer,
        "worksheet": worksheet,
        "module": workshop_module,
    }


def _response(world, when, submitted: bool) -> WorksheetResponse:
    user = factories.UserFactory()
    response = WorksheetResponse.objects.create(
        user=user,
        worksheet=world["worksheet"],
        answers={"q": "svar"},
        submitted_at=when if submitted else None,
    )
    WorksheetResponse.objects.filter(pk=response.pk).update(updated_at=when)
    return response


def _event(world, when):
    return LearningEvent.objects.create(
        actor=world["learner"], verb="read", object_type="step", object_id=1, timestamp=when
    )


def _account(world, when):
    return factories.UserFactory(last_login=when)


def _attendance(world, when):
    session = factories.make_session(
        world["trainer"], module=world["module"], starts_at=when - timedelta(hours=3), ends_at=when
    )
    return SessionParticipant.objects.create(
        session=session, user=factories.UserFactory(), attended=True, attended_at=when
    )


def _access(world, when):
    entry = AccessLogEntry.objects.create(
        actor=world["trainer"], subject=world["learner"], what="document"
    )
    AccessLogEntry.objects.filter(pk=entry.pk).update(at=when)
    return entry


BUILDERS = {
    "worksheet_answers": lambda w, when: _response(w, when, submitted=True),
    "worksheet_drafts": lambda w, when: _response(w, when, submitted=False),
    "learning_events": _event,
    "inactive_accounts": _account,
    "workshop_attendance": _attendance,
    "access_log": _access,
}


def _exists(row) -> bool:
    return type(row)._default_manager.filter(pk=row.pk).exists()


def test_every_kind_has_a_setting_and_every_setting_a_kind():
    fields = {f.name for f in RetentionSettings._meta.get_fields() if f.name.endswith("_days")}
    assert {k.setting_field for k in kinds.all_kinds()} == fields
    assert set(BUILDERS) == {k.name for k in kinds.all_kinds()}


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_kind_is_culled_at_its_limit_and_not_a_day_before(world, kind):
    days = getattr(RetentionSettings.load(), f"{kind}_days")
    assert days > 0
    at_limit = BUILDERS[kind](world, NOW - days * DAY)
    a_day_younger = BUILDERS[kind](world, NOW - (days - 1) * DAY)

    runs = {run.kind: run for run in cull(now=NOW)}

    assert not _exists(at_limit)
    assert _exists(a_day_younger)
    assert runs[kind].deleted == 1 and runs[kind].complete
    assert runs[kind].period_days == days and runs[kind].cutoff == NOW - days * DAY

    # A day later the younger row has reached the limit too.
    cull(now=NOW + DAY)
    assert not _exists(a_day_younger)


def test_learners_not_culled_are_untouched(world):
    """The accounts kind never takes administrators, nor anyone seen within the period."""
    days = RetentionSettings.load().inactive_accounts_days
    admin = factories.UserFactory(is_superuser=True, is_staff=True, last_login=NOW - 9000 * DAY)
    recent = factories.UserFactory(last_login=NOW - DAY)
    cull(now=NOW)
    assert _exists(admin) and _exists(recent)
    # The fixtures' people were created just now: not inactive for ``days`` yet.
    assert get_user_model().objects.filter(pk=world["learner"].pk).exists() and days > 1


def test_a_period_of_zero_keeps_everything(world):
    settings = RetentionSettings.load()
    settings.learning_events_days = 0
    settings.save()
    event = _event(world, NOW - 10_000 * DAY)
    runs = cull(now=NOW)
    assert _exists(event)
    assert "learning_events" not in {run.kind for run in runs}


def test_culled_answers_take_their_submissions_and_pdf_files_along(
    learner, workshop_module, run_on_commit
):
    worksheet = workshop_module.steps.get(kind="worksheet").page.specific
    ids = {q.block_type: q.id for q in worksheet.questions}
    with run_on_commit():
        response, submission, cleaned = submit(
            learner, worksheet, {ids["reflection"]: "Mitt svar", ids["scale"]: "3"}
        )
    assert submission is not None, cleaned.errors
    document = PdfDocument.objects.get(kind="worksheet", source_id=response.pk)
    assert document.is_ready
    name = document.file.name
    assert private_storage().exists(name)
    days = RetentionSettings.load().worksheet_answers_days
    WorksheetResponse.objects.filter(pk=response.pk).update(updated_at=NOW - days * DAY)

    with run_on_commit():
        cull(now=NOW)

    assert not WorksheetResponse.objects.filter(pk=response.pk).exists()
    assert not PdfDocument.objects.filter(pk=document.pk).exists()
    assert not private_storage().exists(name)
    assert not FileDeletion.objects.exists()  # done after commit, nothing left for the sweep


def test_running_twice_culls_nothing_more_and_logs_counts_per_kind(world):
    for kind, build in BUILDERS.items():
        days = getattr(RetentionSettings.load(), f"{kind}_days")
        build(world, NOW - (days + 5) * DAY)

    first = {run.kind: run.deleted for run in cull(now=NOW)}
    second = {run.kind: run.deleted for run in cull(now=NOW)}

    assert first == dict.fromkeys(BUILDERS, 1)
    assert second == dict.fromkeys(BUILDERS, 0)
    assert RetentionRun.objects.count() == 2 * len(BUILDERS)
    # A count and dates, nothing of what the rows held.
    assert {f.name for f in RetentionRun._meta.get_fields()} == {
        "id",
        "kind",
        "started_at",
        "finished_at",
        "period_days",
        "cutoff",
        "deleted",
        "complete",
    }


def test_batches_stop_at_the_limit_and_the_next_run_goes_on(world, monkeypatch):
    small = dataclasses.replace(kinds.get("access_log"), batch_size=2)
    monkeypatch.setitem(kinds._KINDS, "access_log", small)
    days = RetentionSettings.load().access_log_days
    for _ in range(5):
        _access(world, NOW - (days + 1) * DAY)

    run = {r.kind: r for r in cull(now=NOW, max_batches=2)}["access_log"]
    assert (run.deleted, run.complete) == (4, False)
    run = {r.kind: r for r in cull(now=NOW, max_batches=2)}["access_log"]
    assert (run.deleted, run.complete) == (1, True)
    assert not AccessLogEntry.objects.exists()


def _table_counts() -> dict[str, int]:
    return {k.name: k.queryset().model._default_manager.count() for k in kinds.all_kinds()}


def test_dry_run_counts_what_would_go_and_deletes_nothing(world):
    for kind, build in BUILDERS.items():
        days = getattr(RetentionSettings.load(), f"{kind}_days")
        build(world, NOW - (days + 1) * DAY)
        build(world, NOW - (days - 1) * DAY)
    before = _table_counts()

    counts = {item.plan.kind.name: item.count for item in preview(now=NOW)}
    assert counts == dict.fromkeys(BUILDERS, 1)

    out = StringIO()
    call_command("cull_expired_data", "--dry-run", stdout=out)
    assert "Lärhändelser: 1 skulle tas bort" in out.getvalue()
    assert _table_counts() == before
    assert not RetentionRun.objects.exists()


def test_the_task_culls_and_beat_runs_it_nightly(world):
    entry = django_settings.CELERY_BEAT_SCHEDULE["cull-expired-data"]
    assert entry["task"] == cull_expired_data.name
    assert cull_expired_data.soft_time_limit and cull_expired_data.time_limit
    old = _access(world, timezone.now() - 10_000 * DAY)
    assert cull_expired_data.delay() is not None
    assert not _exists(old)


def test_an_inactive_trainer_who_still_leads_sessions_is_skipped(world):
    days = RetentionSettings.load().inactive_accounts_days
    trainer = world["trainer"]
    factories.make_session(trainer, module=world["module"])
    get_user_model().objects.filter(pk=trainer.pk).update(last_login=NOW - (days + 1) * DAY)
    gone = _account(world, NOW - (days + 1) * DAY)

    run = {r.kind: r for r in cull(now=NOW)}["inactive_accounts"]

    assert _exists(trainer) and not _exists(gone)
    assert (run.deleted, run.complete) == (1, False)


def test_the_command_culls_and_says_how_many_went(world):
    old = _access(world, timezone.now() - 10_000 * DAY)
    out = StringIO()
    call_command("cull_expired_data", stdout=out)
    assert "Åtkomstloggen: 1 borttagna" in out.getvalue()
    assert not _exists(old)


def test_a_kind_that_fails_leaves_the_others_to_run(world, monkeypatch):
    def broken(batch):
        raise RuntimeError("storage away")

    monkeypatch.setitem(
        kinds._KINDS,
        "learning_events",
        dataclasses.replace(kinds.get("learning_events"), delete=broken),
    )
    event = _event(world, NOW - 10_000 * DAY)
    entry = _access(world, NOW - 10_000 * DAY)

    runs = {run.kind: run for run in cull(now=NOW)}

    assert _exists(event) and not _exists(entry)
    assert "learning_events" not in runs
    failed = RetentionRun.objects.get(kind="learning_events")
    assert (failed.deleted, failed.complete) == (0, False)
