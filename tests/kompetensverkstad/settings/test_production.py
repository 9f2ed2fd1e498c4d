"""Production settings: refuse to start without secrets, start with them, and pass Django's
deployment checks (the start and the check are processes shared with other tests, started once:
tests/kompetensverkstad/conftest.py)."""

import secrets

from tests.kompetensverkstad.production import production_env, run

SETUP = ["-c", "import django; django.setup()"]


def test_production_refuses_to_start_without_secret_key():
    result = run(SETUP, production_env(ALLOWED_HOSTS="kompetensverkstad.example.org"))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Miljövariabeln SECRET_KEY måste vara satt" in result.stderr


def test_production_refuses_a_blank_secret_key():
    result = run(
        SETUP, production_env(SECRET_KEY="   ", ALLOWED_HOSTS="kompetensverkstad.example.org")
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(SETUP, production_env(SECRET_KEY=secrets.token_urlsafe(50)))

    assert result.returncode != 0
    assert "Miljövariabeln ALLOWED_HOSTS måste vara satt" in result.stderr


def test_production_starts_with_its_secrets(production_start, production_values):
    assert production_start.returncode == 0, production_start.stderr
    assert production_values["DEBUG"] is False
    assert production_values["ALLOWED_HOSTS"] == [
        "kompetensverkstad.example.org",
        "www.kompetensverkstad.example.org",
    ]


def test_production_passes_deploy_checks_without_warnings(deploy_check):
    result = deploy_check

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
