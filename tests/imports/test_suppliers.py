"""Importing suppliers: a valid file, every error by row and column, all or nothing, upserts,
dry runs, one rematch per import, history, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from matching.models import MatchRun
from taxonomy.history import ChangePath
from taxonomy.imports import read_table
from tests import factories as f
from vendors.imports import COLUMNS, suppliers_import
from vendors.models import Certification, Supplier, SupplierCapability

from .conftest import World, gstin, issues_at, supplier_row, table, udyam, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_valid_file_creates_each_supplier_once_with_its_processes_and_certificates(
    world: World,
) -> None:
    rows = [
        supplier_row(1, certifications="ISO_9001:2027-09-30;NABL:2028-03-31"),
        # A second process of the same supplier: its own columns left blank.
        {
            "udyam_number": udyam(1),
            "process": "surface-grinding",
            "monthly_capacity": "30,000",
            "capacity_unit": "Pieces",
            "best_tolerance_um": "3.5",
        },
        supplier_row(
            2,
            state="Karnataka",
            district="bengaluru urban",
            udyam_number=udyam(2, "KA", "03"),
            gstin=gstin("29", seed=2),
            pin_code="560058",
            investment_inr="2.2 crore",
            turnover_inr="6,50,00,000",
            certifications="",
        ),
    ]

    report = suppliers_import(table=table(rows, COLUMNS))

    assert not report.issues
    assert report.written
    assert Supplier.objects.count() == 2
    hosur = Supplier.objects.get(udyam_number=udyam(1))
    assert hosur.name == "Hosur Precision 1"
    assert hosur.state == world.tn and hosur.district == world.krishnagiri
    assert hosur.category == "small"  # ₹4.5 crore plant, ₹18 crore turnover
    assert hosur.pan == hosur.gstin[2:12]
    assert (hosur.latitude, hosur.longitude) == (12.52, 78.21)  # the district's headquarters
    capabilities = {c.process.slug: c for c in hosur.capabilities.all()}
    assert set(capabilities) == {"cnc-turning", "surface-grinding"}
    assert capabilities["surface-grinding"].monthly_capacity == Decimal("30000")
    assert capabilities["surface-grinding"].best_tolerance_um == Decimal("3.5")
    assert sorted(
        hosur.certifications.values_list("certification_type__code", "valid_until", "is_verified")
    ) == [
        ("ISO_9001", datetime.date(2027, 9, 30), False),
        ("NABL", datetime.date(2028, 3, 31), False),
    ]
    peenya = Supplier.objects.get(udyam_number=udyam(2, "KA", "03"))
    assert (peenya.investment_rupees, peenya.turnover_rupees) == (22_000_000, 65_000_000)
    assert peenya.category == "micro"
    assert report.created == {"suppliers": 2, "capabilities": 3, "certificates": 2}
    assert report.outcomes == {2: "new", 3: "new", 4: "new"}


def test_an_xlsx_file_imports_its_typed_cells_like_a_csv(world: World) -> None:
    header = list(COLUMNS)
    row = supplier_row(1)
    # Excel keeps numbers as numbers and dates as dates.
    row.update(
        pin_code=635109,
        investment_inr=45000000,
        turnover_inr=180000000.0,
        employees=85,
        year_established=2009,
        monthly_capacity=12500.5,
        best_tolerance_um=0.1 + 0.2,
    )
    data = xlsx_bytes(header, [[row[c] for c in header]])

    report = suppliers_import(table=read_table(data, name="suppliers.xlsx"))

    assert not report.issues, report.issues
    supplier = Supplier.objects.get()
    assert supplier.pin_code == "635109"
    assert supplier.turnover_rupees == 180_000_000
    capability = supplier.capabilities.get()
    assert capability.monthly_capacity == Decimal("12500.5")
    assert capability.best_tolerance_um == Decimal("0.3")


# Each kind of error: the cells that make it, and the (row, column) it is reported at. Row 2 is
# the first data row (the header is row 1).
ERRORS = {
    "malformed Udyam number": ({"udyam_number": "UDYAM-TN-5-12345"}, "udyam_number"),
    "Udyam number of another state": ({"udyam_number": "UDYAM-KA-03-0000001"}, "udyam_number"),
    "GSTIN with a wrong check digit": ({"gstin": gstin()[:-1] + "0"}, "gstin"),
    "GSTIN of another state": ({"gstin": gstin("29")}, "gstin"),
    "unknown state": ({"state": "Atlantis"}, "state"),
    "district of another state": ({"district": "Bengaluru Urban"}, "district"),
    "blank district": ({"district": ""}, "district"),
    "PIN code starting with 0": ({"pin_code": "035109"}, "pin_code"),
    "amount in words": ({"investment_inr": "four crore"}, "investment_inr"),
    "blank turnover": ({"turnover_inr": ""}, "turnover_inr"),
    "negative amount": ({"turnover_inr": "-5"}, "turnover_inr"),
    "fractional employees": ({"employees": "12.5"}, "employees"),
    "year in the future": ({"year_established": "2999"}, "year_established"),
    "malformed email": ({"email": "sales at example"}, "email"),
    "blank name": ({"name": ""}, "name"),
    "unknown process": ({"process": "welding"}, "process"),
    "capacity in words": ({"monthly_capacity": "lots"}, "monthly_capacity"),
    "capacity with too many digits": ({"monthly_capacity": "1" * 14}, "monthly_capacity"),
    "unknown unit": ({"capacity_unit": "litres"}, "capacity_unit"),
    "tolerance with three decimals": ({"best_tolerance_um": "0.125"}, "best_tolerance_um"),
    "fractional temperature": ({"max_temperature_c": "900.5"}, "max_temperature_c"),
    "figures without a process": ({"process": ""}, "process"),
    "certificate without a date": ({"certifications": "ISO_9001"}, "certifications"),
    "unknown certificate type": ({"certifications": "ISO_27001:2027-01-01"}, "certifications"),
    "impossible certificate date": ({"certifications": "ISO_9001:2027-02-30"}, "certifications"),
    "certificate type twice": (
        {"certifications": "ISO_9001:2027-01-01;ISO_9001:2028-01-01"},
        "certifications",
    ),
}


@pytest.mark.parametrize("cells, column", ERRORS.values(), ids=ERRORS.keys())
def test_each_kind_of_error_is_reported_at_its_row_and_column(
    world: World, cells: dict[str, str], column: str
) -> None:
    rows = [supplier_row(1), supplier_row(2, **cells)]

    report = suppliers_import(table=table(rows, COLUMNS))

    assert report.rejected
    assert issues_at(report) == {(3, column)}, report.issues
    assert all(issue.message for issue in report.issues)
    assert not Supplier.objects.exists()


def test_errors_that_need_the_whole_file_are_reported_on_the_later_row(world: World) -> None:
    f.SupplierFactory(state=world.tn, district=world.krishnagiri, gstin=gstin(seed=9))
    rows = [
        supplier_row(1),
        supplier_row(1, process="cnc-turning"),  # the same process of one supplier again
        supplier_row(1, name="Another name", process="surface-grinding"),  # disagrees
        supplier_row(2, gstin=gstin(seed=1)),  # row 2's supplier's GSTIN
        supplier_row(3, gstin=gstin(seed=9)),  # a GSTIN another supplier holds
    ]

    report = suppliers_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {(3, "process"), (4, "name"), (5, "gstin"), (6, "gstin")}
    assert "Row 2" in next(i.message for i in report.issues if i.row == 4)
    assert udyam(1) in next(i.message for i in report.issues if i.row == 5)


def test_every_error_of_every_row_is_listed_not_just_the_first(world: World) -> None:
    rows = [
        supplier_row(1, pin_code="12", email="nope", process="welding"),
        supplier_row(2),
        supplier_row(3, investment_inr="x", certifications="NABL:soon"),
    ]

    report = suppliers_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {
        (2, "pin_code"),
        (2, "email"),
        (2, "process"),
        (4, "investment_inr"),
        (4, "certifications"),
    }
    assert [issue.row for issue in report.issues] == sorted(issue.row for issue in report.issues)


def test_a_missing_column_or_an_unknown_one_is_reported_on_the_header_row(world: World) -> None:
    columns = [c for c in COLUMNS if c != "pin_code"] + ["pincode"]
    row = supplier_row(1)
    row["pincode"] = row.pop("pin_code")

    report = suppliers_import(table=table([row], columns))

    assert issues_at(report) == {(1, "pin_code"), (1, "pincode")}


def test_one_bad_row_rejects_the_file_and_nothing_is_written(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    existing = f.SupplierFactory(
        udyam_number=udyam(1), state=world.tn, district=world.krishnagiri, name="Old name"
    )
    rows = [supplier_row(n) for n in range(1, 30)] + [supplier_row(30, pin_code="x")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = suppliers_import(table=table(rows, COLUMNS))

    assert issues_at(report) == {(31, "pin_code")}
    assert not report.written and not report.changed_ids
    assert Supplier.objects.get() == existing
    existing.refresh_from_db()
    assert existing.name == "Old name"
    assert not SupplierCapability.objects.exists()
    assert not Certification.objects.exists()
    assert not Supplier.history.filter(history_path=ChangePath.IMPORT).exists()
    assert not callbacks
    assert not MatchRun.objects.exists()


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    f.SupplierFactory(udyam_number=udyam(1), state=world.tn, district=world.krishnagiri)
    rows = [supplier_row(1), supplier_row(2), supplier_row(2, process="surface-grinding")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = suppliers_import(table=table(rows, COLUMNS), dry_run=True)

    assert not report.issues and not report.written
    assert report.created["suppliers"] == 1 and report.updated["suppliers"] == 1
    assert report.created["capabilities"] == 3
    assert report.outcomes == {2: "update", 3: "new", 4: "new"}
    assert Supplier.objects.count() == 1
    assert not SupplierCapability.objects.exists()
    assert not Supplier.history.filter(history_path=ChangePath.IMPORT).exists()
    assert not callbacks and not MatchRun.objects.exists()


def test_a_second_import_updates_each_supplier_instead_of_duplicating_it(world: World) -> None:
    first = [
        supplier_row(1),
        supplier_row(1, process="surface-grinding", certifications=""),
        supplier_row(2),
    ]
    assert not suppliers_import(table=table(first, COLUMNS)).issues
    Certification.objects.update(is_verified=True, number="QMS-1", issuer="TÜV SÜD")
    hosur = Supplier.objects.get(udyam_number=udyam(1))
    turning = hosur.capabilities.get(process=world.turning)

    second = [
        # Bigger (now medium), moved to Coimbatore, a new date on its certificate.
        supplier_row(
            1,
            name="Hosur Precision Components",
            district="Coimbatore",
            investment_inr="30 crore",
            turnover_inr="150 crore",
            monthly_capacity="60000",
            certifications="ISO_9001:2028-09-30;NABL:2028-01-31",
        ),
        supplier_row(2),  # as it was
    ]
    report = suppliers_import(table=table(second, COLUMNS))

    assert not report.issues
    assert Supplier.objects.count() == 2
    hosur.refresh_from_db()
    assert hosur.name == "Hosur Precision Components"
    assert hosur.category == "medium"
    assert hosur.district == world.coimbatore
    assert (hosur.latitude, hosur.longitude) == (11.01, 76.96)  # moved with its district
    turning.refresh_from_db()
    assert turning.monthly_capacity == Decimal("60000")
    # Not in the file this time, but an import never deletes.
    assert hosur.capabilities.filter(process=world.grinding).exists()
    iso = hosur.certifications.get(certification_type=world.iso)
    assert (iso.valid_until, iso.is_verified, iso.number) == (
        datetime.date(2028, 9, 30),
        False,  # the verification was of the old date
        "QMS-1",
    )
    assert hosur.certifications.filter(certification_type=world.nabl).exists()
    assert report.created == {"suppliers": 0, "capabilities": 0, "certificates": 1}
    assert report.updated == {"suppliers": 1, "capabilities": 1, "certificates": 1}
    assert report.unchanged["suppliers"] == 1
    assert report.outcomes == {2: "update", 3: "skip"}
    assert report.changed_ids == [hosur.pk]


def test_columns_left_out_are_left_alone_and_blank_cells_empty_their_field(world: World) -> None:
    assert not suppliers_import(table=table([supplier_row(1)], COLUMNS)).issues
    columns = [c for c in COLUMNS if c not in {"email", "year_established", "certifications"}]

    report = suppliers_import(table=table([supplier_row(1, phone="", gstin="")], columns))

    assert not report.issues
    supplier = Supplier.objects.get()
    assert supplier.contact_email == "sales1@example.in"
    assert supplier.year_established == 2009
    assert supplier.contact_phone == "" and supplier.gstin is None and supplier.pan == ""


def test_an_import_that_changes_nothing_starts_no_rematch(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [supplier_row(1)]
    suppliers_import(table=table(rows, COLUMNS))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = suppliers_import(table=table(rows, COLUMNS))

    assert report.written and not report.changed_ids
    assert not callbacks


def test_history_rows_record_the_import_path_and_who_imported(
    world: World, admin_user: Any
) -> None:
    suppliers_import(table=table([supplier_row(1)], COLUMNS), user=admin_user)
    suppliers_import(
        table=table([supplier_row(1, name="Renamed", monthly_capacity="1")], COLUMNS),
        user=admin_user,
    )

    supplier = Supplier.objects.get()
    records = list(supplier.history.order_by("history_id"))
    assert [(r.history_type, r.name, r.history_path) for r in records] == [
        ("+", "Hosur Precision 1", "import"),
        ("~", "Renamed", "import"),
    ]
    assert {r.history_user for r in records} == {admin_user}
    capability = supplier.capabilities.get()
    assert list(capability.history.values_list("history_type", "history_path")) == [
        ("~", "import"),
        ("+", "import"),
    ]
    assert list(
        Certification.history.values_list("history_type", "history_path", "history_user")
    ) == [("+", "import", admin_user.pk)]


def test_the_import_runs_a_bounded_number_of_queries_whatever_its_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    f.SupplierFactory(udyam_number=udyam(1), state=world.tn, district=world.krishnagiri)
    small = [supplier_row(n) for n in range(1, 4)]
    large = [supplier_row(n) for n in range(101, 161)]
    large += [supplier_row(n, process="surface-grinding") for n in range(101, 161)]

    # Read: states, districts, processes, certificate types, MSME limits; the named suppliers,
    # their capabilities and certificates, the GSTIN holders. Write: suppliers, capabilities,
    # certificates, each with its history rows; a savepoint or two. Nothing per row.
    for rows in (small, large):
        with django_assert_max_num_queries(25):
            report = suppliers_import(table=table(rows, COLUMNS))
        assert not report.issues
