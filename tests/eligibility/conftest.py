"""Eligibility tests run against the rules REPM Connect ships (seed_reference publishes them)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from eligibility.facts import Answers

# A micro CNC shop in Krishnagiri (Tamil Nadu) with ZED Bronze: eligible as a supplier.
BASE_ANSWERS: dict[str, Any] = {
    "udyam_registered": True,
    "investment_rupees": 20_000_000,
    "turnover_rupees": 60_000_000,
    "district": "krishnagiri",
    "processes": ["cnc-turning"],
    "certifications": ["ZED_BRONZE"],
    "sectors": [],
    "exports": False,
}


@pytest.fixture
def reference(db: None) -> None:
    call_command("seed_reference", stdout=StringIO())


def answers(**changes: Any) -> Answers:
    return Answers.from_json(BASE_ANSWERS | changes)
