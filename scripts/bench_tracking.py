"""Benchmark the learner's path: step events recorded and evaluated to completions by the real
worker, against the get_or_create-in-atomic pattern; and the queries of a step page.

    .venv/bin/python scripts/bench_tracking.py [--quick] [--learners 10000] [--steps 20]

Runs in a throw-away test database of its own. The tracking phases need PostgreSQL
(DATABASE_URL) and Redis (REDIS_URL), which the recording processes and the worker process
share; without them only the profile and the step-page queries are measured.

(a) Profile: a sample of learners recorded in this process under cProfile (the broker is real,
    the worker is not running), then their completion checks evaluated here: the top costs of
    each, and the statements per step event.
(b) Recording against the reference: ``--recorders`` processes write step rows with the
    pattern Open edX uses for completion (``get_or_create`` inside ``atomic``), then as many
    through ``record_step_completed``, in alternating rounds, with no worker running.
(c) Tracking: ``learners`` learners complete the ``steps`` steps of a module through
    ``record_step_completed`` (what the views call) in ``--recorders`` processes, while a real
    Celery worker (a process of ``--concurrency`` children) evaluates completion from the
    broker. Timed from the first record to the last completion row; then every count is
    checked: one completion and one certificate row per learner, every event once, no check
    left waiting. Certificates are routed to a queue of their own and rendered after (d).
(d) Queries per step page for a signed-in learner as the module grows (5 to 50 steps).
"""

import argparse
import logging
import multiprocessing
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchsetup  # noqa: E402  (sets up Django)
from benchkit import Row  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
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
from lessons.learning.completion import evaluate_completion  # noqa: E402
from lessons.learning.models import (  # noqa: E402
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    StepProgress,
    StepState,
)
from lessons.learning.recording import record_step_completed  # noqa: E402
from lessons.models import ModuleStep  # noqa: E402

PDF_QUEUE = "bench-pdf"
KINDS = [ModuleStep.Kind.LECTURE, ModuleStep.Kind.ARTICLE, ModuleStep.Kind.WORKSHEET]
PAGE_SIZES = (5, 50)
# The issue's target: 10,000 learners x 20 steps recorded and evaluated in 5 minutes.
TARGET_EVENTS_PER_S = 200_000 / 300
FULL = {"learners": 10_000, "steps": 20, "reference": 10_000, "profile": 100, "certificates": 100}
QUICK = {"learners": 200, "steps": 20, "reference": 2_000, "profile": 30, "certificates": 0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--reference", type=int, help="step rows written by the reference")
    parser.add_argument("--profile", type=int, help="learners recorded under the profiler")
    parser.add_argument("--certificates", type=int, help="certificates rendered after (0: none)")
    parser.add_argument("--recorders", type=int, default=2, help="recording processes")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the worker")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


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
        (
            User(
                username=f"{prefix}{i}",
                first_name="Deltagare",
                last_name=str(i),
                email=f"{prefix}{i}@example.org",
                password="!",  # unusable
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


# --- Recording in processes of their own ---------------------------------------------------


def get_or_create_in_atomic(user, step) -> bool:
    """The reference: Open edX's ``BlockCompletion.objects.submit_completion`` pattern."""
    with transaction.atomic():
        progress, created = StepProgress.objects.get_or_create(
            user=user,
            step=step,
            defaults={"state": StepState.COMPLETED, "completed_at": timezone.now()},
        )
        if not created and progress.state != StepState.COMPLETED:
            progress.state, progress.completed_at = StepState.COMPLETED, timezone.now()
            progress.save()
    return created


def _record_share(function, learners, steps, results) -> None:
    # A forked child: its own connections and broker pool, never the parent's sockets.
    app._pool = None
    app.amqp._producer_pool = None
    try:
        for learner in learners:  # each learner goes through the module in order
            for step in steps:
                function(learner, step)
        results.put(None)
    except BaseException as exc:
        results.put(repr(exc))
    finally:
        connections.close_all()


def record_in_processes(function, learners: list, steps: list, processes: int) -> float:
    """Every learner through every step with ``function``, split over ``processes`` forked
    processes (the web workers of a site). Returns the wall time in seconds."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()
    children = [
        context.Process(
            target=_record_share, args=(function, learners[i::processes], steps, results)
        )
        for i in range(processes)
    ]
    started = time.perf_counter()
    for child in children:
        child.start()
    errors = [results.get() for _ in children]
    for child in children:
        child.join()
    elapsed = time.perf_counter() - started
    failed = [e for e in errors if e]
    if failed:
        raise SystemExit(f"recording failed: {failed[0]}")
    return elapsed


# --- (a) profile -----------------------------------------------------------------------------


def profile(home, args) -> dict:
    module, steps = make_module(home, args.steps, "Profilmodul")
    learners = make_learners(args.profile, "profil")
    with CaptureQueriesContext(connection) as captured:
        for step in steps:
            record_step_completed(learners[0], step)
    queries = len(captured) / len(steps)

    def record() -> None:
        for learner in learners[1:]:
            for step in steps:
                record_step_completed(learner, step)

    started = time.perf_counter()
    recording = benchsetup.profile_top(record)
    record_s = time.perf_counter() - started
    app.control.purge()
    checks = list(CompletionCheck.objects.values_list("user_id", "module_id"))

    def evaluate() -> None:
        for user_id, module_id in checks:
            evaluate_completion(user_id, module_id)

    with CaptureQueriesContext(connection) as captured:
        evaluate_completion(*checks[0])
    evaluation_queries = len(captured)
    started = time.perf_counter()
    evaluation = benchsetup.profile_top(lambda: evaluate() if len(checks) > 1 else None)
    evaluate_s = time.perf_counter() - started
    app.control.purge()
    return {
        "queries_per_event": queries,
        "record_ms": 1000 * record_s / ((len(learners) - 1) * len(steps)),
        "recording": recording,
        "checks_per_learner": len(checks) / len(learners),
        "evaluation_queries": evaluation_queries,
        "evaluate_ms": 1000 * evaluate_s / max(1, len(checks) - 1),
        "evaluation": evaluation,
    }


# --- (b) + (c) reference and tracking --------------------------------------------------------


def recording_rates(home, args, rounds: int = 2) -> tuple[float, float]:
    """Rows per second of the reference and of ``record_step_completed``, each in
    ``args.recorders`` processes with no worker running (the same conditions for both), in
    alternating rounds so that a change in the machine's load falls on both alike."""
    per_round = max(args.recorders, args.reference // args.steps // rounds)
    totals = {"reference": [0, 0.0], "record": [0, 0.0]}
    for number in range(rounds):
        for name, function in (
            ("reference", get_or_create_in_atomic),
            ("record", record_step_completed),
        ):
            module, steps = make_module(home, args.steps, f"{name} {number}")
            learners = make_learners(per_round, f"{name}{number}-")
            elapsed = record_in_processes(function, learners, steps, args.recorders)
            totals[name][0] += len(learners) * len(steps)
            totals[name][1] += elapsed
            # The evaluations that recording asked for: no worker runs in this phase.
            app.control.purge()
            CompletionCheck.objects.filter(module=module).delete()
    return tuple(rows / seconds for rows, seconds in totals.values())


def tracking(home, args) -> dict:
    module, steps = make_module(home, args.steps, "Benchmodul")
    learners = make_learners(args.learners, "bench")
    events = len(learners) * len(steps)
    completions = ModuleCompletion.objects.filter(module=module)
    worker = benchsetup.start_worker_process(
        ["celery"],
        args.concurrency,
        routes={"kompetensverkstad.pdfs.tasks.render_pdf": {"queue": PDF_QUEUE}},
    )
    try:
        time.sleep(3)  # the worker's children start and connect
        started_at = timezone.now()
        recorded_s = record_in_processes(record_step_completed, learners, steps, args.recorders)
        benchsetup.wait_until(
            lambda: completions.count() == len(learners), args.timeout, "completions"
        )
        time.sleep(2)  # a late duplicate would write now
        last = completions.aggregate(last=Max("completed_at"))["last"]
    finally:
        benchsetup.stop_process(worker)
    end_to_end = (last - started_at).total_seconds()
    step_events = LearningEvent.objects.filter(
        object_type="step", object_id__in=[s.pk for s in steps], verb=LearningEvent.Verb.COMPLETED
    )
    counts = {
        "completions": completions.count(),
        "learners with a completion": completions.values("user").distinct().count(),
        "certificate rows": PdfDocument.objects.filter(
            kind="certificate", pk__in=completions.values("certificate")
        ).count(),
        "module events": LearningEvent.objects.filter(
            object_type="module", object_id=module.pk
        ).count(),
        "step events": step_events.count(),
        "steps completed": StepProgress.objects.filter(
            step__module=module, state=StepState.COMPLETED
        ).count(),
        "checks left": CompletionCheck.objects.filter(module=module).count(),
    }
    expected = {
        "completions": len(learners),
        "learners with a completion": len(learners),
        "certificate rows": len(learners),
        "module events": len(learners),
        "step events": events,
        "steps completed": events,
        "checks left": 0,
    }
    return {
        "module": module,
        "events": events,
        "record_rate": events / recorded_s,
        "end_to_end_s": end_to_end,
        "rate": events / end_to_end,
        "counts": counts,
        "wrong": {k: (v, expected[k]) for k, v in counts.items() if v != expected[k]},
    }


def certificates(module, count: int, args) -> float:
    """Render ``count`` of the certificates the tracking phase queued; PDFs per second."""
    from kompetensverkstad.pdfs.tasks import render_pdf

    keep = list(
        ModuleCompletion.objects.filter(module=module)
        .order_by("pk")
        .values_list("certificate_id", flat=True)[:count]
    )
    ready = PdfDocument.objects.filter(pk__in=keep, state=PdfDocument.State.READY)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(PDF_QUEUE)
    worker = benchsetup.start_worker_process([PDF_QUEUE], args.concurrency)
    try:
        time.sleep(3)
        started = time.perf_counter()
        for pk in keep:
            render_pdf.apply_async((pk,), queue=PDF_QUEUE)
        benchsetup.wait_until(lambda: ready.count() == len(keep), args.timeout, "certificates")
        return len(keep) / (time.perf_counter() - started)
    finally:
        benchsetup.stop_process(worker)


# --- (d) queries per step page ---------------------------------------------------------------


def step_page_queries(home) -> dict[str, dict[int, int]]:
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


# --- The table's rows ------------------------------------------------------------------------


def run(quick: bool, argv: list[str] | None = None) -> list[Row]:
    args = parse_args([*(argv or []), *(["--quick"] if quick else [])])
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    setup_test_environment()
    old_name = benchsetup.create_database("track")
    rows: list[Row] = []
    try:
        broker = benchsetup.use_broker(app)
        print(
            f"tracking: {benchsetup.describe_database()}, broker {broker.split('@')[-1]}, "
            f"{args.learners:,} learners x {args.steps} steps",
            flush=True,
        )
        home = make_site()

        found = profile(home, args)
        print(
            f"\n(a) profile of recording ({args.profile} learners x {args.steps} steps, in this "
            f"process): {found['record_ms']:.2f} ms and {found['queries_per_event']:.1f} "
            f"statements per event\n{found['recording']}\n\n"
            f"    profile of evaluating ({found['checks_per_learner']:.1f} checks per learner): "
            f"{found['evaluate_ms']:.2f} ms and {found['evaluation_queries']} statements each\n"
            f"{found['evaluation']}\n",
            flush=True,
        )
        rows.append(
            Row(
                "tracking: statements per step event (recording)",
                "",
                "",
                f"{found['queries_per_event']:.1f}",
                None,
                None,
            )
        )
        rows.append(
            Row(
                "tracking: evaluations asked per learner (20 steps in a burst)",
                "",
                "",
                f"{found['checks_per_learner']:.1f}",
                None,
                None,
            )
        )

        if benchsetup.shared_services():
            ref_rate, record_rate = recording_rates(home, args)
            print(
                f"(b) {args.recorders} processes, no worker: get_or_create in atomic "
                f"{ref_rate:,.0f} rows/s, record_step_completed {record_rate:,.0f} events/s",
                flush=True,
            )
            result = tracking(home, args)
            print(
                f"(c) {result['events']:,} events recorded at {result['record_rate']:,.0f}/s "
                f"beside the worker, evaluated by the worker {result['end_to_end_s']:.1f} s "
                f"after the first ({result['rate']:,.0f}/s); counts: {result['counts']}",
                flush=True,
            )
            ratio = record_rate / ref_rate
            rows.append(
                Row(
                    f"tracking: step events recorded per second ({args.recorders} processes)",
                    ">= 2x get_or_create in atomic",
                    f"{ref_rate:,.0f} rows/s",
                    f"{record_rate:,.0f} events/s",
                    round(ratio, 2),
                    ratio >= 2,
                )
            )
            rows.append(
                Row(
                    f"tracking: {result['events']:,} events recorded and evaluated by the worker",
                    "200,000 in <= 300 s (>= 667 events/s)",
                    "",
                    f"{result['end_to_end_s']:.1f} s ({result['rate']:,.0f} events/s)",
                    round(result["rate"] / TARGET_EVENTS_PER_S, 2),
                    result["rate"] >= TARGET_EVENTS_PER_S,
                )
            )
            wrong = result["wrong"]
            rows.append(
                Row(
                    "tracking: exactly once (completions, certificate rows, events, checks)",
                    "every count as expected",
                    "",
                    "all as expected"
                    if not wrong
                    else "; ".join(f"{k} {v[0]} (expected {v[1]})" for k, v in wrong.items()),
                    None,
                    not wrong,
                )
            )
            if args.certificates:
                rate = certificates(result["module"], args.certificates, args)
                print(f"    {args.certificates} certificates: {rate:.1f} PDFs/s", flush=True)
                rows.append(
                    Row(
                        f"tracking: certificate PDFs rendered per second "
                        f"({args.concurrency} processes)",
                        "",
                        "",
                        f"{rate:.1f} PDFs/s",
                        None,
                        None,
                    )
                )
        else:
            print("(b), (c) skipped: they need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")

        counts = step_page_queries(home)
        print(f"(d) queries per step page, signed in, cold cache: {counts}", flush=True)
        largest = max(v for by_size in counts.values() for v in by_size.values())
        constant = all(len(set(by_size.values())) == 1 for by_size in counts.values())
        rows.append(
            Row(
                f"step page queries, signed in, cold cache ({' / '.join(map(str, PAGE_SIZES))} "
                "steps)",
                "constant as the module grows",
                "",
                ", ".join(
                    f"{kind} {'/'.join(str(by[s]) for s in PAGE_SIZES)}"
                    for kind, by in counts.items()
                )
                + f" (max {largest})",
                None,
                constant,
            )
        )
        return rows
    finally:
        for document in PdfDocument.objects.exclude(file=""):
            document.file.delete(save=False)
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    from bench import print_table

    print_table(run("--quick" in sys.argv, [a for a in sys.argv[1:] if a != "--quick"]))
