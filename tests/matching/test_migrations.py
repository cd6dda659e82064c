"""Matching's data migrations, tried forward and back on populated rows: 0006 moves the score's
components from a JSON object into columns, 0008 turns stored sentences into rule codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matching.models import Match
from tests.factories import NeedFactory, SupplierFactory

BEFORE = [("matching", "0005_match_unique_need_supplier")]
SENTENCES = [("matching", "0007_match_cascade_without_constraints")]


def latest() -> list[tuple[str, str]]:
    """Every app's newest migration: where a test must leave the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


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

        migrate(latest())
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
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_rule_codes_and_back() -> None:
    need = NeedFactory()
    sentences = {
        "": "",
        "needs IATF 16949, ISO 9001": "certificates",
        "tolerance 12.5 µm, need ≤ 10 µm": "tolerance",
        "capacity not stated, need ≥ 5,000 pieces/month": "capacity",
        "max temperature 800 °C, need ≥ 1050 °C": "temperature",
        "251 km away, radius 250 km": "radius",
    }
    flags = {
        "the need is closed": "need_closed",
        "tolerance 20 µm, need ≤ 5 µm; 300 km away, radius 100 km": "tolerance,radius",
        "the supplier no longer offers this process or is inactive": "not_offered",
    }
    try:
        old_apps = migrate(SENTENCES)
        OldMatch = old_apps.get_model("matching", "Match")
        for sentence in sentences:
            OldMatch.objects.create(
                supplier_id=SupplierFactory().pk,
                need_id=need.pk,
                score=50,
                near_miss_reason=sentence,
                reasons=["10 km from Facility 1"],
            )
        for flag in flags:
            OldMatch.objects.create(
                supplier_id=SupplierFactory().pk,
                need_id=need.pk,
                score=50,
                status="interested",
                no_longer_meets_reason=flag,
            )

        migrate(latest())
        rows = list(
            Match.objects.order_by("pk").values_list("near_miss_rule", "no_longer_meets_rules")
        )
        assert rows == [(code, "") for code in sentences.values()] + [
            ("", codes) for codes in flags.values()
        ]

        old_apps = migrate(SENTENCES)
        back = old_apps.get_model("matching", "Match").objects.order_by("pk")
        assert [m.near_miss_reason for m in back][: len(sentences)] == list(sentences.values())
        assert [m.no_longer_meets_reason for m in back][len(sentences) :] == [
            codes.replace(",", "; ") for codes in flags.values()
        ]
    finally:
        migrate(latest())
