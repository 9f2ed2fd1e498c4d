"""Production as a fresh process starts it, shared by the tests that read what it decides.

Starting Django costs seconds here, so the processes that only read production's decisions run
once for the whole run and the tests share what they printed: one start that prints the settings
the tests look at (``production_values``), and one ``check --deploy``.
"""

import json
import subprocess

import pytest

from .production import PRODUCTION_REDIS, PRODUCTION_SETTINGS, manage, with_secrets


@pytest.fixture(scope="session")
def production_start() -> subprocess.CompletedProcess:
    """Production started (``django.setup()`` through ``manage.py shell``) with its secrets and a
    Redis URL, printing the settings of ``PRODUCTION_SETTINGS`` as one JSON line."""
    names = repr(PRODUCTION_SETTINGS)
    code = (
        "import json; from django.conf import settings; "
        f"print('SETTINGS=' + json.dumps({{n: getattr(settings, n) for n in {names}}}))"
    )
    return manage("shell", "-c", code, env=with_secrets(REDIS_URL=PRODUCTION_REDIS))


@pytest.fixture(scope="session")
def production_values(production_start) -> dict:
    assert production_start.returncode == 0, production_start.stderr
    line = next(x for x in production_start.stdout.splitlines() if x.startswith("SETTINGS="))
    values = json.loads(line.removeprefix("SETTINGS="))
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture(scope="session")
def deploy_check() -> subprocess.CompletedProcess:
    """``manage.py check --deploy --fail-level WARNING`` under production with its secrets."""
    return manage("check", "--deploy", "--fail-level", "WARNING", env=with_secrets())
