"""Importing facilities' needs: a valid file, every error by row and column, all or nothing,
upserts by the facility's reference, dry runs, one rematch per import, history."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from matching.models import MatchRun
from schemes.imports import COLUMNS, needs_import
from schemes.models import Need
from taxonomy.history import ChangePath
from taxonomy.imports import read_table
from tests import factories as f

from .conftest import World, issues_at, need_row, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_valid_file_creates_each_need_with_its_required_certificates(world: World) -> None:
    rows = [
        need_row("F1-001", required_certifications="ISO_9001;NABL"),
        need_row(
            "F2-001",
            facility="integrated-repm-facility-2",
            process="Surface grinding",
            quantity="1,20,000",
            unit="Pieces",
            monthly_capacity_min="",
            preferred_category="",
            required_certifications="",
            due_date="31/12/2027",
            status="Closed",
        ),
    ]

    report = needs_import(table=table(rows, COLUMNS))

    assert not report.issues
    first = Need.objects.get(external_ref="F1-001")
    assert first.facility == world.facility
    assert first.process == world.turning
    assert (first.quantity, first.min_monthly_capacity, first.max_tolerance_um) == (
        Decimal("60000"),
        Decimal("5000"),
        Decimal("10"),
    )
    assert (first.radius_km, first.preferred_category, first.status) == (800, "small", "open")
    assert first.due_date == datetime.date(2027, 8, 31)
    assert sorted(first.required_certifications.values_list("code", flat=True)) == [
        "ISO_9001",
        "NABL",
    ]
    second = Need.objects.get(external_ref="F2-001")
    assert second.facility == world.other_facility and second.process == world.grinding
    assert second.quantity == Decimal("120000") and second.min_monthly_capacity is None
    assert (second.status, second.due_date) == ("closed", datetime.date(2027, 12, 31))
    assert not second.required_certifications.exists()
    assert report.created == {"needs": 2}


def test_an_xlsx_file_with_date_and_number_cells_imports(world: World) -> None:
    row = need_row("F1-009", quantity=60000, due_date=datetime.datetime(2027, 8, 31), radius_km=800)
    data = xlsx_bytes(list(COLUMNS), [[row[c] for c in COLUMNS]])

    report = needs_import(table=read_table(data, name="needs.xlsx"))

    assert not report.issues, report.issues
    need = Need.objects.get()
    assert (need.due_date, need.quantity, need.radius_km) == (
        datetime.date(2027, 8, 31),
        Decimal("60000"),
        800,
    )


ERRORS = {
    "unknown facility": ({"facility": "integrated-repm-facility-9"}, "facility"),
    "blank reference": ({"reference": ""}, "reference"),
    "reference too long": ({"reference": "R" * 65}, "reference"),
    "blank title": ({"title": ""}, "title"),
    "unknown process": ({"process": "welding"}, "process"),
    "blank quantity": ({"quantity": ""}, "quantity"),
    "quantity in words": ({"quantity": "sixty thousand"}, "quantity"),
    "negative quantity": ({"quantity": "-1"}, "quantity"),
    "unknown unit": ({"unit": "litres"}, "unit"),
    "capacity with three decimals": ({"monthly_capacity_min": "1.255"}, "monthly_capacity_min"),
    "tolerance in words": ({"max_tolerance_um": "tight"}, "max_tolerance_um"),
    "fractional temperature": ({"min_temperature_c": "99.5"}, "min_temperature_c"),
    "unknown certificate type": ({"required_certifications": "ISO_1"}, "required_certifications"),
    "certificate type twice": (
        {"required_certifications": "NABL;nabl"},
        "required_certifications",
    ),
    "fractional radius": ({"radius_km": "10.5"}, "radius_km"),
    "not an MSME category": ({"preferred_category": "large"}, "preferred_category"),
    "impossible date": ({"due_date": "2027-13-01"}, "due_date"),
    "unknown status": ({"status": "pending"}, "status"),
}


@pytest.mark.parametrize("cells, column", ERRORS.values(), ids=ERRORS.keys())
def test_each_kind_of_error_is_reported_at_its_row_and_column(
    world: World, cells: dict[str, str], column: str
) -> None:
    rows = [need_row("F1-001"), {**need_row("F1-002"), **cells}]

    report = needs_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {(3, column)}, report.issues
    assert not Need.objects.exists()


def test_a_reference_twice_for_one_facility_is_an_error_but_not_across_facilities(
    world: World,
) -> None:
    rows = [
        need_row("F-001"),
        need_row("F-001", facility="integrated-repm-facility-2"),
        need_row("F-001", title="Again"),
    ]

    report = needs_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {(4, "reference")}
    assert "Row 2" in report.issues[0].message


def test_one_bad_row_rejects_the_file_and_nothing_is_written(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    existing = f.NeedFactory(facility=world.facility, external_ref="F1-001", title="As it was")
    rows = [need_row(f"F1-{n:03d}") for n in range(1, 20)] + [need_row("F1-999", unit="bags")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = needs_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {(21, "unit")}
    assert list(Need.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.title == "As it was"
    assert not Need.history.filter(history_path=ChangePath.IMPORT).exists()
    assert not callbacks and not MatchRun.objects.exists()


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    f.NeedFactory(facility=world.facility, external_ref="F1-001", process=world.turning)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = needs_import(table=table([need_row("F1-001"), need_row("F1-002")]), dry_run=True)

    assert not report.issues and not report.written
    assert (report.created["needs"], report.updated["needs"]) == (1, 1)
    assert report.outcomes == {2: "update", 3: "new"}
    assert Need.objects.count() == 1
    assert not callbacks and not MatchRun.objects.exists()


def test_a_second_import_updates_each_need_by_its_facility_and_reference(
    world: World, admin_user: Any
) -> None:
    rows = [need_row("F1-001"), need_row("F1-002")]
    assert not needs_import(table=table(rows, COLUMNS)).issues
    first = Need.objects.get(external_ref="F1-001")

    changed = [
        need_row("F1-001", title="Turned housings, revised", status="closed"),
        need_row("F1-002", required_certifications="NABL"),  # only its certificates change
        need_row("F1-003"),
    ]
    report = needs_import(table=table(changed, COLUMNS), user=admin_user)

    assert not report.issues
    assert Need.objects.count() == 3
    first.refresh_from_db()
    assert (first.title, first.status) == ("Turned housings, revised", "closed")
    second = Need.objects.get(external_ref="F1-002")
    assert list(second.required_certifications.values_list("code", flat=True)) == ["NABL"]
    assert (report.created["needs"], report.updated["needs"]) == (1, 2)
    assert report.outcomes == {2: "update", 3: "update", 4: "new"}
    assert [(r.history_type, r.history_path, r.history_user) for r in second.history.all()] == [
        ("~", "import", admin_user),
        ("+", "import", None),
    ]

    again = needs_import(table=table(changed, COLUMNS))

    assert again.written and not again.changed_ids
    assert again.unchanged["needs"] == 3


def test_a_file_without_the_certificates_column_leaves_them_alone(world: World) -> None:
    needs_import(table=table([need_row("F1-001", required_certifications="NABL")], COLUMNS))
    columns = [c for c in COLUMNS if c != "required_certifications"]

    report = needs_import(table=table([need_row("F1-001", title="New title")], columns))

    assert not report.issues
    need = Need.objects.get()
    assert need.title == "New title"
    assert list(need.required_certifications.values_list("code", flat=True)) == ["NABL"]


def test_the_import_runs_a_bounded_number_of_queries_whatever_its_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    f.NeedFactory(facility=world.facility, external_ref="F1-001", process=world.turning)
    for rows in (
        [need_row("F1-001"), need_row("F1-002")],
        [need_row(f"F2-{n:03d}", facility="integrated-repm-facility-2") for n in range(80)]
        + [need_row(f"F1-{n:03d}") for n in range(80)],
    ):
        with django_assert_max_num_queries(20):
            report = needs_import(table=table(rows, COLUMNS))
        assert not report.issues
