"""Shared fixtures: service detection, personas, and a real Celery worker process.

Tests that need PostgreSQL, Redis or a worker skip on the embedded default, but with
REQUIRE_SERVICES=1 (CI) a missing service fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def service_missing(reason: str) -> None:
    """Fail under REQUIRE_SERVICES=1, otherwise skip: a missing service never passes silently."""
    (pytest.fail if REQUIRE_SERVICES else pytest.skip)(
        f"{reason} (REQUIRE_SERVICES={int(REQUIRE_SERVICES)})"
    )


@pytest.fixture
def postgres() -> None:
    """Use in tests whose behaviour depends on PostgreSQL (set DATABASE_URL)."""
    if connection.vendor != "postgresql":
        service_missing("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        service_missing("needs Redis: set REDIS_URL=redis://...")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {settings.REDIS_URL} does not answer: {exc}")
    return settings.REDIS_URL


def waiting_for_a_lock(query_fragment: str) -> bool:
    """Another session's statement containing query_fragment is waiting for a lock, on this
    test database only (a parallel test run's sessions on its own database never count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh inside a transaction too
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query LIKE %s AND pid <> pg_backend_pid()",
            [f"%{query_fragment}%"],
        )
        return cursor.fetchone()[0] > 0


def database_url_for_current_test_db() -> str:
    """The URL of the test database pytest-django created, for a worker in another process."""
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


def start_celery_worker(
    *, database_url: str, redis_url: str, queue: str | None = None, **env: str
) -> tuple[subprocess.Popen, str]:
    """Start a real `celery worker` process; returns it with its hostname, once it answers."""
    queue = queue or settings.CELERY_TASK_DEFAULT_QUEUE
    hostname = f"{queue}-{time.monotonic_ns()}@%h"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            hostname,
            "-c",
            "1",
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **env,
        },
    )
    hostname = hostname.replace("%h", os.uname().nodename)
    _wait_for_worker(control_app(redis_url), worker, hostname)
    if redis_url == settings.REDIS_URL:
        _WORKERS[hostname] = worker
    return worker, hostname


def control_app(redis_url: str):
    """A Celery app for control commands (ping, inspect) to workers on this broker."""
    from celery import Celery

    from config.celery import app

    if redis_url == settings.REDIS_URL:
        return app
    return Celery(broker=redis_url, set_as_current=False)


# The workers started on this run's broker (settings.REDIS_URL), by hostname: control commands
# address exactly the live ones, and wait for each one's reply.
_WORKERS: dict[str, subprocess.Popen] = {}


def live_worker_hostnames() -> list[str]:
    """Hostnames of the workers this run started on its broker that are still running."""
    for hostname, worker in list(_WORKERS.items()):
        if worker.poll() is not None:  # stopped, or killed by a test
            del _WORKERS[hostname]
    return list(_WORKERS)


def inspect_live_workers(timeout: float = 10.0):
    """A Celery inspector addressed to the live workers this run started: it returns as soon as
    each has replied (the timeout only bounds a broken worker), and a worker too busy to reply
    shows as a missing hostname, never as a quiet worker."""
    from config.celery import app

    hostnames = live_worker_hostnames()
    return app.control.inspect(destination=hostnames, limit=len(hostnames), timeout=timeout)


def stop_celery_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def celery_worker_process(
    postgres: None, redis_url: str, transactional_db: None
) -> Iterator[subprocess.Popen]:
    """Start a real `celery worker` process on the test database and this run's private queue."""
    # Drop messages earlier tests left on this run's queue, so the worker starts clean.
    import redis

    broker = redis.Redis.from_url(redis_url)
    broker.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    # ...and the rematch debounce markers (matching.tasks._debounce_key) those dropped tasks
    # would have cleared: ids restart with each test database, so a marker left by an earlier
    # run would swallow this test's rematch of the supplier or need with the same id.
    for key in broker.scan_iter(match="*matching:rematch-pending:*"):
        broker.delete(key)
    worker, _ = start_celery_worker(
        database_url=database_url_for_current_test_db(), redis_url=redis_url
    )
    try:
        yield worker
    finally:
        stop_celery_worker(worker)


def _wait_for_worker(app, worker: subprocess.Popen, hostname: str, timeout: float = 60.0) -> None:
    """Block until the worker answers a control ping (a real readiness signal, not a sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"Celery worker exited early with code {worker.returncode}")
        replies = app.control.ping(destination=[hostname], timeout=1.0)
        if replies:
            return
    raise RuntimeError(f"Celery worker {hostname} did not answer within {timeout}s")


@pytest.fixture(autouse=True)
def _restore_data_migrations_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table when they end, including rows data migrations
    load (the MSME limits): every test using the database starts with them loaded again, in
    whatever order tests run (xdist hands tests out in no fixed order)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from importlib import import_module

    from taxonomy.models import MsmeLimit

    if MsmeLimit.objects.exists():
        return
    # bulk_create: no save signals, so no reclassification task is queued for an empty table.
    limits = import_module("vendors.migrations.0002_msme_limits").LIMITS
    MsmeLimit.objects.bulk_create(
        [
            MsmeLimit(
                category=category,
                max_investment_rupees=investment,
                max_turnover_rupees=turnover,
                effective_from=start,
                effective_to=end,
                notification=notification,
            )
            for category, investment, turnover, start, end, notification in limits
        ],
        ignore_conflicts=True,
    )


@pytest.fixture
def task_runner(request: pytest.FixtureRequest, transactional_db: None) -> None:
    """Whoever runs tasks in this configuration: in-process on the embedded default, a real
    worker process when REDIS_URL is set (CI), so commands that wait on tasks finish."""
    if settings.REDIS_URL:
        request.getfixturevalue("celery_worker_process")


def worker_idle() -> bool:
    """No task waiting on the broker or held by a worker (always true when tasks run in-process).

    Every live worker must answer, so one too busy to reply is never taken for an idle one. A
    running task may queue the next (a rematch starts a run, a run queues its chunks) and end
    between any two looks, so: the workers hold nothing, the queue is empty, they still hold
    nothing, and they accepted no task meanwhile. A task queued after the queue was seen empty
    was queued by a task that ran in between, which the count of accepted tasks shows."""
    if not settings.REDIS_URL:
        return True
    import redis

    broker = redis.Redis.from_url(settings.REDIS_URL)
    hostnames = set(live_worker_hostnames())
    if not hostnames:
        return not broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    accepted_before = _tasks_accepted(hostnames)
    if accepted_before is None or not _workers_hold_nothing(hostnames):
        return False
    if broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE):
        return False
    if not _workers_hold_nothing(hostnames):
        return False
    return _tasks_accepted(hostnames) == accepted_before


def _workers_hold_nothing(hostnames: set[str]) -> bool:
    """Each worker answered, with no task running, reserved or waiting for its ETA."""
    inspector = inspect_live_workers()
    for held in (inspector.active, inspector.reserved, inspector.scheduled):
        replies = held() or {}
        if set(replies) != hostnames or any(replies.values()):
            return False
    return True


def _tasks_accepted(hostnames: set[str]) -> int | None:
    """How many tasks the workers have started in all (None when one did not answer)."""
    replies = inspect_live_workers().stats() or {}
    if set(replies) != hostnames:
        return None
    return sum(sum(reply.get("total", {}).values()) for reply in replies.values())


def matcher_settled() -> bool:
    """Nothing left for the matcher: no task waiting or running, no unfinished run."""
    from matching.models import MatchRun

    return worker_idle() and not MatchRun.objects.filter(finished_at__isnull=True).exists()


@pytest.fixture(autouse=True)
def english_to_begin_with() -> Iterator[None]:
    """Each test starts in English: a request under /hi/ leaves Hindi active in its thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- Admin personas (seeding.roles): daily work with no superuser ------------------------------


@pytest.fixture
def scheme_admin_user(db: None) -> object:
    """A scheme administrator: staff in the group, not a superuser."""
    from django.contrib.auth.models import Group

    from seeding.roles import SCHEME_ADMINISTRATOR
    from tests.factories import UserFactory

    user = UserFactory(username="scheme-admin", is_staff=True)
    user.groups.add(Group.objects.get(name=SCHEME_ADMINISTRATOR))
    return user


@pytest.fixture
def scheme_admin(scheme_admin_user: object) -> object:
    from django.test import Client

    client = Client()
    client.force_login(scheme_admin_user)
    return client


@pytest.fixture
def facility_manager_user(db: None) -> object:
    """A facility manager of one facility (``managed_facility``); others are not theirs."""
    from django.contrib.auth.models import Group

    from seeding.roles import FACILITY_MANAGER
    from tests.factories import UserFactory

    user = UserFactory(username="facility-manager", is_staff=True)
    user.groups.add(Group.objects.get(name=FACILITY_MANAGER))
    return user


@pytest.fixture
def managed_facility(facility_manager_user: object) -> object:
    from tests.factories import FacilityFactory

    facility = FacilityFactory(number=99, name="Managed REPM Facility")
    facility.managers.add(facility_manager_user)
    return facility


@pytest.fixture
def facility_manager(facility_manager_user: object, managed_facility: object) -> object:
    from django.test import Client

    client = Client()
    client.force_login(facility_manager_user)
    return client
