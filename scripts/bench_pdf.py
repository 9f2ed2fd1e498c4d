"""Benchmark worksheet PDFs: render time in a warm process, worker throughput and memory.

    .venv/bin/python scripts/bench_pdf.py [--quick] [--renders 40] [--backlog 1000] [--processes 2]

Works in a throw-away test database of its own. The render times need nothing else. The
backlog drain starts a real worker process (prefork, ``--processes`` children), so it needs a
database and a broker that another process can share: PostgreSQL (DATABASE_URL) and Redis
(REDIS_URL); without them that part is skipped with a note.

(a) median and 95th percentile of rendering one submitted worksheet with Latin and Arabic
    answers (the whole task: load rows, template, WeasyPrint, write the file), after warm-up
    renders, in this process; beside it, WeasyPrint alone on the same HTML (the reference).
    The worksheet has the demo worksheet's shape (two reflections of three or four lines each,
    a scale, a timeline) and must come out as one page: the bench says so when it does not;
(b) the same for a worksheet of four reflections whose long answers fill several pages,
    against the one-page median;
(c) ``--backlog`` queued worksheet PDFs drained by one worker of ``--processes`` processes:
    PDFs per second against ``processes / median render time``; the peak resident memory
    (VmHWM) of each worker process and how its resident memory (VmRSS) grew from the first
    tenth of the backlog to the end, read from /proc of the worker's own processes.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchsetup  # noqa: E402  (sets up Django)
from benchkit import Row  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from kompetensverkstad.celery import app  # noqa: E402
from kompetensverkstad.models import HomePage  # noqa: E402
from kompetensverkstad.pdfs import kinds  # noqa: E402
from kompetensverkstad.pdfs.models import PdfDocument  # noqa: E402
from kompetensverkstad.pdfs.render import (  # noqa: E402
    render_html_to_pdf,
    render_template_to_html,
)
from kompetensverkstad.pdfs.tasks import render_pdf  # noqa: E402
from lessons.models import ModulePage  # noqa: E402
from worksheets.answering import submit  # noqa: E402
from worksheets.models import WorksheetPage  # noqa: E402

FULL = {"renders": 40, "backlog": 1000}
QUICK = {"renders": 15, "backlog": 150}
TARGET_MS = 60
MAX_RSS_MB = 150
# Resident memory may wobble by allocator pages; more than this from a tenth of the backlog to
# its end is growth.
GROWTH_MB = 10

SENTENCES = (
    "Min farfar kom till Kalmar 1968 för att arbeta på varvet. Han talade finska hemma och "
    "svenska på jobbet. جاء جدي إلى كالمار للعمل في المصنع. "
)
# A reflection answered in three or four lines: two of them, with the scale and the timeline,
# fill most of one A4 page (four answers of twice this length need two pages).
ANSWER = SENTENCES * 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--renders", type=int)
    parser.add_argument("--backlog", type=int)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def build_module() -> ModulePage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bänk", slug="bank"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home.add_child(instance=ModulePage(title="Modul", slug="modul", intro="Bänk"))


def build_worksheet(module: ModulePage, slug: str, reflections: int) -> WorksheetPage:
    questions = [
        (
            "reflection",
            {"prompt": f"Fråga {n}", "help_text": "", "required": True, "max_length": 5000},
        )
        for n in range(reflections)
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
            title="Den lilla historien i den stora", slug=slug, purpose="Bänk", questions=questions
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def submit_for(page: WorksheetPage, n: int, answer: str = ANSWER) -> PdfDocument:
    user = get_user_model().objects.create_user(
        f"bank{n}", f"bank{n}@example.org", first_name="Bänk", last_name=f"Person {n}"
    )
    raw = {b.id: answer for b in page.questions if b.block_type == "reflection"}
    timeline = next(b.id for b in page.questions if b.block_type == "timeline")
    raw[timeline] = [{"period": "1968", "event": "Till Kalmar"}, {"period": "1990", "event": "SFI"}]
    submit(user, page, raw)
    return PdfDocument.objects.get(owner=user)


def render_times(documents: list[PdfDocument], warm: int = 3) -> list[float]:
    """Seconds of the whole task for each document after the first ``warm`` ones."""
    times = []
    for i, document in enumerate(documents):
        PdfDocument.objects.filter(pk=document.pk).update(state="queued")
        started = time.perf_counter()
        render_pdf.apply(args=[document.pk])
        if i >= warm:  # the first renders load fonts and templates
            times.append(time.perf_counter() - started)
    return times


def render_and_reference_times(
    documents: list[PdfDocument], warm: int = 3
) -> tuple[list[float], list[float]]:
    """Seconds of the whole task for each document after the first ``warm`` ones, and of
    WeasyPrint alone on the first document's HTML (the reference), one of each in turn, so the
    two see the same load on a machine that others share."""
    kind = kinds.get(documents[0].kind)
    html = render_template_to_html(kind.template, kind.build(documents[0]).context)
    render_html_to_pdf(html)
    times, bare = [], []
    for i, document in enumerate(documents):
        times.extend(render_times([document], warm=1 if i < warm else 0))
        if i >= warm:
            started = time.perf_counter()
            render_html_to_pdf(html)
            bare.append(time.perf_counter() - started)
    return times, bare


def pages_of(document: PdfDocument) -> int:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        return len(PdfReader(handle).pages)


def drain(page: WorksheetPage, backlog: int, processes: int, timeout: float) -> dict:
    ids = [submit_for(page, n).pk for n in range(backlog)]
    app.control.purge()  # the submissions queued their renders; the drain sends them at once
    PdfDocument.objects.filter(pk__in=ids).update(state="queued")
    worker = benchsetup.start_worker_process(["celery"], processes)
    peak: dict[int, int] = {}
    early: dict[int, int] = {}
    late: dict[int, int] = {}
    proportional: dict[int, int] = {}
    try:
        time.sleep(3)  # the worker's children start and connect
        scheduled = {pid: cpu_times(pid) for pid in benchsetup.process_tree(worker.pid)}
        started = time.perf_counter()
        for pk in ids:
            render_pdf.delay(pk)
        while True:
            pids = benchsetup.process_tree(worker.pid)
            left = PdfDocument.objects.filter(pk__in=ids).exclude(state="ready").count()
            for pid in pids:
                peak[pid] = max(peak.get(pid, 0), benchsetup.memory_kib(pid, "VmHWM"))
                proportional[pid] = max(proportional.get(pid, 0), pss_kib(pid))
                rss = benchsetup.memory_kib(pid, "VmRSS")
                # From the first look once a tenth is done (not before it: a child's first
                # renders load templates and catalogues) to the last look.
                if left <= backlog * 0.9 and rss:
                    early.setdefault(pid, rss)
                    late[pid] = rss
            if not left:
                break
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"drain timed out with {left} of {backlog} not ready")
            time.sleep(1)  # the watching must not take the CPU the worker needs
        elapsed = time.perf_counter() - started
        ran = waited = 0.0
        for pid, (ran_before, waited_before) in scheduled.items():
            ran_after, waited_after = cpu_times(pid)
            ran += ran_after - ran_before
            waited += waited_after - waited_before
    finally:
        benchsetup.stop_process(worker)
    growth = max((late[pid] - early[pid] for pid in late if pid in early), default=0)
    return {
        "ran_s": ran,
        "waited_s": waited,
        "rate": backlog / elapsed,
        "seconds": elapsed,
        "peak_mb": max(peak.values(), default=0) / 1024,
        "pss_mb": max(proportional.values(), default=0) / 1024,
        "growth_mb": growth / 1024,
    }


def pss_kib(pid: int) -> int:
    """The process's proportional share of resident memory (pages shared with the worker's other
    processes counted in part), in KiB; RSS counts every shared page in full in each process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_times(pid: int) -> tuple[float, float]:
    """Seconds a process has run on a CPU, and waited for one while ready to run (taken by
    other processes: on a shared machine the drain cannot reach its ideal), from schedstat."""
    try:
        ran, waited = Path(f"/proc/{pid}/schedstat").read_text().split()[:2]
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(ran) / 1e9, int(waited) / 1e9


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def p95_ms(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(round(0.95 * len(times))) - 1)] * 1000


def run(quick: bool, argv: list[str] | None = None) -> list[Row]:
    args = parse_args([*(argv or []), *(["--quick"] if quick else [])])
    setup_test_environment()
    old_name = benchsetup.create_database("pdf")
    rows: list[Row] = []
    try:
        # Submissions queue their renders on the broker; this process renders only when asked.
        benchsetup.use_broker(app)
        module = build_module()
        page = build_worksheet(module, "ark", reflections=2)
        long_page = build_worksheet(module, "langt-ark", reflections=4)
        print(f"PDFs: {benchsetup.describe_database()}", flush=True)
        one = [submit_for(page, 100_000 + n) for n in range(args.renders + 3)]
        times, bare = render_and_reference_times(one)
        one_pages = pages_of(one[0])
        print(
            f"(a) worksheet, {len(times)} renders: median {median_ms(times):.0f} ms, "
            f"p95 {p95_ms(times):.0f} ms; WeasyPrint alone {median_ms(bare):.0f} ms "
            f"({one_pages} page{'s' if one_pages > 1 else ''})",
            flush=True,
        )
        if one_pages != 1:
            print(f"    NOTE: the one-page worksheet came out as {one_pages} pages", flush=True)
        rows.append(
            Row(
                "PDF: worksheet with Arabic answers, median warm render (whole task)",
                f"<= {TARGET_MS} ms",
                f"{median_ms(bare):.0f} ms WeasyPrint alone ({one_pages} p.)",
                f"{median_ms(times):.0f} ms (p95 {p95_ms(times):.0f} ms)",
                round(median_ms(times) / median_ms(bare), 2),
                median_ms(times) <= TARGET_MS,
            )
        )
        # Four answers of about 3,400 characters (under the questions' 5,000): several pages.
        long = [
            submit_for(long_page, 200_000 + n, SENTENCES * 24)
            for n in range(max(4, args.renders // 4) + 3)
        ]
        long_times = render_times(long)
        pages = pages_of(long[0])
        ratio = median_ms(long_times) / median_ms(times)
        print(f"(b) {pages}-page worksheet: median {median_ms(long_times):.0f} ms", flush=True)
        rows.append(
            Row(
                f"PDF: {pages}-page worksheet, median warm render",
                "<= 6x the one-page median",
                f"{median_ms(times):.0f} ms one page",
                f"{median_ms(long_times):.0f} ms",
                round(ratio, 2),
                ratio <= 6,
            )
        )
        if not benchsetup.shared_services():
            print("(c) skipped: the drain needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
            return rows
        result = drain(page, args.backlog, args.processes, args.timeout)
        ideal = args.processes / (statistics.median(times))
        print(
            f"(c) {args.backlog} PDFs drained by 1 worker x {args.processes} processes in "
            f"{result['seconds']:.1f} s ({result['rate']:.1f} PDFs/s); peak RSS of a worker "
            f"process {result['peak_mb']:.0f} MB, grown {result['growth_mb']:.1f} MB",
            flush=True,
        )
        print(
            f"    the worker's processes ran {result['ran_s']:.1f} s on a CPU and waited "
            f"{result['waited_s']:.1f} s for one held by other processes; largest PSS of a "
            f"worker process {result['pss_mb']:.0f} MB (its share of pages shared after fork)",
            flush=True,
        )
        rows.append(
            Row(
                f"PDF: {args.backlog} queued PDFs drained by one worker of {args.processes} "
                "processes",
                ">= 90 % of processes / median render",
                f"{ideal:.1f} PDFs/s",
                f"{result['rate']:.1f} PDFs/s",
                round(result["rate"] / ideal, 2),
                result["rate"] >= 0.9 * ideal,
            )
        )
        rows.append(
            Row(
                "PDF: peak RSS of a worker process (VmHWM)",
                f"<= {MAX_RSS_MB} MB",
                "",
                f"{result['peak_mb']:.0f} MB",
                round(result["peak_mb"] / MAX_RSS_MB, 2),
                result["peak_mb"] <= MAX_RSS_MB,
            )
        )
        rows.append(
            Row(
                f"PDF: RSS growth of a worker process over the last 90 % of {args.backlog} renders",
                f"none (<= {GROWTH_MB} MB)",
                "",
                f"{result['growth_mb']:.1f} MB",
                None,
                result["growth_mb"] <= GROWTH_MB,
            )
        )
        return rows
    finally:
        for document in PdfDocument.objects.exclude(file=""):
            document.file.delete(save=False)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    from bench import print_table

    print_table(run("--quick" in sys.argv, [a for a in sys.argv[1:] if a != "--quick"]))
