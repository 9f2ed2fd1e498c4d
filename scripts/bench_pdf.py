"""Benchmark worksheet PDFs: render time in a warm process, worker memory, draining a backlog.

    .venv/bin/python scripts/bench_pdf.py [--renders 40] [--backlog 1000] [--processes 2]

Works in a throw-away test database created and destroyed here. The render times need nothing
else. The backlog drain starts a real worker process (prefork, ``--processes`` children), so it
needs a database and a broker that another process can share: PostgreSQL (DATABASE_URL) and
Redis (REDIS_URL); without them that part is skipped with a note.

(a) median and 95th percentile of rendering one submitted worksheet (the whole task: load rows,
    template, WeasyPrint, write the file), after warm-up renders, in this process;
(b) ``--backlog`` queued worksheet PDFs drained by one worker of ``--processes`` processes:
    wall time from start to the last ready row, and the peak resident memory (VmHWM) of the
    worker's processes.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "kompetensverkstad.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from kompetensverkstad.celery import app  # noqa: E402
from kompetensverkstad.models import HomePage  # noqa: E402
from kompetensverkstad.pdfs.models import PdfDocument  # noqa: E402
from kompetensverkstad.pdfs.tasks import render_pdf  # noqa: E402
from lessons.models import ModulePage  # noqa: E402
from worksheets.answering import submit  # noqa: E402
from worksheets.models import WorksheetPage  # noqa: E402

ANSWER = (
    "Min farfar kom till Kalmar 1968 för att arbeta på varvet. Han talade finska hemma och "
    "svenska på jobbet. جاء جدي إلى كالمار للعمل في المصنع. "
) * 4


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=40)
    parser.add_argument("--backlog", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    return parser.parse_args()


def build_worksheet() -> WorksheetPage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bänk", slug="bank"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    module = home.add_child(instance=ModulePage(title="Modul", slug="modul", intro="Bänk"))
    questions = [
        (
            "reflection",
            {"prompt": f"Fråga {n}", "help_text": "", "required": True, "max_length": 5000},
        )
        for n in range(4)
    ] + [
        (
            "scale",
            {
                "prompt": "Skala",
                "help_text": "",
                "required": False,
                "min_value": 1,
                "max_value": 5,
                "min_label": "lite",
                "max_label": "mycket",
            },
        ),
        (
            "timeline",
            {
                "prompt": "Tidslinje",
                "help_text": "",
                "required": False,
                "min_rows": 3,
                "period_label": "År",
                "event_label": "Händelse",
            },
        ),
    ]
    page = module.add_child(
        instance=WorksheetPage(
            title="Den lilla historien i den stora", slug="ark", purpose="Bänk", questions=questions
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def submit_for(page: WorksheetPage, n: int) -> PdfDocument:
    user = get_user_model().objects.create_user(
        f"bank{n}", f"bank{n}@example.org", first_name="Bänk", last_name=f"Person {n}"
    )
    raw = {b.id: ANSWER for b in page.questions if b.block_type == "reflection"}
    timeline = next(b.id for b in page.questions if b.block_type == "timeline")
    raw[timeline] = [{"period": "1968", "event": "Till Kalmar"}, {"period": "1990", "event": "SFI"}]
    submit(user, page, raw)
    return PdfDocument.objects.get(owner=user)


def render_times(page: WorksheetPage, count: int) -> list[float]:
    documents = [submit_for(page, 100_000 + n) for n in range(count + 5)]
    times = []
    for i, document in enumerate(documents):
        PdfDocument.objects.filter(pk=document.pk).update(state="queued")
        started = time.perf_counter()
        render_pdf.apply(args=[document.pk])
        if i >= 5:  # the first renders load fonts and templates
            times.append(time.perf_counter() - started)
    return times


def peak_memory_kib(pids: list[int]) -> int:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak


def drain(page: WorksheetPage, backlog: int, processes: int, timeout: float) -> str:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return "skipped: the drain needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    app.control.purge()
    ids = []
    for n in range(backlog):
        ids.append(submit_for(page, n).pk)
    params = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{params.get('USER') or 'postgres'}@"
        f"{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}",
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kompetensverkstad",
            "worker",
            "-P",
            "prefork",
            "-c",
            str(processes),
            "--loglevel",
            "ERROR",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    peak = 0
    try:
        started = time.perf_counter()
        for pk in ids:
            render_pdf.delay(pk)
        while True:
            children = subprocess.run(  # noqa: S603
                ["ps", "-o", "pid=", "--ppid", str(worker.pid)],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            ).stdout.split()
            peak = max(peak, peak_memory_kib([worker.pid, *map(int, children)]))
            left = PdfDocument.objects.filter(pk__in=ids).exclude(state="ready").count()
            if not left:
                break
            if time.perf_counter() - started > timeout:
                return f"timed out with {left} of {backlog} not ready"
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return (
        f"{backlog} PDFs drained by 1 worker × {processes} processes in {elapsed:.1f} s "
        f"({backlog / elapsed:.1f} PDFs/s); peak RSS of a worker process: {peak / 1024:.0f} MB"
    )


def main() -> None:
    args = parse_args()
    setup_test_environment()
    # A database of its own, so a test run on the same server is never disturbed.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        "test_kv_bench_pdf" if connection.vendor == "postgresql" else None
    )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False, autoclobber=True)
    try:
        page = build_worksheet()
        times = render_times(page, args.renders)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(f"database: {connection.vendor}; broker: {settings.REDIS_URL or 'none'}")
        print(
            f"render one worksheet PDF (warm, {len(times)} renders, 6 questions, Latin + Arabic): "
            f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )
        print(drain(page, args.backlog, args.processes, args.timeout))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
