"""`python manage.py seed_demo`: deterministic synthetic MSMEs and facility needs (demo rows)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.models import Match, MatchRun
from seeding.demo.reference import ReferenceDataMissing
from seeding.services import demo_seed
from vendors.models import Supplier


class Command(BaseCommand):
    help = (
        "Add synthetic MSMEs (with capabilities, certificates and sectors) and facility needs, "
        "all flagged as demo. The same --seed and reference data always give the same rows. "
        "--clear first deletes every demo row and the demo clusters given to facilities."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--suppliers", type=int, default=1_000, help="Suppliers to add.")
        parser.add_argument("--needs", type=int, default=200, help="Needs to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear", action="store_true", help="Delete all demo rows before generating."
        )
        parser.add_argument(
            "--no-rematch",
            action="store_true",
            help="Leave matches alone (benchmarks time the matcher themselves).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any supplier exists (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        suppliers, needs = options["suppliers"], options["needs"]
        if suppliers < 0 or needs < 0:
            raise CommandError("--suppliers and --needs must be 0 or more.")
        if options["if_empty"] and Supplier.objects.exists():
            self.stdout.write("Suppliers already present: demo data left as it is.")
            return
        try:
            report = demo_seed(
                suppliers=suppliers,
                needs=needs,
                seed=options["seed"],
                clear=options["clear"],
                rematch=not options["no_rematch"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {report.suppliers:,} suppliers and {report.needs:,} needs added "
                f"in {report.total_seconds:.1f} s."
            )
        )
        if report.match_run_id is not None:
            self._report_matches(report.match_run_id)

    def _report_matches(self, run_id: int) -> None:
        """Say what became of the rematch the seeding started (done already without a broker)."""
        run = MatchRun.objects.get(pk=run_id)
        if run.is_finished:
            self.stdout.write(
                f"Matches: run #{run.pk} {run.get_status_display().lower()}, "
                f"{Match.objects.count():,} matches and near misses in all."
            )
        else:
            self.stdout.write(f"Matches: run #{run.pk} queued for the workers.")
