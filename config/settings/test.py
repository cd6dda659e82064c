"""Test settings: the same environment-driven configuration, with fast hashing."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "false")
# Tests wait for the allocation that follows a rematch: a second, not ten (workers the tests start
# inherit it through the environment).
os.environ.setdefault("ALLOCATION_DEBOUNCE_SECONDS", "1")
# Under pytest-xdist each worker process (gw0, gw1, ...) is a test run of its own. pytest-django
# gives it its own test database (the name suffixed _gw0, ...); below it gets its own Celery queue
# and Redis database too, so one worker's cache.clear() (FLUSHDB), debounce markers, queue and
# control broadcasts (kombu prefixes them with the database number) never touch another's.
# Processes a test starts (Celery workers, `manage.py` commands) inherit the environment written
# here; the marker keeps them from moving to yet another database.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SETTING_UP_XDIST_WORKER = bool(_XDIST_WORKER) and (
    os.environ.get("REPM_TEST_SETTINGS_FOR") != _XDIST_WORKER
)
if _SETTING_UP_XDIST_WORKER:
    # The controller set the queue to its own pid before starting the workers: one each.
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"repm-test-{os.getpid()}-{_XDIST_WORKER}"
# A queue private to this test process, so a developer's own worker never takes test tasks;
# worker processes started by the tests inherit it through the environment.
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"repm-test-{os.getpid()}")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .base import *  # noqa: E402, F403
from .base import REDIS_URL  # noqa: E402


def redis_url_of_xdist_worker(url: str, worker: str) -> str:
    """The Redis URL with its database number (0 when none) moved up by the worker's index."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    db = base + int(worker.removeprefix("gw"))
    if db > 15:
        raise ImproperlyConfigured(
            f"REDIS_URL's database {base} + xdist worker {worker} is past Redis's last (15): "
            "start from a lower database number or run fewer workers"
        )
    return urlunsplit(parts._replace(path=f"/{db}"))


if _SETTING_UP_XDIST_WORKER:
    os.environ["REPM_TEST_SETTINGS_FOR"] = _XDIST_WORKER
    if REDIS_URL:
        REDIS_URL = redis_url_of_xdist_worker(REDIS_URL, _XDIST_WORKER)
        os.environ["REDIS_URL"] = REDIS_URL
        CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
        CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "/me/documents/"},
    },
}
