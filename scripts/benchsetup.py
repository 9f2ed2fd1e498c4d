"""What the benchmark scripts need around Django: a throw-away database, the broker, a real
worker process, memory of processes and a profile's top costs.

Imported first by every bench script: it puts the project on the path and sets up Django with
the test settings (tasks run by the worker the script starts, never in the recording process).
"""

import cProfile
import hashlib
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "kompetensverkstad.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

# A worker process of the project's Celery app, with the bench's broker and queues. The test
# settings run tasks eagerly; a worker must publish what it enqueues (certificates) instead.
WORKER_CODE = """
import json, os, sys
from kompetensverkstad.celery import app
app.conf.task_always_eager = False
app.conf.broker_url = os.environ["REDIS_URL"]
app.conf.task_routes = json.loads(os.environ.get("KV_BENCH_ROUTES", "{}"))
app.worker_main(["worker", *sys.argv[1:]])
"""


def create_database(suffix: str) -> str:
    """A fresh test database of this script's own (``test_<name>_<suffix>``); the old name.

    SQLite gets a file in WAL mode so several threads can write.
    """
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = Path(tempfile.mkdtemp(prefix=f"kv-bench-{suffix}-")) / "bench.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(path)
        db["OPTIONS"] = {
            **db.get("OPTIONS", {}),
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        connection.settings_dict.update(db)
        return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return _copy_of_migrated_template(f"test_{db['NAME']}_{suffix}")


TEMPLATE_PREFIX = "kv_bench_migrated_"


def _migrations_hash() -> str:
    """Changes with any migration of the project's or the installed Django and Wagtail."""
    import wagtail

    digest = hashlib.sha256(f"{django.__version__} {wagtail.__version__}".encode())
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _copy_of_migrated_template(name: str) -> str:
    """PostgreSQL: the test database ``name`` as a copy of a migrated template (made once per
    set of migrations, ~20 s; a copy takes well under a second). Returns the old name, like
    ``create_test_db``, so ``destroy_test_db`` drops the copy as it drops a test database."""
    old_name = connection.settings_dict["NAME"]
    template = TEMPLATE_PREFIX + _migrations_hash()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [TEMPLATE_PREFIX + "%"]
        )
        existing = {row[0] for row in cursor.fetchall()}
    if template not in existing:
        for stale in existing:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = template
        connection.settings_dict.setdefault("TEST", {})["NAME"] = template
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
        settings.DATABASES["default"]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    return old_name


def describe_database() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (file, WAL)"


def shared_services() -> bool:
    """A worker in another process needs a database and a broker it can share."""
    return connection.vendor == "postgresql" and bool(settings.REDIS_URL)


def database_url() -> str:
    """The test database as a URL, for the worker processes started here."""
    params = connection.settings_dict
    return (
        f"postgres://{params.get('USER') or 'postgres'}@{params.get('HOST') or '127.0.0.1'}:"
        f"{params.get('PORT') or 5432}/{params['NAME']}"
    )


def use_broker(app) -> str:
    """Point the app at REDIS_URL (the memory transport without it) and empty its queues."""
    url = settings.REDIS_URL or "memory://"
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.worker_hijack_root_logger = False
    app._pool = None
    app.amqp._producer_pool = None
    if url.startswith("redis"):
        app.control.purge()
    return url


def start_worker_process(
    queues: list[str], concurrency: int, routes: dict | None = None, pool: str = "prefork"
) -> subprocess.Popen:
    """``celery worker`` in a process of its own, on this script's test database."""
    import json

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "KV_BENCH_ROUTES": json.dumps(routes or {}),
    }
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            WORKER_CODE,
            "-P",
            pool,
            "-c",
            str(concurrency),
            "-Q",
            ",".join(queues),
            "--loglevel",
            "ERROR",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def process_tree(pid: int) -> list[int]:
    children = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return [pid, *map(int, children)]


def memory_kib(pid: int, field: str) -> int:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of a process, in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def profile_top(function: Callable[[], object], top: int = 12, sort: str = "tottime") -> str:
    """Run ``function`` under cProfile; its ``top`` costliest functions (``sort``: by own time,
    or "cumulative" with what they call)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        function()
    finally:
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    summary = next((line.strip() for line in lines if "function calls" in line), "")
    return "\n".join([summary, *lines[start:]]).rstrip()
