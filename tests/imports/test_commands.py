"""The import commands: what they print, their progress bar, their exit on a refused file; and
the sample files of the README import cleanly into the seeded reference data."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from matching.models import MatchRun
from schemes.models import Need
from seeding.services import reference_load
from taxonomy.imports import read_table
from vendors.imports import COLUMNS
from vendors.models import Supplier, SupplierCapability

from .conftest import World, csv_text, supplier_row

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def suppliers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "suppliers.csv"
    rows = [supplier_row(1), supplier_row(1, process="surface-grinding"), supplier_row(2)]
    path.write_text(csv_text(rows, COLUMNS), encoding="utf-8")
    return path


def test_import_suppliers_says_what_it_did_with_a_progress_bar_on_stderr(
    world: World, suppliers_csv: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        out, err = run("import_suppliers", str(suppliers_csv))

    assert out.splitlines() == [
        "Imported 3 row(s) of suppliers.",
        "  suppliers: 2 new, 0 updated, 0 unchanged",
        "  capabilities: 3 new, 0 updated, 0 unchanged",
        "  certificates: 2 new, 0 updated, 0 unchanged",
        "Rematch: one run queued for the 2 suppliers added or changed.",
    ]
    assert "checking  [##############################]         3/3 rows 100%" in err
    assert "writing   [##############################]" in err
    assert Supplier.objects.count() == 2
    assert len(callbacks) == 1  # the one rematch of the import (tests/imports/test_rematch.py)


def test_a_dry_run_of_the_command_writes_nothing(world: World, suppliers_csv: Path) -> None:
    out, _err = run("import_suppliers", str(suppliers_csv), "--dry-run")

    assert out.startswith("Dry run of 3 row(s) of suppliers: nothing was written.")
    assert "suppliers: 2 new" in out
    assert not Supplier.objects.exists() and not MatchRun.objects.exists()


def test_a_refused_file_lists_every_error_by_row_and_column_and_fails(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "suppliers.csv"
    rows = [supplier_row(1), supplier_row(2, pin_code="0123", process="welding")]
    path.write_text(csv_text(rows, COLUMNS), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 row"):
        call_command("import_suppliers", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert any(
        line.startswith("row 3, column pin_code: A PIN code is six digits") for line in lines
    )
    assert any(line.startswith("row 3, column process: No process 'welding'") for line in lines)
    assert not Supplier.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("suppliers.xls", b"\xd0\xcf\x11\xe0", "Import a .csv or .xlsx file"),
        (
            "suppliers.csv",
            "udyam_number,name\nUDYAM,Kovai ₹\n".encode("cp1252", "replace") + b"\xff",
            "not UTF-8",
        ),
        ("suppliers.xlsx", b"not a zip file", "not an Excel workbook"),
        ("suppliers.csv", b"", "The file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(
    world: World, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_suppliers", str(path), stdout=io.StringIO(), stderr=err)

    assert message in err.getvalue()


def test_a_missing_file_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_needs", str(tmp_path / "nowhere.csv"))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_sample_files_import_cleanly_into_the_reference_data(
    suffix: str, django_capture_on_commit_callbacks: Any
) -> None:
    reference_load()

    with django_capture_on_commit_callbacks() as callbacks:
        suppliers_out, _ = run("import_suppliers", str(SAMPLES / f"suppliers.{suffix}"))
        needs_out, _ = run("import_needs", str(SAMPLES / f"needs.{suffix}"))

    assert "suppliers: 6 new" in suppliers_out
    assert "needs: 6 new" in needs_out
    assert SupplierCapability.objects.count() == 11
    assert Need.objects.count() == 6
    assert len(callbacks) == 2  # a rematch for each file

    # A second import of the same file changes nothing.
    again, _ = run("import_suppliers", str(SAMPLES / f"suppliers.{suffix}"))
    assert "suppliers: 0 new, 0 updated, 6 unchanged" in again


@pytest.mark.parametrize("sample", ["suppliers", "needs"])
def test_each_xlsx_sample_reads_as_the_same_table_as_its_csv(sample: str) -> None:
    """scripts/build_import_samples.py keeps them together."""
    from_csv = read_table((SAMPLES / f"{sample}.csv").read_bytes(), name=f"{sample}.csv")
    from_xlsx = read_table((SAMPLES / f"{sample}.xlsx").read_bytes(), name=f"{sample}.xlsx")

    assert from_xlsx.headers == from_csv.headers
    assert [row.cells for row in from_xlsx.rows] == [row.cells for row in from_csv.rows]
