"""A real Celery worker on a real broker: Redis where REDIS_URL names one, memory otherwise.

The unit tests run tasks eagerly (test settings). Here the app is switched to the broker for
each test and restored afterwards; the worker runs in a thread of the test process and reads
the database through its own connections, so every test here commits (``transaction=True``).
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from celery.worker import state
from django.db import OperationalError, connection
from kombu.exceptions import OperationalError as BrokerUnreachable

from kompetensverkstad.celery import app as celery_app

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


# Tests where the worker writes while the test reads from its own connection (the xAPI outbox
# and Ralph): SQLite lets one writer at a time and answers "database table is locked".
needs_postgresql_and_redis = pytest.mark.skipif(
    connection.vendor != "postgresql" or not REDIS_URL,
    reason="the worker and the test write the same tables at once, which SQLite refuses "
    "('database table is locked'): set DATABASE_URL (PostgreSQL) and REDIS_URL",
)


# --- A Redis of the test's own, to stop, restart and flush ----------------------------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Outage, flush and kill tests need a worker that shares the test's database from other
# connections, and a Redis server they own: CI has both.
needs_private_redis = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.access(REDIS_SERVER, os.X_OK),
    reason="outage tests need PostgreSQL (set DATABASE_URL) and a redis-server binary "
    f"({REDIS_SERVER}) to stop, restart and flush a Redis of their own",
)


class PrivateRedis:
    """A redis-server subprocess on a free port, nothing persisted; only this test uses it."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server did not answer on port {self.port}")
            time.sleep(0.05)

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Terminate the server (SIGTERM: it stops accepting connections and exits)."""
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=2, socket_timeout=5)


@pytest.fixture
def private_redis(celery_on_broker, settings) -> Iterator[PrivateRedis]:
    """The app's broker and cache on a Redis this test may stop, restart and FLUSHALL.

    Production uses one REDIS_URL for both, and Wagtail keeps site root paths in the cache,
    so an outage of one is an outage of the other.
    """
    server = PrivateRedis()
    server.start()
    use_broker(server.url)
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": server.url}}
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def task_log() -> Iterator[list[dict]]:
    """Every task the in-process worker ran: name, args, return value, start and end times."""
    log: list[dict] = []
    started: dict[str, float] = {}

    def before(task_id=None, **kwargs) -> None:
        started[task_id] = time.monotonic()

    def after(sender=None, task_id=None, args=None, retval=None, **kwargs) -> None:
        log.append(
            {
                "name": sender.name,
                "id": task_id,
                "args": tuple(args or ()),
                "retval": retval,
                "started": started.get(task_id),
                "finished": time.monotonic(),
            }
        )

    task_prerun.connect(before, weak=False)
    task_postrun.connect(after, weak=False)
    yield log
    task_prerun.disconnect(before)
    task_postrun.disconnect(after)


# Figures the outage tests measure (request times while Redis is away, catch-up times); printed
# at the end of the run, not asserted.
OUTAGE_FIGURES: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    if OUTAGE_FIGURES:
        terminalreporter.section("outages: what the tests measured")
        for name, figure in OUTAGE_FIGURES.items():
            terminalreporter.write_line(f"{name:<58} {figure}")
