"""`python manage.py rematch --supplier ID | --need ID | --all [--no-wait] [--resume RUN]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from matching.models import MatchRun
from matching.services import match_run_create, match_run_resume
from matching.tasks import match_run_enqueue
from schemes.models import Need
from vendors.models import Supplier

POLL_SECONDS = 0.5
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rematch one supplier, one need, or every need (in chunks that Celery workers process "
        "in parallel). Waits and shows progress unless --no-wait, then prints what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--supplier", type=int, metavar="ID")
        scope.add_argument("--need", type=int, metavar="ID")
        scope.add_argument("--all", action="store_true")
        scope.add_argument("--resume", type=int, metavar="RUN", help="Resume a full run.")
        parser.add_argument("--no-wait", action="store_true")
        parser.add_argument(
            "--chunk-needs",
            type=int,
            default=25,
            help="At most this many needs (of one process) per chunk.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if options["resume"]:
                run = MatchRun.objects.filter(pk=options["resume"], scope="full").first()
                if run is None:
                    raise CommandError(f"No full run #{options['resume']}.")
                match_run_enqueue(run.pk, match_run_resume(run_id=run.pk))
            else:
                run = self._create_run(options)
                match_run_enqueue(run.pk)
        # Tasks are queued on commit; without a broker they have already run in-process.
        self.stdout.write(f"Run #{run.pk}: {run.get_scope_display()}, {run.chunks_total} chunk(s)")
        if options["no_wait"]:
            self.stdout.write("Queued; follow it in the admin (Match runs).")
            return
        run = self._wait(run.pk)
        self.stdout.write("")
        outcome = self.style.SUCCESS if run.status == MatchRun.Status.DONE else self.style.ERROR
        self.stdout.write(
            outcome(
                f"Run #{run.pk} {run.get_status_display().lower()}: {run.rows_written:,} match "
                f"row(s) written, {run.rows_deleted:,} deleted"
                + (f", {len(run.errors)} chunk error(s)" if run.errors else "")
            )
        )
        for error in run.errors:
            self.stderr.write(f"  chunk {error['chunk']}: {error['error']}")

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

    def _wait(self, run_id: int) -> MatchRun:
        """Poll the run's row and draw a progress bar until it finishes."""
        while True:
            run = MatchRun.objects.get(pk=run_id)
            done = round(BAR_WIDTH * run.progress_percent / 100)
            self.stdout.write(
                f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {run.chunks_done}/{run.chunks_total} "
                f"chunks, {run.rows_written:,} rows",
                ending="",
            )
            self.stdout.flush()
            if run.is_finished or (run.chunks_total == 0):
                return run
            time.sleep(POLL_SECONDS)
