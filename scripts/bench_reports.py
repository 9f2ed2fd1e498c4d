"""Benchmark the completion reports: render and XLSX export over a county's learners, against
a trivial Django view measured in the same run.

    .venv/bin/python scripts/bench_reports.py [--quick] [--learners 10000] [--modules 3]

Runs on whatever DATABASE_URL names (SQLite without it), in a throw-away test database of its
own. Learners are written in bulk by tests/lessons/reports/builders.py (each starts, completes
and attends in a known pattern); then each report is requested as an administrator through
Django's test client, and the median time is compared with a view that returns "ok" through
the same URL resolver and middleware (signed in as the same administrator). The XLSX export's
peak Python memory (tracemalloc), above what an export without rows takes (zlib's window, the
workbook: the same for any export), is compared with what the drill-down's rows take when they
are all held at once: an export that streams stays well below it.
"""

import argparse
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchsetup  # noqa: E402  (sets up Django)
from benchkit import Row  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
)
from django.urls import reverse  # noqa: E402

FULL = {"learners": 10_000, "repeats": 3, "trivial": 100}
QUICK = {"learners": 2_000, "repeats": 2, "trivial": 50}
MAX_RATIO = 20
TRIVIAL = "/bench-trivial/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 learners")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--modules", type=int, default=3)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--trivial", type=int, help="requests to the trivial view")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def trivial_urlconf() -> str:
    """The project's URLs and one view that does nothing (``bench_pages_urls``, shared with the
    page benchmark). Its patterns are the site's own list, not an ``include()``: the site's
    URLconf uses ``i18n_patterns``, which Django allows only at the root."""
    import bench_pages_urls

    return bench_pages_urls.__name__


def timed(client: Client, url: str, repeats: int) -> tuple[float, int, int]:
    """Median milliseconds of ``repeats`` requests, the queries of the last, and its size."""
    times, queries, size = [], 0, 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        queries, size = len(captured), len(body)
    return statistics.median(times), queries, size


def peak_mb(function) -> float:
    """Peak Python memory (tracemalloc) while ``function`` runs, in MB."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(quick: bool, argv: list[str] | None = None) -> list[Row]:
    args = parse_args([*(argv or []), *(["--quick"] if quick else [])])
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    # No setup_test_environment(): its instrumented template rendering copies every context
    # and would be most of what is measured here.
    settings.KV_REQUIRE_2FA_FOR_STAFF = False
    old_name = benchsetup.create_database("reports")
    rows: list[Row] = []
    try:
        from kompetensverkstad.accounts.models import Municipality
        from lessons.reports.drilldown import learner_rows, module_steps
        from tests import factories
        from tests.conftest import make_site
        from tests.lessons.reports.builders import build_county

        per = args.learners // args.municipalities
        names = tuple(f"Kommun {i + 1:02d}" for i in range(args.municipalities))
        print(
            f"reports: {benchsetup.describe_database()}, {per * len(names):,} learners in "
            f"{len(names)} municipalities x {args.modules} modules ...",
            flush=True,
        )
        start = time.perf_counter()
        county = build_county(make_site(), per_municipality=per, names=names, modules=args.modules)
        print(f"  written in {time.perf_counter() - start:.1f} s", flush=True)
        if connection.vendor == "postgresql":
            # Statistics, as autovacuum keeps them on a live database: right after a bulk load
            # the planner guesses dozens of rows where there are 67,500 (nested loops, sorts
            # spilling to disk), which no production database shows for long.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        with override_settings(ROOT_URLCONF=trivial_urlconf()):
            client = Client()
            client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
            report = reverse("kv_reports:completion")
            first = county.municipalities[names[0]]
            module = county.modules[0]
            learners = reverse("kv_reports:learners", args=[first.pk, module.pk])
            client.get(report)  # warm Wagtail's per-process caches
            timed(client, TRIVIAL, 10)
            trivial_ms, _q, _s = timed(client, TRIVIAL, args.trivial)
            # The floor of any admin page: Wagtail's own report of locked pages (none here).
            locked = reverse("wagtailadmin_reports:locked_pages")
            timed(client, locked, 2)
            floor_ms, _q, _s = timed(client, locked, args.repeats * 3)
            print(
                f"  trivial view: {trivial_ms:.1f} ms; Wagtail's empty locked-pages report: "
                f"{floor_ms:.0f} ms",
                flush=True,
            )
            rows.append(
                Row(
                    "admin floor: Wagtail's own locked-pages report (empty), render",
                    "",
                    f"{trivial_ms:.1f} ms trivial view",
                    f"{floor_ms:.0f} ms",
                    round(floor_ms / trivial_ms, 1),
                    None,
                )
            )
            cases = [
                ("per municipality x module", report + "?"),
                ("per county x module", report + "?group_by=county&"),
                ("per job title x module", report + "?group_by=job_title&"),
                (
                    "period + module filter",
                    report + f"?module={module.pk}"
                    "&period_after=2026-03-01&period_before=2026-03-05&",
                ),
                (f"drill-down ({per:,} learners)", learners + "?"),
            ]
            print(
                f"\n  {'report':<32}{'render ms':>10}{'queries':>9}{'xlsx ms':>10}{'queries':>9}"
                f"{'xlsx KB':>9}"
            )
            for label, url in cases:
                render_ms, render_q, _size = timed(client, url, args.repeats)
                xlsx_ms, xlsx_q, size = timed(client, url + "export=xlsx", args.repeats)
                print(
                    f"  {label:<32}{render_ms:>10.0f}{render_q:>9}{xlsx_ms:>10.0f}{xlsx_q:>9}"
                    f"{size / 1024:>9.0f}",
                    flush=True,
                )
                ratio = render_ms / trivial_ms
                rows.append(
                    Row(
                        f"report over {per * len(names):,} learners: {label}, render",
                        f"<= {MAX_RATIO}x the trivial view",
                        f"{trivial_ms:.1f} ms trivial view",
                        f"{render_ms:.0f} ms = {render_ms / floor_ms:.1f}x admin floor, "
                        f"{render_q} queries (xlsx {xlsx_ms:.0f} ms)",
                        round(ratio, 1),
                        ratio <= MAX_RATIO,
                    )
                )

            print(
                "\n  profile of one render (per municipality x module), by own time:\n"
                + benchsetup.profile_top(lambda: client.get(report), top=15)
                + "\n\n  and by cumulative time:\n"
                + benchsetup.profile_top(lambda: client.get(report), top=25, sort="cumulative"),
                flush=True,
            )
            steps = module_steps(module)
            held = peak_mb(lambda: list(learner_rows(first, module, steps)))

            def export(url: str) -> None:
                response = client.get(url + "?export=xlsx")
                for _chunk in response.streaming_content if response.streaming else []:
                    pass

            # What any export costs whatever its rows (zlib's deflate window, about 256 KB, the
            # workbook, the view): the same export of a municipality without staff. The rows'
            # share is the peak above it; a streaming export keeps that well below all rows.
            empty = Municipality.objects.create(name="Kommun utan personal", county="kalmar")
            empty_url = reverse("kv_reports:learners", args=[empty.pk, module.pk])
            export(empty_url)
            fixed = peak_mb(lambda: export(empty_url))
            export_peak = peak_mb(lambda: export(learners))
        ratio = (export_peak - fixed) / held
        print(
            f"  drill-down XLSX export: peak {export_peak:.2f} MB of Python memory, of which "
            f"{fixed:.2f} MB any export takes (none of staff); its {per:,} rows held at once "
            f"take {held:.2f} MB",
            flush=True,
        )
        rows.append(
            Row(
                f"report: drill-down XLSX export ({per:,} learners), peak Python memory",
                "streams: above an empty export, well below all rows held (<= 0.5x)",
                f"{held:.2f} MB rows held at once",
                f"{export_peak:.2f} MB, {export_peak - fixed:.2f} MB above an empty export",
                round(ratio, 2),
                ratio <= 0.5,
            )
        )
        return rows
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    from bench import print_table

    print_table(run("--quick" in sys.argv, [a for a in sys.argv[1:] if a != "--quick"]))
