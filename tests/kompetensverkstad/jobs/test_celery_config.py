"""Celery is configured as DESIGN.md's reliability rules require; no broker or worker needed.

Every task of the project is declared in ``TASKS`` below: a new task fails here until someone
has decided whether it is idempotent (late acks, redelivered after a lost worker) and how it
retries.
"""

import inspect
from dataclasses import dataclass

import pytest
from django.conf import settings

from kompetensverkstad.celery import app
from kompetensverkstad.pdfs.tasks import MAX_ATTEMPTS, render_pdf

PROJECT_PACKAGES = ("kompetensverkstad.", "lessons.", "worksheets.")


@dataclass(frozen=True)
class Declared:
    # Computed from the database and written under unique constraints: safe to run twice.
    idempotent: bool
    # "auto": autoretry_for with backoff; "manual": self.retry(countdown=…); None: no retries.
    retries: str | None
    # The longest countdown of a manual retry, in seconds.
    manual_countdown: int = 0


TASKS = {
    "kompetensverkstad.pdfs.tasks.render_pdf": Declared(
        idempotent=True, retries="manual", manual_countdown=5 * MAX_ATTEMPTS
    ),
    "kompetensverkstad.pdfs.tasks.notify_ready": Declared(idempotent=False, retries="auto"),
    # Run by beat every minute; the next run is its retry.
    "kompetensverkstad.jobs.tasks.sweep_pending_work": Declared(idempotent=False, retries=None),
    "lessons.learning.tasks.evaluate_module_completion": Declared(idempotent=True, retries="auto"),
    "lessons.workshops.tasks.send_workshop_cancellation": Declared(idempotent=True, retries="auto"),
    # Beat's reminder runs: early acks, so a redelivery never starts a second run beside the
    # first; a marker row is claimed before each mail, so the next run sends nothing twice.
    "lessons.learning.tasks.send_learning_reminders": Declared(idempotent=False, retries="auto"),
    "lessons.workshops.tasks.send_workshop_day_before_reminders": Declared(
        idempotent=False, retries="auto"
    ),
    # The xAPI outbox: early acks; a delivery lost with its worker leaves its rows unsent, and
    # the sweep sends them again under the same statement ids.
    "lessons.learning.tasks.deliver_xapi_statements": Declared(idempotent=False, retries="auto"),
    # Beat's SAML upkeep: a failed metadata fetch is recorded on the provider (the last good copy
    # kept) and the next run is its retry; pruning deletes what has expired, whenever it runs.
    "kompetensverkstad.accounts.federation.tasks.refresh_saml_metadata": Declared(
        idempotent=False, retries=None
    ),
    "kompetensverkstad.accounts.federation.tasks.prune_saml_state": Declared(
        idempotent=False, retries=None
    ),
    # Erasure's files: a file already gone counts as deleted; a storage error keeps the name on
    # its row, and the sweep is the retry.
    "kompetensverkstad.privacy.tasks.delete_erased_files": Declared(idempotent=True, retries=None),
    # Beat's hourly run: an expired row is left alone, so the next run is its retry.
    "kompetensverkstad.pdfs.tasks.expire_documents": Declared(idempotent=False, retries=None),
    # Beat's nightly culling: early acks; each batch is committed on its own and locks its rows
    # (skipping those another run holds), so the next run goes on where this one stopped.
    "kompetensverkstad.privacy.retention.tasks.cull_expired_data": Declared(
        idempotent=False, retries=None
    ),
}


def project_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT_PACKAGES)}


def limits(task) -> tuple[float, float]:
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    return soft, hard


def longest_countdown(task, declared: Declared) -> float:
    if declared.retries == "manual":
        return declared.manual_countdown
    if declared.retries == "auto":
        # Celery's exponential backoff: factor · 2^retries, capped at retry_backoff_max.
        factor = int(max(1.0, float(task.retry_backoff)))
        cap = getattr(task, "retry_backoff_max", None) or 600
        return min(cap, factor * 2 ** (task.max_retries - 1))
    return 0


def test_every_project_task_is_declared_here():
    assert sorted(project_tasks()) == sorted(TASKS)


def test_every_registered_task_sets_its_own_soft_and_hard_time_limit():
    """The limits a task runs with are its own: the worker falls back to the global
    CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT only for a task that sets none, and no
    task of the project may rely on that."""
    tasks = project_tasks()
    # The registry is the worker's: every autodiscovered package's tasks are in it.
    packages = {name.rsplit(".", 2)[0] for name in tasks}
    assert {"kompetensverkstad.jobs", "kompetensverkstad.pdfs"} <= packages
    assert {"lessons.learning", "lessons.workshops"} <= packages
    assert render_pdf.name in tasks
    for name, task in tasks.items():
        soft, hard = task.soft_time_limit, task.time_limit
        assert soft and hard, f"{name} has no time limit of its own"
        # The soft limit lets the task mark its row before the hard limit kills the process.
        assert 0 < soft < hard, name


@pytest.mark.parametrize("name", sorted(TASKS))
def test_soft_and_hard_time_limits_on_every_task(name):
    soft, hard = limits(project_tasks()[name])
    assert soft and hard, f"{name} has no time limit"
    # The soft limit lets the task mark its row before the hard limit kills the process.
    assert 0 < soft < hard


@pytest.mark.parametrize("name", sorted(TASKS))
def test_late_acks_only_on_idempotent_tasks(name):
    task = project_tasks()[name]
    declared = TASKS[name]
    assert bool(task.acks_late) is declared.idempotent
    assert bool(task.reject_on_worker_lost) is declared.idempotent


def test_late_acks_are_not_the_default():
    assert not app.conf.task_acks_late
    assert not app.conf.task_reject_on_worker_lost


@pytest.mark.parametrize("name", sorted(TASKS))
def test_retries_have_backoff_and_a_maximum(name):
    task = project_tasks()[name]
    declared = TASKS[name]
    source = inspect.getsource(task.run)
    calls_retry = ".retry(" in source
    autoretry = tuple(getattr(task, "autoretry_for", ()) or ())
    if declared.retries == "auto":
        assert autoretry, f"{name} retries nothing"
        assert task.retry_backoff, f"{name} retries without backoff"
        assert task.retry_jitter, f"{name} retries without jitter"
        assert 0 < task.max_retries <= 10
    elif declared.retries == "manual":
        assert calls_retry and "countdown=" in source, f"{name} retries without a countdown"
        assert 0 < task.max_retries <= 10
    else:
        assert not autoretry and not calls_retry, f"{name} retries: declare how in TASKS"


def test_render_pdf_tries_as_often_as_the_rows_allow():
    task = project_tasks()["kompetensverkstad.pdfs.tasks.render_pdf"]
    assert task.max_retries == MAX_ATTEMPTS - 1


def test_one_task_at_a_time_per_worker_process_on_the_pdf_queue():
    # One queue for every task: the worker's prefetch setting is the PDF queue's.
    route = app.amqp.router.route({}, "kompetensverkstad.pdfs.tasks.render_pdf")
    assert route["queue"].name == app.conf.task_default_queue == "celery"
    assert not app.conf.task_routes
    assert app.conf.worker_prefetch_multiplier == 1


def test_visibility_timeout_outlasts_every_task_and_its_retries():
    """Redis redelivers an unacked message after this long: never while it is still running.

    A retry is a new message the worker holds unacknowledged until its countdown has passed.
    """
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    for name, task in project_tasks().items():
        _soft, hard = limits(task)
        longest = hard + longest_countdown(task, TASKS[name])
        assert visibility > longest, f"{name}: {longest} s ≥ visibility timeout {visibility} s"
    # The sweep takes rows left "rendering" back after twice the global hard limit; no render
    # may be allowed longer than that.
    render_hard = limits(project_tasks()["kompetensverkstad.pdfs.tasks.render_pdf"])[1]
    assert render_hard <= settings.CELERY_TASK_TIME_LIMIT * 2


def test_the_sweep_runs_from_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-pending-work"]
    assert schedule["task"] == "kompetensverkstad.jobs.tasks.sweep_pending_work"
    # More often than a render's stale threshold, so a lost render is caught up soon after.
    assert schedule["schedule"] <= settings.CELERY_TASK_TIME_LIMIT


def test_a_broker_that_never_answers_cannot_hang_a_request():
    # test_outages.test_redis_hung_… pauses a real Redis; these bound what each send may cost.
    options = app.conf.broker_transport_options
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 5
    # The worker waits for messages with BRPOP for brpop_timeout (1 s); reads must outlast it.
    assert options["socket_timeout"] > options.get("brpop_timeout", 1)
