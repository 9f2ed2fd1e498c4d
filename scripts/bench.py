"""Benchmark the learner's path: step events recorded and completed, and step-page queries.

    .venv/bin/python scripts/bench.py [--learners 1000] [--steps 20]

Runs on whatever DATABASE_URL / REDIS_URL name (SQLite and the in-memory broker without them),
in a throw-away test database created and destroyed here, so real data is never touched.

(a) Tracking throughput: ``learners`` learners each complete the ``steps`` steps of one module
    through ``record_step_completed`` (the interface the views call) while a real Celery worker
    (threads in this process) evaluates completion from the broker. The rate is events per
    second from the first record to the last completion row written. Certificate rendering is
    routed to a queue of its own during that phase and timed after it (``--certificates``).
(b) Queries per step page for a signed-in learner as the module grows: must stay constant.
"""

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "kompetensverkstad.settings.test"

import django  # noqa: E402

django.setup()

from celery.contrib.testing.worker import start_worker  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

from kompetensverkstad.celery import app  # noqa: E402
from kompetensverkstad.pdfs.models import PdfDocument  # noqa: E402
from lessons.learning.models import ModuleCompletion  # noqa: E402
from lessons.learning.recording import record_step_completed  # noqa: E402
from lessons.models import ModuleStep  # noqa: E402

PDF_QUEUE = "bench-pdf"
KINDS = [ModuleStep.Kind.LECTURE, ModuleStep.Kind.ARTICLE, ModuleStep.Kind.WORKSHEET]
PAGE_SIZES = (5, 10, 20, 50)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument(
        "--recorders", type=int, default=0, help="threads recording events (0: 2, 1 on SQLite)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="worker threads")
    parser.add_argument(
        "--certificates",
        type=int,
        default=100,
        help="certificates to render and time after the tracking phase (0: none)",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the worker")
    return parser.parse_args()


# --- Database and broker -----------------------------------------------------------------------


def create_database() -> str:
    """A fresh test database; SQLite gets a file in WAL mode so the worker's threads can write."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="kv-bench-")) / "bench.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(path)
        db["OPTIONS"] = {
            **db.get("OPTIONS", {}),
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        connection.settings_dict.update(db)
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def use_broker() -> str:
    url = os.environ.get("REDIS_URL") or "memory://"
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.worker_hijack_root_logger = False
    app.conf.task_routes = {"kompetensverkstad.pdfs.tasks.render_pdf": {"queue": PDF_QUEUE}}
    if url.startswith("memory"):
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "polling_interval": 0.01,
        }
    app._pool = None
    app.amqp._producer_pool = None
    if url.startswith("redis"):
        with app.connection_for_write() as conn:
            for queue in ("celery", PDF_QUEUE):
                conn.default_channel.client.delete(queue)
    return url


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


# --- Content -----------------------------------------------------------------------------------


def make_site():
    from wagtail.models import Page, Site

    from tests import factories

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = factories.HomePageFactory(parent=root)
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Bench"
    )
    return home


def make_module(home, size: int, title: str):
    from tests.factories import build_module, steps_of

    module = build_module(home, [KINDS[i % len(KINDS)] for i in range(size)], title=title)
    return module, steps_of(module)


def make_learners(count: int, prefix: str) -> list:
    User = get_user_model()
    User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            first_name="Deltagare",
            last_name=str(i),
            email=f"{prefix}{i}@example.org",
            password="!",  # unusable
        )
        for i in range(count)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


# --- (a) tracking throughput -----------------------------------------------------------------


def bench_tracking(home, args: argparse.Namespace) -> dict:
    module, steps = make_module(home, args.steps, "Benchmodul")
    learners = make_learners(args.learners, "bench")
    recorders = args.recorders or (1 if connection.vendor == "sqlite" else 2)
    events = len(learners) * len(steps)
    errors: list[BaseException] = []

    def record(share: list) -> None:
        try:
            for learner in share:  # each learner goes through the module in order
                for step in steps:
                    record_step_completed(learner, step)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    completions = ModuleCompletion.objects.filter(module=module)
    with start_worker(
        app,
        pool="threads",
        concurrency=args.concurrency,
        perform_ping_check=False,
        shutdown_timeout=60,
        loglevel="WARNING",
        queues=["celery"],
    ):
        started_at = timezone.now()
        t0 = time.perf_counter()
        threads = [
            threading.Thread(target=record, args=(learners[i::recorders],))
            for i in range(recorders)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        recorded = time.perf_counter() - t0
        if errors:
            raise errors[0]
        wait_until(lambda: completions.count() == len(learners), args.timeout, "completions")
        last = completions.aggregate(last=Max("completed_at"))["last"]
    end_to_end = (last - started_at).total_seconds()
    return {
        "learners": len(learners),
        "steps": len(steps),
        "events": events,
        "recorders": recorders,
        "recorded_s": recorded,
        "completed_s": end_to_end,
        "record_rate": events / recorded,
        "complete_rate": events / end_to_end,
        "completions": completions.count(),
        "module": module,
    }


def bench_certificates(module, count: int, args: argparse.Namespace) -> dict:
    """Render ``count`` of the queued certificates with the worker on the PDF queue."""
    from kompetensverkstad.pdfs.tasks import render_pdf

    keep = list(
        ModuleCompletion.objects.filter(module=module)
        .order_by("pk")
        .values_list("certificate_id", flat=True)[:count]
    )
    # The tracking phase queued every certificate; drop those beyond ``count`` from the queue.
    PdfDocument.objects.exclude(pk__in=keep).update(state=PdfDocument.State.FAILED)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(PDF_QUEUE)
    ready = PdfDocument.objects.filter(pk__in=keep, state=PdfDocument.State.READY)
    with start_worker(
        app,
        pool="threads",
        concurrency=args.concurrency,
        perform_ping_check=False,
        shutdown_timeout=60,
        loglevel="WARNING",
        queues=[PDF_QUEUE],
    ):
        t0 = time.perf_counter()
        for pk in keep:
            render_pdf.delay(pk)
        wait_until(lambda: ready.count() == len(keep), args.timeout, "certificates")
        elapsed = time.perf_counter() - t0
    return {"certificates": len(keep), "seconds": elapsed, "rate": len(keep) / elapsed}


# --- (b) queries per step page ---------------------------------------------------------------


def bench_step_pages(home) -> dict[str, dict[int, int]]:
    learner = make_learners(1, "reader")[0]
    client = Client()
    client.force_login(learner)
    counts: dict[str, dict[int, int]] = {kind: {} for kind in KINDS}
    for size in PAGE_SIZES:
        _module, steps = make_module(home, size, f"Modul med {size} steg")
        for step in steps[3 : size // 2]:
            record_step_completed(learner, step)
        for kind, step in zip(KINDS, steps[:3], strict=True):
            url = step.page.url
            client.get(url)  # warm: renditions, templates
            cache.clear()  # the count is the cold-cache worst case
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            counts[kind][size] = len(ctx.captured_queries)
    return counts


# --- Report ------------------------------------------------------------------------------------


def describe_database() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (file, WAL)"


def row(label: str, value: str) -> None:
    print(f"  {label:<38} {value:>10}", flush=True)


def cleanup_files() -> None:
    for document in PdfDocument.objects.exclude(file=""):
        document.file.delete(save=False)


def main() -> int:
    args = parse_args()
    # The memory broker's URL has no host, and tests serve static files from the finders.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    setup_test_environment()
    old_name = create_database()
    broker = use_broker()
    try:
        database = describe_database()
        python = sys.version.split()[0]
        print(f"database: {database}   broker: {broker.split('@')[-1]}   python: {python}")
        home = make_site()

        print(f"\n(a) tracking: {args.learners} learners x {args.steps} steps ...", flush=True)
        tracking = bench_tracking(home, args)
        row("events", f"{tracking['events']:,}")
        row("recording threads / worker threads", f"{tracking['recorders']} / {args.concurrency}")
        row("recorded in (s)", f"{tracking['recorded_s']:.1f}")
        row("recorded per second", f"{tracking['record_rate']:,.0f}")
        row("first record -> last completion (s)", f"{tracking['completed_s']:.1f}")
        row("events recorded and completed per s", f"{tracking['complete_rate']:,.0f}")
        row("module completions", f"{tracking['completions']:,}")
        if args.certificates:
            count = min(args.certificates, tracking["completions"])
            certs = bench_certificates(tracking["module"], count, args)
            row("certificates rendered", f"{certs['certificates']:,}")
            row("certificate PDFs per second", f"{certs['rate']:.1f}")

        print("\n(b) queries per step page, signed-in learner, cold cache")
        counts = bench_step_pages(home)
        print(f"  {'steps in module':<18}" + "".join(f"{size:>8}" for size in PAGE_SIZES))
        constant = True
        for kind, by_size in counts.items():
            values = [by_size[size] for size in PAGE_SIZES]
            constant &= len(set(values)) == 1
            print(f"  {kind + ' page':<18}" + "".join(f"{v:>8}" for v in values))
        print(f"  constant as the module grows: {'yes' if constant else 'NO'}")
        return 0 if constant else 1
    finally:
        cleanup_files()
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
