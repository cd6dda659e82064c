"""`python manage.py seed_reference`: load the scheme's real reference data (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from seeding.services import reference_load


class Command(BaseCommand):
    help = (
        "Load the REPM scheme, its timeline, stages and sectors, the five facilities, states, "
        "districts, clusters, the capability taxonomy and certification types. Safe to re-run: "
        "rows are updated only where they differ."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = reference_load()
        for line in report.lines():
            self.stdout.write(f"  {line}")
        verdict = f"{report.changed} row(s) changed" if report.changed else "nothing changed"
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {verdict}."))
