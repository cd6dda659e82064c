"""Migration 0006 moves each match's score components from a JSON object into columns, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matching.models import Match
from tests.factories import NeedFactory, SupplierFactory

BEFORE = [("matching", "0005_match_unique_need_supplier")]
LATEST = [("matching", "0007_match_cascade_without_constraints")]


def migrate(target: list[tuple[str, str]]):
    """Migrate the matching app to target; returns the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_components_move_into_columns_and_back() -> None:
    supplier, need = SupplierFactory(), NeedFactory()
    try:
        old_apps = migrate(BEFORE)
        old_apps.get_model("matching", "Match").objects.create(
            supplier_id=supplier.pk,
            need_id=need.pk,
            score=Decimal("61.25"),
            components={"distance": 0.25, "capacity": 1.0, "quality": 0.1234},
            reasons=["25 km from Facility 1"],
        )

        migrate(LATEST)
        match = Match.objects.get()
        assert match.components == {
            "distance": 0.25,
            "capacity": 1.0,
            "tolerance": 0.5,  # absent from the JSON: neutral
            "quality": 0.1234,
            "preference": 0.5,
            "experience": 0.5,
        }

        old_apps = migrate(BEFORE)
        restored = old_apps.get_model("matching", "Match").objects.get()
        assert {name: float(value) for name, value in restored.components.items()} == (
            match.components
        )
    finally:
        migrate(LATEST)
