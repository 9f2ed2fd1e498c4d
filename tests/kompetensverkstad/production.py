"""The production profile as a fresh process starts it: settings read the environment at import,
so the test process's own settings (the test profile) say nothing about production's. The
processes every test shares are fixtures in tests/kompetensverkstad/conftest.py."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = "kompetensverkstad.settings.production"
# What production is started with in ``production_values``: its two required secrets, and a
# Redis (never connected to at start) so the cache and broker settings are production's own.
PRODUCTION_HOSTS = "kompetensverkstad.example.org,www.kompetensverkstad.example.org"
PRODUCTION_REDIS = "redis://cache.example.org:6379/3"
# What the production profile decides and the tests read, printed by one start.
PRODUCTION_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "KV_REQUIRE_2FA_FOR_STAFF",
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "CACHES",
    "CELERY_BROKER_URL",
]


def production_env(**env: str) -> dict[str, str]:
    """Only what is given, on top of a PATH and the production settings module: no secret, host,
    database or flag is inherited from the environment the tests run in."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }


def with_secrets(**env: str) -> dict[str, str]:
    return production_env(
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=PRODUCTION_HOSTS, **env
    )


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Our own interpreter in the project folder, with exactly ``env``."""
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([str(BASE_DIR / "manage.py"), *args], env)
