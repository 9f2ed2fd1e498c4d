"""Benchmark the completion reports: render and XLSX export times over a county's learners.

    .venv/bin/python scripts/bench_reports.py [--learners 10000] [--modules 3] [--municipalities 10]

Runs on whatever DATABASE_URL names (SQLite without it), in a throw-away test database created
and destroyed here. Learners are written in bulk by tests/lessons/reports/builders.py (each
starts, completes and attends in a known pattern); then each report is requested as an
administrator through Django's test client, three times, and the median time is printed with
the number of queries. Milliseconds are this machine's; the query counts must not grow with
the learners (the tests assert that at two sizes).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "kompetensverkstad.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

REPEATS = 3


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--modules", type=int, default=3)
    parser.add_argument("--municipalities", type=int, default=10)
    return parser.parse_args()


def create_database() -> str:
    if connection.vendor == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="kv-bench-reports-")) / "bench.sqlite3"
        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})["NAME"] = str(path)
        connection.settings_dict.update(db)
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def describe_database() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (file)"


def timed(client: Client, url: str) -> tuple[float, int, int]:
    """Median milliseconds of REPEATS requests, the queries of the last, and its size."""
    times, queries, size = [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        queries, size = len(captured), len(body)
    return statistics.median(times), queries, size


def main() -> int:
    args = parse_args()
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    setup_test_environment()
    settings.KV_REQUIRE_2FA_FOR_STAFF = False
    old_name = create_database()
    try:
        from tests import factories
        from tests.conftest import make_site
        from tests.lessons.reports.builders import build_county

        per = args.learners // args.municipalities
        names = tuple(f"Kommun {i + 1:02d}" for i in range(args.municipalities))
        print(f"database: {describe_database()}   python: {sys.version.split()[0]}")
        print(
            f"\ncompletion reports: {per * len(names):,} learners in {len(names)} municipalities"
            f" x {args.modules} modules ...",
            flush=True,
        )
        start = time.perf_counter()
        county = build_county(make_site(), per_municipality=per, names=names, modules=args.modules)
        print(f"  written in {time.perf_counter() - start:.1f} s")

        client = Client()
        client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
        report = reverse("kv_reports:completion")
        first = county.municipalities[names[0]]
        learners = reverse("kv_reports:learners", args=[first.pk, county.modules[0].pk])
        client.get(report)  # warm Wagtail's per-process caches
        cases = [
            ("per municipality x module", report + "?"),
            ("per county x module", report + "?group_by=county&"),
            ("per job title x module", report + "?group_by=job_title&"),
            (
                "period + module filter",
                report + f"?module={county.modules[0].pk}"
                "&period_after=2026-03-01&period_before=2026-03-05&",
            ),
            (f"drill-down ({per:,} learners)", learners + "?"),
        ]
        print(
            f"\n  {'report':<32}{'render ms':>10}{'queries':>9}{'xlsx ms':>10}{'queries':>9}"
            f"{'xlsx KB':>9}"
        )
        for label, url in cases:
            render_ms, render_q, _size = timed(client, url)
            xlsx_ms, xlsx_q, size = timed(client, url + "export=xlsx")
            print(
                f"  {label:<32}{render_ms:>10.0f}{render_q:>9}{xlsx_ms:>10.0f}{xlsx_q:>9}"
                f"{size / 1024:>9.0f}",
                flush=True,
            )
        return 0
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
