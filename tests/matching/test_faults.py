"""Runs end done with exact counts, or failed with a reason, never stuck, whatever breaks.

Each fault is made with real processes the test owns: the worker's main process SIGKILLed, a
Redis of the test's own killed and restarted (its queued messages lost), the database
connections of the worker and of the waiting command terminated (``pg_terminate_backend``).
Each run must end done, with counts equal to the rows it wrote and the table an undisturbed
rematch writes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import psycopg2
import pytest
from django.core.management import call_command

from matching.models import COMPONENT_FIELDS, Match, MatchRun
from matching.runs import match_run_create, match_run_watch
from matching.services import matches_sync
from matching.tasks import match_run_enqueue, queue_chunks
from schemes.models import Need
from seeding.services import demo_seed
from tests.conftest import (
    PROJECT_ROOT,
    database_url_for_current_test_db,
    start_celery_worker,
    stop_celery_worker,
    waiting_for_a_lock,
)
from tests.test_celery_worker import wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres", "redis_url"),
]
FIELDS = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "near_miss_rule")
STALE_SECONDS = "3"  # the watchdog's threshold in these tests (a chunk here takes < 1 s)


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


def undisturbed_table() -> list[tuple]:
    Match.objects.all().delete()
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    return match_table()


@pytest.fixture
def demo_set(settings) -> None:
    """1,500 suppliers and 12 needs, no matches yet; the watchdog on a short fuse."""
    settings.MATCH_RUN_STALE_SECONDS = int(STALE_SECONDS)
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=1500, needs=12, seed=5, rematch=False)
    Match.objects.all().delete()


@pytest.fixture
def locker() -> Iterator[psycopg2.extensions.connection]:
    """A connection of the test's own that holds a lock a chunk's write must wait for: a
    chunk is then provably mid-transaction when the fault strikes."""
    connection = psycopg2.connect(database_url_for_current_test_db())
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE matching_match IN SHARE MODE")
    yield connection
    connection.rollback()
    connection.close()


def release(locker: psycopg2.extensions.connection) -> None:
    locker.rollback()


def assert_done_and_exact(run: MatchRun) -> None:
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, (run.failure_reason, run.errors)
    assert run.chunks_done == run.chunks_total > 2
    written = match_table()
    assert run.rows_written == len(written)  # every row counted exactly once
    assert written == undisturbed_table()


def kill_worker_outright(worker: subprocess.Popen) -> None:
    """SIGKILL the worker's main process, then the pool process it leaves running the task."""
    pool = subprocess.run(
        ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    for pid in pool:
        with contextlib.suppress(ProcessLookupError):  # it went with its parent
            os.kill(int(pid), signal.SIGKILL)


def rematch_command(redis_url: str, *args: str, **env: str) -> subprocess.Popen:
    """`manage.py rematch` in a process of its own (its own database connection)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "rematch", *args],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url_for_current_test_db(),
            "REDIS_URL": redis_url,
            "MATCH_RUN_STALE_SECONDS": STALE_SECONDS,
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_run_whose_worker_is_killed_outright_is_re_driven_to_the_end(
    demo_set: None, locker, redis_url: str
) -> None:
    database_url = database_url_for_current_test_db()
    first, _ = start_celery_worker(
        database_url=database_url, redis_url=redis_url, MATCH_RUN_STALE_SECONDS=STALE_SECONDS
    )
    run = match_run_create(chunk_needs=2)
    match_run_enqueue(run.pk)  # autocommit: queued at once
    assert wait_until(lambda: waiting_for_a_lock("matching_match"), timeout=60)
    kill_worker_outright(first)  # its message is neither acked nor requeued: lost for an hour
    release(locker)

    second, _ = start_celery_worker(
        database_url=database_url, redis_url=redis_url, MATCH_RUN_STALE_SECONDS=STALE_SECONDS
    )
    redriven = []
    try:

        def finished_with_the_watchdogs_help() -> bool:
            # What beat does every minute (here on the test's short fuse).
            chunk_ids = match_run_watch(run_id=run.pk)
            redriven.extend(chunk_ids)
            queue_chunks(chunk_ids)
            return MatchRun.objects.get(pk=run.pk).is_finished

        assert wait_until(finished_with_the_watchdogs_help, timeout=120)
    finally:
        stop_celery_worker(second)
    assert redriven, "the run should have needed the watchdog"
    assert_done_and_exact(run)


@pytest.fixture
def own_redis() -> Iterator[tuple[str, callable]]:
    """A Redis server of this test's own, which it may kill and restart (empty, like a restart
    without persistence); never the machine's shared one."""
    import redis

    server = shutil.which("redis-server")
    assert server, "redis-server is needed for this test"
    workdir = tempfile.mkdtemp(prefix="repm-redis-")

    def answers() -> bool:
        try:
            return redis.Redis.from_url(url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    # A free port, as the kernel hands one out; should another process (a parallel test run)
    # take it before the server binds it, the server exits and the next port is tried.
    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [server, "--port", str(port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", workdir]
        started = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        exited = started.poll
        wait_until(lambda exited=exited: answers() or exited() is not None, timeout=20)
        if answers():
            process = {"redis": started}
            break
        started.kill()
        started.wait()
    else:
        raise AssertionError("no Redis server of the test's own would start")

    def restart() -> None:
        process["redis"].kill()
        process["redis"].wait()
        process["redis"] = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        assert wait_until(answers, timeout=20)

    yield url, restart
    process["redis"].kill()
    process["redis"].wait()
    shutil.rmtree(workdir, ignore_errors=True)


def test_a_redis_restart_that_loses_queued_chunks_is_recovered_by_the_waiting_command(
    demo_set: None, locker, own_redis
) -> None:
    redis_url, restart_redis = own_redis
    worker, _ = start_celery_worker(
        database_url=database_url_for_current_test_db(),
        redis_url=redis_url,
        MATCH_RUN_STALE_SECONDS=STALE_SECONDS,
    )
    try:
        command = rematch_command(redis_url, "--all", "--chunk-needs", "2", "--timeout", "150")
        assert wait_until(lambda: waiting_for_a_lock("matching_match"), timeout=60)
        run = MatchRun.objects.get()
        assert run.chunks_total > 2  # one chunk held by the worker, the rest queued in Redis
        restart_redis()  # the queued chunks are gone with it
        release(locker)
        out, err = command.communicate(timeout=180)
    finally:
        stop_celery_worker(worker)
    assert command.returncode == 0, err
    assert f"Run #{run.pk} done" in out
    assert_done_and_exact(run)


def test_a_database_blip_under_the_worker_and_the_waiting_command_is_waited_out(
    demo_set: None, locker, redis_url: str, celery_worker_process: object
) -> None:
    command = rematch_command(redis_url, "--all", "--chunk-needs", "2", "--timeout", "150")
    assert wait_until(lambda: waiting_for_a_lock("matching_match"), timeout=60)
    run = MatchRun.objects.get()
    with psycopg2.connect(database_url_for_current_test_db()) as admin, admin.cursor() as cursor:
        # Every connection to the test database but this test's own and the lock holder's:
        # the worker's (mid-chunk) and the waiting command's.
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND pid NOT IN (%s, %s)",
            [locker.get_backend_pid(), _django_backend_pid()],
        )
        assert cursor.fetchone()[0] >= 2
    release(locker)
    out, err = command.communicate(timeout=180)
    assert command.returncode == 0, err
    assert "Traceback" not in err
    assert f"Run #{run.pk} done" in out
    assert_done_and_exact(run)


def _django_backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
