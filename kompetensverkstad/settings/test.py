import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

# The suite runs in parallel processes (pytest-xdist: PYTEST_XDIST_WORKER is gw0, gw1, ...).
# pytest-django gives each its own test database; here each also gets a Redis database of its
# own, so one process's Celery worker never takes another's tasks and a cache.clear() empties
# only its own keys. Processes a test starts inherit the shifted URL and the marker, and keep
# whatever REDIS_URL the test gives them.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and os.environ.get("REDIS_URL") and "KV_TEST_REDIS_SHIFTED" not in os.environ:
    _redis = urlsplit(os.environ["REDIS_URL"])
    _db = int(_redis.path.strip("/") or 0) + 1 + int(_WORKER.removeprefix("gw"))
    os.environ["REDIS_URL"] = _redis._replace(path=f"/{_db}").geturl()
    os.environ["KV_TEST_REDIS_SHIFTED"] = "1"

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
SERVE_MEDIA = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Files of one test run in a folder of their own: each run's database numbers rows from 1 again,
# and a file left by an earlier (or a parallel) run would make storage rename the new one. The
# folder is handed to the worker processes the integration tests start through the environment,
# and only the process that made it removes it.
if "KV_TEST_FILES" not in os.environ:
    os.environ["KV_TEST_FILES"] = tempfile.mkdtemp(prefix="kv-test-files-")
    atexit.register(shutil.rmtree, os.environ["KV_TEST_FILES"], ignore_errors=True)
# Parallel processes share the folder (made before they start) and keep a subfolder each.
_TEST_FILES = Path(os.environ["KV_TEST_FILES"]) / (_WORKER or "main")
MEDIA_ROOT = _TEST_FILES / "media"
PRIVATE_MEDIA_ROOT = _TEST_FILES / "private"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Most tests change content straight in the database and read it back at once; the page cache
# is switched on where it is tested (tests/kompetensverkstad/test_page_cache.py).
KV_PAGE_CACHE_SECONDS = 0

# Unit tests run tasks in-process after commit whatever REDIS_URL says; the integration tests
# (tests/integration) switch the app to the broker that REDIS_URL names and start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False

# Hardening: the second factor for staff is tested where it is switched on
# (tests/kompetensverkstad/accounts/test_two_factor.py); the rest of the suite signs staff in
# with a password alone, whatever the environment says.
KV_REQUIRE_2FA_FOR_STAFF = False
