"""`python manage.py rematch --supplier ID | --need ID | --all | --resume RUN [--no-wait]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from matching.models import MatchRun
from matching.runs import (
    FULL_RUN_CHUNK_NEEDS,
    match_run_create,
    match_run_resume,
    match_run_watch,
    stale_after,
)
from matching.tasks import match_run_enqueue, queue_chunks
from schemes.models import Need
from vendors.models import Supplier

POLL_SECONDS = 0.5
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rematch one supplier, one need, or every need (in chunks that Celery workers process "
        "in parallel). Waits and shows progress unless --no-wait, then prints what changed; "
        "exits non-zero if the run failed or did not finish within --timeout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--supplier", type=int, metavar="ID")
        scope.add_argument("--need", type=int, metavar="ID")
        scope.add_argument("--all", action="store_true")
        scope.add_argument("--resume", type=int, metavar="RUN", help="Resume a run.")
        parser.add_argument("--no-wait", action="store_true")
        parser.add_argument(
            "--chunk-needs",
            type=int,
            default=FULL_RUN_CHUNK_NEEDS,
            help="At most this many needs of one process per chunk (light processes are packed).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=3600,
            metavar="SECONDS",
            help="Give up waiting after this long (the run goes on; default 3600).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if options["resume"]:
                run = MatchRun.objects.filter(pk=options["resume"]).first()
                if run is None:
                    raise CommandError(f"No run #{options['resume']}.")
                match_run_enqueue(run.pk, match_run_resume(run_id=run.pk))
            else:
                run = self._create_run(options)
                match_run_enqueue(run.pk)
        # Tasks are queued on commit; without a broker they have already run in-process.
        self.stdout.write(f"Run #{run.pk}: {run.get_scope_display()}, {run.chunks_total} chunk(s)")
        if options["no_wait"]:
            self.stdout.write("Queued; follow it in the admin (Match runs).")
            return
        run = self._wait(run.pk, timeout=options["timeout"])
        self.stdout.write("")
        summary = (
            f"Run #{run.pk} {run.get_status_display().lower()}: {run.rows_written:,} match "
            f"row(s) written, {run.rows_deleted:,} deleted"
        )
        if run.status != MatchRun.Status.DONE:
            raise CommandError(f"{summary}. {run.failure_reason}".strip())
        self.stdout.write(self.style.SUCCESS(summary))

    def _create_run(self, options: dict[str, Any]) -> MatchRun:
        if options["supplier"]:
            if not Supplier.objects.filter(pk=options["supplier"]).exists():
                raise CommandError(f"No supplier #{options['supplier']}.")
            return match_run_create(scope=MatchRun.Scope.SUPPLIER, target_id=options["supplier"])
        if options["need"]:
            if not Need.objects.filter(pk=options["need"]).exists():
                raise CommandError(f"No need #{options['need']}.")
            return match_run_create(scope=MatchRun.Scope.NEED, target_id=options["need"])
        if options["chunk_needs"] < 1:
            raise CommandError("--chunk-needs must be at least 1.")
        return match_run_create(chunk_needs=options["chunk_needs"])

    def _wait(self, run_id: int, *, timeout: float) -> MatchRun:
        """Poll the run and draw a progress bar until it finishes, re-driving it if it stalls.

        A database blip is waited out (the connection is reopened on the next poll), so the
        command reports what the run did rather than a traceback.
        """
        deadline = time.monotonic() + timeout
        # Look for a stalled run twice per stale period (the watchdog's own threshold).
        watch_every = min(30.0, stale_after().total_seconds() / 2)
        next_watch = time.monotonic() + watch_every
        run, blip = None, None
        while time.monotonic() < deadline:
            try:
                run = MatchRun.objects.get(pk=run_id)
                if time.monotonic() >= next_watch:
                    queue_chunks(match_run_watch(run_id=run_id))
                    next_watch = time.monotonic() + watch_every
                blip = None
            except DatabaseError as exc:
                blip = exc
                connection.close()  # reopened by the next query
            else:
                self._draw(run)
                if run.is_finished:
                    return run
            time.sleep(POLL_SECONDS)
        state = f"it is {run.get_status_display().lower()}" if run else "its state is unknown"
        detail = f" (the database did not answer: {blip})" if blip else ""
        raise CommandError(
            f"Run #{run_id} did not finish within {timeout:g} s; {state}{detail}. "
            f"It goes on: follow it in the admin, or wait again with --resume {run_id}."
        )

    def _draw(self, run: MatchRun) -> None:
        done = round(BAR_WIDTH * run.progress_percent / 100)
        self.stdout.write(
            f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {run.chunks_done}/{run.chunks_total} "
            f"chunks, {run.rows_written:,} rows",
            ending="",
        )
        self.stdout.flush()
