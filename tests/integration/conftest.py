"""A real Celery worker on a real broker: Redis where REDIS_URL names one, memory otherwise.

The unit tests run tasks eagerly (test settings). Here the app is switched to the broker for
each test and restored afterwards; the worker runs in a thread of the test process and reads
the database through its own connections, so every test here commits (``transaction=True``).
"""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from celery.worker import state
from django.db import OperationalError, connection
from kombu.exceptions import OperationalError as BrokerUnreachable

from kompetensverkstad.celery import app as celery_app
from tests.conftest import make_site

REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_URL = REDIS_URL or "memory://"
# A port nothing listens on: the broker "refusing connections".
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"
# SQLite lets one writer at a time, so one task at a time there; PostgreSQL gets two threads,
# which lets a duplicate delivery run alongside the original.
POOL = {"pool": "threads", "concurrency": 2} if connection.vendor == "postgresql" else {}
# Every test here commits, so the worker's connections see its rows; the content Wagtail's
# migrations create (root page, locale, collection) is restored before each one.
committed_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def use_broker(url: str) -> None:
    """Point the app at ``url``; its connection and producer pools are looked up again.

    kombu keeps one pool per broker address, so the pools of the previous address stay open
    for when it is used again.
    """
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def celery_on_broker() -> Iterator[None]:
    conf = celery_app.conf
    names = (
        "task_always_eager",
        "broker_url",
        "broker_transport_options",
        "worker_hijack_root_logger",
    )
    saved = {name: conf[name] for name in names}
    conf.task_always_eager = False
    # The pytest log capture keeps the root logger; the worker logs through it as it is.
    conf.worker_hijack_root_logger = False
    if not REDIS_URL:
        # The memory transport polls its queues; the default second makes every wait slow.
        conf.broker_transport_options = {
            **saved["broker_transport_options"],
            "polling_interval": 0.05,
        }
    use_broker(BROKER_URL)
    if REDIS_URL:
        purge_redis()
    yield
    for name, value in saved.items():
        conf[name] = value
    use_broker(saved["broker_url"])


def purge_redis() -> None:
    """Empty the task queue and kombu's unacked set, so no earlier run's message is delivered."""
    celery_app.control.purge()
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index")


@contextmanager
def running_worker(**options) -> Iterator[object]:
    """The real worker in a thread of this process, consuming the app's default queue."""
    with start_worker(
        celery_app,
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
        **{**POOL, **options},
    ) as worker:
        try:
            yield worker
        finally:
            # start_worker stops the worker by raising this flag and joining its thread, which
            # notices only when its poll of the broker returns: up to 2 s per poll on the memory
            # transport. A message for Celery's built-in no-op task makes the poll return now.
            state.should_terminate = 0
            with suppress(BrokerUnreachable):
                celery_app.send_task("celery.accumulate", args=(0,))


@pytest.fixture
def worker() -> Iterator[object]:
    with running_worker() as running:
        yield running


def wait_for(check: Callable[[], object], timeout: float = 30, what: str = "") -> object:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except OperationalError:  # SQLite: a table the worker is writing is locked for a moment
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what or check}")
        time.sleep(0.05)


@pytest.fixture
def finished_tasks() -> Iterator[list[tuple[str, str]]]:
    """(task name, task id) of every task the worker has finished, in order."""
    finished: list[tuple[str, str]] = []

    def record(sender=None, task_id=None, **kwargs) -> None:
        finished.append((sender.name, task_id))

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


@pytest.fixture
def home(db):
    return make_site()
