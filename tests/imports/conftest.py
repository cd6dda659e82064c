"""A small world to import into (two states, districts, processes, certificate types), and
tables built as files are: CSV text through the imports' own reader."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from taxonomy.imports import Table, read_csv
from tests import factories as f
from vendors.identifiers import make_gstin, make_pan, make_udyam_number


@dataclass
class World:
    tn: Any
    ka: Any
    krishnagiri: Any
    coimbatore: Any
    bengaluru: Any
    turning: Any
    grinding: Any
    iso: Any
    nabl: Any
    facility: Any
    other_facility: Any


@pytest.fixture
def world(db: None) -> World:
    tn = f.StateFactory()
    ka = f.StateFactory(code="KA", name="Karnataka", gst_code="29", geonames_admin1="19")
    turning = f.ProcessFactory()
    return World(
        tn=tn,
        ka=ka,
        krishnagiri=f.DistrictFactory(
            state=tn, name="Krishnagiri", code="05", latitude=12.52, longitude=78.21
        ),
        coimbatore=f.DistrictFactory(
            state=tn, name="Coimbatore", code="03", latitude=11.01, longitude=76.96
        ),
        bengaluru=f.DistrictFactory(
            state=ka, name="Bengaluru Urban", code="03", latitude=12.97, longitude=77.59
        ),
        turning=turning,
        grinding=f.ProcessFactory(
            slug="surface-grinding", name="Surface grinding", category=turning.category
        ),
        iso=f.CertificationTypeFactory(),
        nabl=f.CertificationTypeFactory(code="NABL", name="NABL accreditation"),
        facility=f.FacilityFactory(number=1, name="Integrated REPM Facility 1"),
        other_facility=f.FacilityFactory(number=2, name="Integrated REPM Facility 2"),
    )


def gstin(state_code: str = "33", seed: int = 1) -> str:
    # Seeds and serials clear of the ones SupplierFactory uses.
    return make_gstin(gst_state_code=state_code, pan=make_pan(random.Random(10_000 + seed)))


def udyam(serial: int, state: str = "TN", district: str = "05") -> str:
    return make_udyam_number(state_code=state, district_code=district, serial=1_000_000 + serial)


def supplier_row(serial: int = 1, **cells: object) -> dict[str, object]:
    """A valid row of a Tamil Nadu supplier in Krishnagiri; ``cells`` override columns."""
    row: dict[str, object] = {
        "udyam_number": udyam(serial),
        "name": f"Hosur Precision {serial}",
        "gstin": gstin(seed=serial),
        "state": "TN",
        "district": "Krishnagiri",
        "pin_code": "635109",
        "investment_inr": "45000000",
        "turnover_inr": "180000000",
        "employees": "85",
        "year_established": "2009",
        "email": f"sales{serial}@example.in",
        "phone": "+91 4344 276 100",
        "process": "cnc-turning",
        "monthly_capacity": "50000",
        "capacity_unit": "pieces",
        "best_tolerance_um": "5",
        "max_temperature_c": "",
        "certifications": "ISO_9001:2027-09-30",
    }
    row.update(cells)
    return row


def need_row(reference: str = "F1-001", **cells: object) -> dict[str, object]:
    row: dict[str, object] = {
        "facility": "integrated-repm-facility-1",
        "reference": reference,
        "title": f"Turned housings {reference}",
        "process": "cnc-turning",
        "quantity": "60000",
        "unit": "pieces",
        "monthly_capacity_min": "5000",
        "max_tolerance_um": "10",
        "min_temperature_c": "",
        "required_certifications": "ISO_9001",
        "radius_km": "800",
        "preferred_category": "small",
        "due_date": "2027-08-31",
        "status": "open",
    }
    row.update(cells)
    return row


def csv_text(rows: Iterable[Mapping[str, object]], columns: Iterable[str] | None = None) -> str:
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def table(rows: Iterable[Mapping[str, object]], columns: Iterable[str] | None = None) -> Table:
    return read_csv(csv_text(rows, columns))


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def issues_at(report: Any) -> set[tuple[int, str]]:
    return {(issue.row, issue.column) for issue in report.issues}
