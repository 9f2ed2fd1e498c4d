"""Learning records delivered to a real LRS: Ralph's LRS server (file-system backend, appending:
see ``ralph_lrs``) started on a free port, the real Celery worker sending, the statements read
back from Ralph's ``GET /xAPI/statements``.

Skipped when Ralph is not installed (it is in the test extras) and on SQLite (see
``needs_postgresql_and_redis``); CI runs them on PostgreSQL and Redis.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lessons.learning.models import LearningEvent
from lessons.learning.recording import record_step_completed
from tests import factories
from tests.factories import Kind, build_module, steps_of

from .conftest import committed_db, needs_postgresql_and_redis, wait_for

pytest.importorskip(
    "ralph.backends.lrs.fs", reason="ralph-malph (the test extras) is not installed"
)
bcrypt = pytest.importorskip("bcrypt")

pytestmark = needs_postgresql_and_redis

USER, PASSWORD = "kompetensverkstad", "lrs-test-password"
ROOT = Path(__file__).resolve().parents[2]


class Ralph:
    def __init__(self, folder) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        auth = folder / "auth.json"
        auth.write_text(
            json.dumps(
                [
                    {
                        "username": USER,
                        "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode(),
                        "scopes": ["all"],
                        "agent": {"mbox": "mailto:lrs@example.org", "objectType": "Agent"},
                    }
                ]
            )
        )
        self.env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_AUTH_FILE": str(auth),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
            "RALPH_APP_DIR": str(folder / "app"),
        }
        self.log = folder / "ralph.log"
        self.process = None
        self._log_file = None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def start(self) -> None:
        self._log_file = self.log.open("ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.integration.ralph_lrs:app",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=1
                ):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Ralph's LRS did not start:\n{self.log_tail()}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self._log_file:
            self._log_file.close()
            self._log_file = None

    def statements(self) -> list[dict]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310
            self.url + "statements?limit=500",
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())["statements"]


@pytest.fixture
def ralph(tmp_path, settings):
    server = Ralph(tmp_path)
    server.start()
    settings.XAPI_LRS_URL = server.url
    settings.XAPI_LRS_USERNAME = USER
    settings.XAPI_LRS_PASSWORD = PASSWORD
    try:
        yield server
    finally:
        server.stop()


def all_sent() -> bool:
    return not LearningEvent.objects.filter(sent_at__isnull=True).exists()


def wait_until_sent(ralph: Ralph, timeout: float, what: str) -> None:
    try:
        wait_for(all_sent, timeout=timeout, what=what)
    except pytest.fail.Exception:
        print(f"Ralph's log:\n{ralph.log_tail()}")
        raise


def take_module(home, learner):
    module = build_module(home, [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler")
    for step in steps_of(module):
        record_step_completed(learner, step, verb=LearningEvent.Verb.COMPLETED)
    return module


@committed_db
def test_a_learners_whole_module_is_read_back_from_ralph(home, ralph, worker, client):
    learner = factories.UserFactory(email="amina@example.org")
    module = build_module(home, [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler")
    client.force_login(learner)
    for step in steps_of(module):
        # Opening each step's page launches it (twice: the second view writes nothing).
        assert client.get(step.page.url).status_code == 200
        assert client.get(step.page.url).status_code == 200
        record_step_completed(learner, step, verb=LearningEvent.Verb.COMPLETED)
    # Three launched, three steps done and the module (the worker evaluates completion).
    wait_for(lambda: LearningEvent.objects.count() == 7, what="the module's completion")
    wait_until_sent(ralph, 30, "every statement sent")

    stored = ralph.statements()
    ids = {str(i) for i in LearningEvent.objects.values_list("statement_id", flat=True)}
    # Each of the seven once: the worker delivered them in several batches as they were written.
    assert len(stored) == 7
    assert sorted(s["id"] for s in stored) == sorted(ids)
    assert all("amina" not in json.dumps(s) for s in stored)
    verbs = [s["verb"]["id"] for s in stored]
    assert sorted(set(verbs)) == [
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/launched",
    ]
    assert verbs.count("http://adlnet.gov/expapi/verbs/launched") == 3
    print(f"xAPI: {len(stored)} statements delivered and read back from Ralph")


@committed_db
def test_ralph_stopped_while_learners_work_loses_nothing_and_sends_once(home, ralph, worker):
    from kompetensverkstad.jobs.tasks import sweep_pending_work

    ralph.stop()
    learners = [factories.UserFactory() for _ in range(3)]
    module = None
    for learner in learners:
        module = take_module(home, learner) if module is None else module
        if learner is not learners[0]:
            for step in steps_of(module):
                record_step_completed(learner, step)
    wait_for(lambda: LearningEvent.objects.count() == 12, what="all events written")
    time.sleep(1)
    assert LearningEvent.objects.filter(sent_at__isnull=True).count() == 12

    ralph.start()
    sweep_pending_work.delay(min_age_seconds=0)
    wait_until_sent(ralph, 60, "every statement sent after Ralph is back")

    stored = ralph.statements()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)) == 12
    assert set(ids) == {
        str(i) for i in LearningEvent.objects.values_list("statement_id", flat=True)
    }
    print(f"xAPI after outage: {len(ids)} statements delivered once and read back")
