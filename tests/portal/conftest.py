"""Fixtures the MSME pages' tests share."""

from __future__ import annotations

import pytest

from tests.factories import (
    CertificationTypeFactory,
    DistrictFactory,
    ProcessFactory,
    StateFactory,
)


@pytest.fixture
def world() -> dict:
    """What a profile form refers to: a district, a process and a certificate type."""
    district = DistrictFactory(state=StateFactory(), code="12", name="Krishnagiri")
    process = ProcessFactory(slug="cnc-turning", name="CNC turning")
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001")
    return {"district": district, "process": process, "iso": iso}
