"""The import commands' shared body: read a file, import it through its ``TableFormat``, show
a progress bar on stderr and every error by row and column; exit non-zero if it was refused.

``import_suppliers`` (vendors) and ``import_needs`` (schemes) are this with their table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from .imports import TableFormat

BAR_WIDTH = 30


class ProgressBar:
    """A plain-text bar on stderr: redrawn in place on a terminal, a line per tenth elsewhere
    (a log file gets ten lines, not fifty thousand)."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.in_place = stream.isatty()
        self.stage = ""
        self.tenth = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if stage != self.stage:
            if self.stage and self.in_place:
                self._write("\n")
            self.stage, self.tenth = stage, -1
        tenth = int(share * 10)
        if not self.in_place and tenth == self.tenth:
            return
        self.tenth = tenth
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        line = f"{stage:<9} [{bar}] {done:>9,}/{total:,} rows {share:>4.0%}"
        self._write(("\r" + line) if self.in_place else (line + "\n"))

    def close(self) -> None:
        if self.stage and self.in_place:
            self._write("\n")

    def _write(self, text: str) -> None:
        # Plain (not the error style stderr gets), and no line ending added.
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()


class ImportCommand(BaseCommand):
    table_format: ClassVar[TableFormat]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; see README, Bulk imports.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the whole file and say what it would create and update; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        bar = ProgressBar(self.stderr)
        try:
            report = self.table_format.import_file(
                data, name=path.name, dry_run=options["dry_run"], progress=bar
            )
        finally:
            bar.close()
        if report.rejected:
            for issue in report.issues:
                self.stderr.write(str(issue))
            raise CommandError(report.headline())
        self.stdout.write(report.headline())
        for line in report.entity_lines():
            self.stdout.write(f"  {line}")
        if report.written and report.changed_ids:
            self.stdout.write(
                f"Rematch: one run queued for the {len(report.changed_ids):,} "
                f"{self.table_format.name} added or changed."
            )
        elif report.written:
            self.stdout.write("Nothing changed, so nothing to rematch.")
