"""Test settings: the same environment-driven configuration, with fast hashing."""

import os

os.environ.setdefault("DEBUG", "false")
# A queue private to this test process, so a developer's own worker never takes test tasks;
# worker processes started by the tests inherit it through the environment.
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"repm-test-{os.getpid()}")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "/me/documents/"},
    },
}
