"""`make bench`: every benchmark in one run, one table, and the same table as ``bench.json``.

    .venv/bin/python scripts/bench.py [--quick] [--only tracking,reports,pdf,pages]

Runs each part (``scripts/bench_<part>.py``: tracking, PDFs, reports, and pages where that
script exists) in a process of its own, so one part's memory, broker settings or failure never
touch the next; each part makes and drops its own throw-away test database. Uses DATABASE_URL /
REDIS_URL when set; the targets are meant for PostgreSQL + Redis. ``--quick`` runs small sizes
(under two minutes); the full sizes take about a quarter of an hour on two cores.

Every part returns rows of ``benchkit.Row``: the metric, the issue's target, the reference
measured in the same run, the measured value, their ratio and pass/fail. ``bench.json`` holds
the rows, each part's printed output (profiles included) and when and where it ran, so two runs
can be compared. The exit status is 1 when a target is not met or a part failed.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from benchkit import Row  # noqa: E402

PARTS = ("tracking", "reports", "pdf", "pages")
OUTPUT = SCRIPTS.parent / "bench.json"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: under two minutes")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where the JSON goes")
    # Internal: run one part in this process and write its rows to a file.
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--rows-to", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def available(part: str) -> bool:
    # The pages part comes with its own script; a branch without it runs the others.
    return (SCRIPTS / f"bench_{part}.py").exists()


def run_part_here(part: str, quick: bool, rows_to: Path) -> None:
    import importlib

    module = importlib.import_module(f"bench_{part}")
    rows = module.run(quick)
    rows_to.write_text(json.dumps([asdict(row) for row in rows]))


def run_part(part: str, quick: bool) -> tuple[list[Row], str, float, int]:
    """The part's rows, its printed output (also shown as it comes), seconds and exit status."""
    rows_to = OUTPUT.with_name(f".bench-{part}-{os.getpid()}.json")
    command = [sys.executable, __file__, "--part", part, "--rows-to", str(rows_to)]
    started = time.perf_counter()
    lines = []
    with subprocess.Popen(  # noqa: S603
        command + (["--quick"] if quick else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            lines.append(line)
    seconds = time.perf_counter() - started
    rows = []
    if rows_to.exists():
        rows = [Row(**row) for row in json.loads(rows_to.read_text())]
        rows_to.unlink()
    return rows, "".join(lines), seconds, process.returncode


def fmt_ratio(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}"


def fmt_passed(passed: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: ""}[passed]


def print_table(rows: list[Row]) -> None:
    header = ("metric", "target", "reference", "measured", "ratio", "result")
    cells = [
        (r.metric, r.target, r.reference, r.measured, fmt_ratio(r.ratio), fmt_passed(r.passed))
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for c in cells:
        print("  ".join(str(v).ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())
    print(flush=True)


def main() -> int:
    args = parse_args()
    if args.part:
        run_part_here(args.part, args.quick, args.rows_to)
        return 0
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown parts: {', '.join(sorted(unknown))}")
    started_at = datetime.now(UTC)
    began = time.perf_counter()
    rows: list[Row] = []
    report: dict[str, dict] = {}
    failed = False
    for part in parts:
        if not available(part):
            print(f"{part}: skipped (no scripts/bench_{part}.py on this branch)")
            continue
        print(f"== {part}{' (quick)' if args.quick else ''}", flush=True)
        part_rows, output, seconds, status = run_part(part, args.quick)
        if status != 0 or not part_rows:
            failed = True
            part_rows.append(
                Row(
                    f"{part}: the benchmark ran to its end",
                    "exit status 0",
                    "",
                    str(status),
                    None,
                    False,
                )
            )
        rows.extend(part_rows)
        report[part] = {"seconds": round(seconds, 1), "exit_status": status, "output": output}
        print_table(part_rows)
        # Written after each part, so a run cut short still leaves what it measured.
        write_json(args, started_at, time.perf_counter() - began, rows, report)
    print(f"== every part{' (quick)' if args.quick else ''}")
    print_table(rows)
    total = time.perf_counter() - began
    print(f"{len(rows)} rows in {total:.0f} s; written to {args.output}")
    write_json(args, started_at, total, rows, report)
    return 1 if failed or any(row.passed is False for row in rows) else 0


def write_json(args, started_at, total: float, rows: list[Row], report: dict) -> None:
    args.output.write_text(
        json.dumps(
            {
                "started_at": started_at.isoformat(timespec="seconds"),
                "seconds": round(total, 1),
                "quick": args.quick,
                "database": os.environ.get("DATABASE_URL", "sqlite").split("@")[-1],
                "broker": os.environ.get("REDIS_URL", "none").split("@")[-1],
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "commit": subprocess.run(  # noqa: S603
                    ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=SCRIPTS,
                ).stdout.strip(),
                "rows": [asdict(row) for row in rows],
                "parts": report,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(main())
