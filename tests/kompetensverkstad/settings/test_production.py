"""Production settings: refuse to start without secrets, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = "kompetensverkstad.settings.production"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python in the project with only the environment given (no inherited secrets)."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SETUP = ["-c", "import django; django.setup()"]


def test_production_refuses_to_start_without_secret_key():
    result = run(SETUP, ALLOWED_HOSTS="kompetensverkstad.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Miljövariabeln SECRET_KEY måste vara satt" in result.stderr


def test_production_refuses_a_blank_secret_key():
    result = run(SETUP, SECRET_KEY="   ", ALLOWED_HOSTS="kompetensverkstad.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(SETUP, SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode != 0
    assert "Miljövariabeln ALLOWED_HOSTS måste vara satt" in result.stderr


def test_production_starts_with_its_secrets():
    result = run(
        [*SETUP[:1], SETUP[1] + "; from django.conf import settings; print(settings.DEBUG)"],
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kompetensverkstad.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_passes_deploy_checks_without_warnings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kompetensverkstad.example.org,www.kompetensverkstad.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
