"""Benchmark the pages: anonymous public pages and signed-in step pages under gunicorn, against a
trivial Django view measured in the same run, plus the queries each page costs with a cold cache.

    .venv/bin/python scripts/bench_pages.py [--quick]

Needs DATABASE_URL naming PostgreSQL and REDIS_URL naming Redis. Nothing of theirs is touched:
the demo site is built once into a template database (``kv_bench_pages_tpl_<hash>``, rebuilt when
a migration or the demo content changes), each run works on a copy (``kv_bench_pages``) dropped
at the end, and the server's cache and broker are Redis database 13 of the same server.

The server is gunicorn with 2 sync workers and the production settings (throw-away secrets from
here; scripts/bench_pages_settings.py adds only the reference view and a static folder). The
load comes from ``wrk`` (Debian: ``apt-get install wrk``) in a second process on loopback; with
no wrk, a small Python load generator (threads, bounded in time) stands in, and says so — it may
cap the reference, so its ratios are less strict.

Targets (issue 14): each anonymous page >= 40 % of the trivial view's requests per second,
signed-in step pages >= 10 %; queries per page <= 10 anonymous, <= 12 signed in (cold cache).
``run(quick)`` returns the rows for ``make bench``; run alone it prints them.
"""

import argparse
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

from benchkit import Row  # noqa: E402

PYTHON = sys.executable
BENCH_DB = "kv_bench_pages"
TEMPLATE_PREFIX = "kv_bench_pages_tpl_"
REDIS_DB = 13
ANONYMOUS_SHARE = 0.40
SIGNED_IN_SHARE = 0.10
MAX_ANONYMOUS_QUERIES = 10
MAX_SIGNED_IN_QUERIES = 12
RENDERED_TOO = ("home", "lecture", "catalogue with filters")
UNKNOWN_SESSION = "sessionid=no-such-session"
CONNECTIONS = 4  # two sync workers: a little more than two keeps both busy
STATIC_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kv-bench-static"


# --- Helper mode: runs with Django on the benchmark's database (a subprocess of run()) -------


def helper() -> None:
    """Print the URLs to load, a learner's session and the cold-cache queries of each page."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kompetensverkstad.pages import HomePage, StandardPage
    from lessons.models import (
        LessonsLearnedPage,
        ModulePage,
        ModuleStep,
        ProjectIndexPage,
        ProjectPage,
    )

    module = ModulePage.objects.live().order_by("path").first()
    steps = {s.kind: s.page.url for s in module.steps.select_related("page") if s.page_id}
    index = ProjectIndexPage.objects.live().first()
    project = ProjectPage.objects.live().order_by("path").first()
    step_pages = set(ModuleStep.objects.exclude(page=None).values_list("page_id", flat=True))
    lessons = (
        LessonsLearnedPage.objects.live().exclude(pk__in=step_pages).first()
        or LessonsLearnedPage.objects.live().first()
    )
    info = StandardPage.objects.live().order_by("path").first()
    year = project.start_date.year
    anonymous = {
        "home": HomePage.objects.live().first().url,
        "module": module.url,
        "lecture": steps[ModuleStep.Kind.LECTURE],
        "lessons-learned": lessons.url,
        "catalogue with filters": f"{index.url}?region={project.region}&ar={year}",
        "project": project.url,
        "information page": info.url,
    }
    signed_in = {
        f"{kind} step": steps[kind]
        for kind in (ModuleStep.Kind.LECTURE, ModuleStep.Kind.WORKSHEET, ModuleStep.Kind.ARTICLE)
        if kind in steps
    }

    learner = get_user_model().objects.get(username="larande")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(learner.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    store.create()

    def queries(client: Client, url: str) -> int:
        client.get(url)  # renditions are made on the first view
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    anonymous_client = Client()
    learner_client = Client()
    learner_client.force_login(learner)
    counts = {
        "anonymous": {name: queries(anonymous_client, url) for name, url in anonymous.items()},
        "signed in": {name: queries(learner_client, url) for name, url in signed_in.items()},
    }
    cache.clear()
    print(
        json.dumps(
            {
                "anonymous": anonymous,
                "signed_in": signed_in,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
                "queries": counts,
            }
        )
    )


# --- Database, Redis, static files --------------------------------------------------------------


def _postgres(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")).replace("postgres://", "postgresql://", 1),
        autocommit=True,
    )


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _content_hash() -> str:
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + sorted(
        (ROOT / "kompetensverkstad" / "demo").rglob("*.py")
    )
    files += sorted(ROOT.glob("*/*/demo.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _manage(env: dict, *args: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def prepare_database(database_url: str, env: dict) -> str:
    """A fresh copy of the demo site; the template is built the first time (migrate + demo)."""
    template = TEMPLATE_PREFIX + _content_hash()
    with _postgres(database_url) as pg:
        names = {r[0] for r in pg.execute("SELECT datname FROM pg_database").fetchall()}
        if template not in names:
            for old in names:
                if old.startswith(TEMPLATE_PREFIX):
                    pg.execute(f'DROP DATABASE "{old}"')
            print(f"bench_pages: building the demo site into {template} (once)", file=sys.stderr)
            pg.execute(f'CREATE DATABASE "{template}"')
            build_env = {**env, "DATABASE_URL": _with_db(database_url, template)}
            try:
                _manage(build_env, "migrate", "--noinput")
                _manage(build_env, "load_demo", "--verbosity", "0")
            except Exception:
                pg.execute(f'DROP DATABASE IF EXISTS "{template}"')
                raise
        pg.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        pg.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{template}"')
    return _with_db(database_url, BENCH_DB)


def drop_database(database_url: str) -> None:
    with _postgres(database_url) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def prepare_static(env: dict) -> None:
    """The manifest the templates' {% static %} needs: collected again only when a static file
    of the project is newer than it (Wagtail's own change only with an upgrade)."""
    manifest = STATIC_CACHE / "staticfiles.json"
    sources = [p for d in ROOT.glob("*/static") for p in d.rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- The server and the load --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--pythonpath",
            f"{SCRIPTS},{ROOT}",
            "kompetensverkstad.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            status, _, _ = get(port, "/bench-trivial/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def get(port: int, url: str, cookie: str = "") -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def load_wrk(port: int, url: str, seconds: float, cookie: str) -> tuple[float, int]:
    # wrk takes whole seconds.
    duration = f"{max(1, round(seconds))}s"
    command = ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", duration, "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(  # noqa: S603 - wrk on loopback, our arguments
        [*command, f"http://127.0.0.1:{port}{url}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", result.stdout)
    if rate is None:
        raise RuntimeError(f"wrk gave no rate: {result.stdout}{result.stderr}")
    failed = (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0)
    return float(rate.group(1)), failed


def load_python(port: int, url: str, seconds: float, cookie: str) -> tuple[float, int]:
    """Stand-in for wrk: CONNECTIONS threads on loopback for ``seconds``, nothing more."""
    done = [0] * CONNECTIONS
    failed = [0] * CONNECTIONS
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            try:
                status, _, _ = get(port, url, cookie)
            except OSError:
                failed[i] += 1
                continue
            done[i] += 1
            failed[i] += status != 200

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - start), sum(failed)


# --- The run ------------------------------------------------------------------------------------


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.0f} %"


def run(quick: bool) -> list[Row]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        return [
            Row(
                "pages: throughput under gunicorn",
                "needs PostgreSQL and Redis",
                "",
                "not measured: set DATABASE_URL (PostgreSQL) and REDIS_URL",
                None,
                None,
            )
        ]
    # Full: two rounds of 3 s per page and reference (the whole bench stays under 15 minutes);
    # quick: one round of 1 s, and no pages rendered without the cache (no target on them).
    seconds, rounds = (1.0, 1) if quick else (3.0, 2)
    if shutil.which("wrk"):
        load = load_wrk
    else:
        print(
            "bench_pages: wrk is not installed (apt-get install wrk); using the Python load "
            "generator, which may cap the reference view and so flatter the ratios.",
            file=sys.stderr,
        )
        load = load_python
    cache_url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{REDIS_DB}"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XAPI_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "bench_pages_settings",
        "PYTHONPATH": f"{SCRIPTS}{os.pathsep}{ROOT}",
        "SECRET_KEY": secrets.token_urlsafe(40),  # throw-away, this run only
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "KV_REQUIRE_2FA_FOR_STAFF": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": cache_url,
        "KV_BENCH_STATIC_ROOT": str(STATIC_CACHE),
    }
    env["DATABASE_URL"] = prepare_database(database_url, env)
    server = helper_run = None
    try:
        flush_redis(cache_url)
        prepare_static(env)
        # The helper (URLs, the learner's session, queries per page) runs while gunicorn starts.
        helper_run = subprocess.Popen(  # noqa: S603 - this script as the helper
            [PYTHON, str(Path(__file__).resolve()), "--helper"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        server = start_server(env, free_port())
        out, err = helper_run.communicate(timeout=600)
        if helper_run.returncode:
            raise RuntimeError(f"bench_pages helper failed:\n{err[-3000:]}")
        info = json.loads(out.strip().splitlines()[-1])
        port = int(server.args[server.args.index("--bind") + 1].rsplit(":", 1)[1])
        return _measure_all(load, port, seconds, rounds, info, rendered_too=not quick)
    finally:
        if helper_run is not None and helper_run.poll() is None:
            helper_run.kill()
            helper_run.wait()
        if server is not None:
            stop_server(server)
        flush_redis(cache_url)
        drop_database(database_url)


def _measure_all(
    load, port: int, seconds: float, rounds: int, info: dict, rendered_too: bool = True
) -> list[Row]:
    cookie = info["cookie"]
    # Each page is checked before it is loaded: a hit from the cache for anonymous visitors,
    # the learner's own page (signed in, never from the cache) for the signed-in ones.
    problems: dict[str, str] = {}
    for name, url in info["anonymous"].items():
        get(port, url)
        status, headers, body = get(port, url)
        if status != 200 or headers.get("x-page-cache") != "hit" or "Logga ut" in body:
            problems[name] = f"status {status}, cache {headers.get('x-page-cache')}"
    for name, url in info["signed_in"].items():
        status, headers, body = get(port, url, cookie)
        if status != 200 or "x-page-cache" in headers or "Logga ut" not in body:
            problems[name] = f"status {status}, not the learner's own page"

    # The machine is shared, so the load on it drifts: each page is measured in rounds that
    # alternate with the trivial view, and compared with the reference of its own rounds.
    load(port, "/bench-trivial/", 1.0, "")
    rows = []
    references = []
    pages = [("anonymous", name, url, "") for name, url in info["anonymous"].items()]
    pages += [("signed in", name, url, cookie) for name, url in info["signed_in"].items()]
    # What the page cache buys: a few anonymous pages rendered every time (a session cookie
    # that names no session makes the cache step aside; no target, for comparison).
    pages += [
        ("rendered", name, info["anonymous"][name], UNKNOWN_SESSION)
        for name in RENDERED_TOO
        if rendered_too and name in info["anonymous"]
    ]
    for who, name, url, page_cookie in pages:
        load(port, url, 1.0, page_cookie)  # warm: caches, renditions, connections
        trivial = page = 0.0
        failed = 0
        for _ in range(rounds):
            trivial += load(port, "/bench-trivial/", seconds, "")[0]
            rate, bad = load(port, url, seconds, page_cookie)
            page += rate
            failed += bad
        reference, rate = trivial / rounds, page / rounds
        references.append(reference)
        ratio = rate / reference if reference else 0.0
        note = f", {failed} failed" if failed else ""
        if who == "rendered":
            rows.append(
                Row(
                    f"pages: anonymous {name} rendered without the page cache, requests/s",
                    "",
                    f"{reference:.0f} req/s",
                    f"{rate:.0f} req/s{note}",
                    round(ratio, 3),
                    None,
                )
            )
            continue
        share = ANONYMOUS_SHARE if who == "anonymous" else SIGNED_IN_SHARE
        if name in problems:
            note += f", {problems[name]}"
        rows.append(
            Row(
                f"pages: {who} {name}, requests/s",
                f">= {_pct(share)} of the trivial view",
                f"{reference:.0f} req/s",
                f"{rate:.0f} req/s{note}",
                round(ratio, 3),
                ratio >= share and not failed and name not in problems,
            )
        )
    rows.insert(
        0,
        Row(
            "pages: trivial Django view, requests/s (reference, same middleware)",
            "",
            "",
            f"{min(references):.0f}–{max(references):.0f} req/s over the run",
            None,
            None,
        ),
    )
    for who, counts in info["queries"].items():
        limit = MAX_ANONYMOUS_QUERIES if who == "anonymous" else MAX_SIGNED_IN_QUERIES
        for name, count in counts.items():
            rows.append(
                Row(
                    f"pages: queries, {who} {name} (cold cache)",
                    f"<= {limit}",
                    "",
                    f"{count} queries",
                    None,
                    count <= limit,
                )
            )
    return rows


def print_rows(rows: list[Row]) -> None:
    headers = ("metric", "target", "reference", "measured", "ratio", "pass")
    table = [
        (
            r.metric,
            r.target,
            r.reference,
            r.measured,
            "" if r.ratio is None else f"{r.ratio:.2f}",
            {True: "pass", False: "FAIL", None: ""}[r.passed],
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table, strict=True)]
    for line in (headers, *table):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s a page, not 3 of 3 s")
    parser.add_argument("--helper", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.helper:
        helper()
        return
    started = time.monotonic()
    print_rows(run(args.quick))
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
