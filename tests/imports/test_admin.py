"""Import and export in the admin: the same service as the commands, behind the same checks.

Personas (tests/conftest.py and here): ``admin_client`` is a superuser; ``scheme_admin`` is in
the Scheme administrator group, not a superuser; ``facility_manager`` is in the Facility manager
group, managing one facility; ``viewer`` may only view suppliers and needs.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from schemes.imports import COLUMNS as NEED_COLUMNS
from schemes.models import Need
from taxonomy.history import ChangePath
from tests import factories as f
from vendors.imports import COLUMNS
from vendors.models import Supplier

from .conftest import World, csv_text, need_row, supplier_row, xlsx_bytes

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the format choices, in TableImportExportMixin's order


def url(model: str, view: str) -> str:
    return reverse(f"admin:{model}_{view}")


def staff_client(*codenames: str) -> tuple[Client, Any]:
    user = f.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def viewer() -> Client:
    client, _user = staff_client("view_supplier", "view_need")
    return client


def upload(client: Client, model: str, content: bytes, name: str, file_format: str) -> Any:
    return client.post(
        url(model, "import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client: Client, preview: Any) -> Any:
    form = preview.context["confirm_form"]
    return client.post(url_of(preview, "process_import"), form.initial, follow=True)


def url_of(preview: Any, view: str) -> str:
    opts = preview.context["opts"]
    return url(f"{opts.app_label}_{opts.model_name}", view)


def suppliers_file(*rows: dict[str, object]) -> bytes:
    return csv_text(rows or [supplier_row(1), supplier_row(2)], COLUMNS).encode()


def test_the_changelists_offer_import_and_export_to_an_administrator(
    world: World, admin_client: Client
) -> None:
    for model in ("vendors_supplier", "schemes_need"):
        page = admin_client.get(url(model, "changelist")).content.decode()
        assert url(model, "import") in page
        assert url(model, "export") in page
        assert admin_client.get(url(model, "import")).status_code == 200


def test_the_preview_is_a_dry_run_and_the_confirm_imports_through_the_service(
    world: World, admin_client: Client, admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preview = upload(admin_client, "vendors_supplier", suppliers_file(), "s.csv", CSV)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert "Dry run of 2 row(s) of suppliers" in preview.content.decode()
    assert [row.import_type for row in preview.context["result"].rows] == ["new", "new"]
    assert not Supplier.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        done = confirm(admin_client, preview)

    assert done.redirect_chain[-1][0] == url("vendors_supplier", "changelist")
    messages = [str(m) for m in done.context["messages"]]
    assert messages == [
        "Imported 2 row(s) of suppliers. suppliers: 2 new, 0 updated, 0 unchanged "
        "capabilities: 2 new, 0 updated, 0 unchanged certificates: 2 new, 0 updated, 0 unchanged"
    ]
    assert Supplier.objects.count() == 2
    assert set(Supplier.history.values_list("history_path", "history_user")) == {
        (ChangePath.IMPORT, admin_user.pk)
    }
    assert len(callbacks) == 1  # the one rematch of the import (tests/imports/test_rematch.py)


def test_an_xlsx_file_imports_through_the_admin(world: World, admin_client: Client) -> None:
    header = list(NEED_COLUMNS)
    content = xlsx_bytes(header, [[need_row("F1-001")[c] for c in header]])

    preview = upload(admin_client, "schemes_need", content, "needs.xlsx", XLSX)
    confirm(admin_client, preview)

    assert Need.objects.get().external_ref == "F1-001"


def test_a_file_with_errors_shows_each_by_row_and_column_and_offers_no_confirm(
    world: World, admin_client: Client
) -> None:
    content = suppliers_file(
        supplier_row(1), supplier_row(2, pin_code="0123", certifications="ISO_9001")
    )

    page = upload(admin_client, "vendors_supplier", content, "s.csv", CSV)

    assert "confirm_form" not in page.context
    [invalid] = page.context["result"].invalid_rows
    assert invalid.number == 3
    assert set(invalid.field_specific_errors) == {"pin_code", "certifications"}
    html = page.content.decode()
    assert "The file of suppliers was refused: 2 error(s) in 1 row(s); nothing was written." in html
    assert "row 3, column pin_code: A PIN code is six digits" in html
    assert not Supplier.objects.exists()


def test_rows_changed_between_preview_and_confirm_are_refused_whole(
    world: World, admin_client: Client
) -> None:
    preview = upload(admin_client, "vendors_supplier", suppliers_file(), "s.csv", CSV)
    # Meanwhile someone registers supplier 2's GSTIN to another supplier.
    f.SupplierFactory(state=world.tn, district=world.krishnagiri, gstin=supplier_row(2)["gstin"])

    page = confirm(admin_client, preview)

    assert page.status_code == 200
    assert "was refused" in page.content.decode()
    assert [row.number for row in page.context["result"].invalid_rows] == [3]
    assert Supplier.objects.count() == 1


def test_a_scheme_administrator_without_superuser_may_import(
    world: World, scheme_admin: Client
) -> None:
    preview = upload(scheme_admin, "vendors_supplier", suppliers_file(), "s.csv", CSV)
    confirm(scheme_admin, preview)
    needs = csv_text([need_row("F1-001")], NEED_COLUMNS).encode()
    confirm(scheme_admin, upload(scheme_admin, "schemes_need", needs, "n.csv", CSV))

    assert Supplier.objects.count() == 2 and Need.objects.count() == 1


def test_a_viewer_may_export_but_not_import(world: World, viewer: Client) -> None:
    changelist = viewer.get(url("vendors_supplier", "changelist")).content.decode()
    assert url("vendors_supplier", "import") not in changelist
    assert url("vendors_supplier", "export") in changelist

    assert viewer.get(url("vendors_supplier", "import")).status_code == 403
    refused = upload(viewer, "vendors_supplier", suppliers_file(), "s.csv", CSV)
    assert refused.status_code == 403
    process = viewer.post(
        url("vendors_supplier", "process_import"),
        {"import_file_name": "x", "original_file_name": "s.csv", "format": CSV},
    )
    assert process.status_code == 403
    assert not Supplier.objects.exists()


def test_a_facility_manager_may_not_import_needs_not_even_for_their_facility(
    world: World, facility_manager: Client, managed_facility: Any
) -> None:
    content = csv_text([need_row("F1-001", facility=managed_facility.slug)], NEED_COLUMNS).encode()

    changelist = facility_manager.get(url("schemes_need", "changelist")).content.decode()
    assert url("schemes_need", "import") not in changelist
    assert facility_manager.get(url("schemes_need", "import")).status_code == 403
    assert upload(facility_manager, "schemes_need", content, "n.csv", CSV).status_code == 403
    assert not Need.objects.exists()


def test_a_facility_manager_exports_only_their_facilitys_needs(
    world: World, facility_manager: Client, managed_facility: Any
) -> None:
    f.NeedFactory(facility=managed_facility, external_ref="OURS-1", process=world.turning)
    f.NeedFactory(facility=world.facility, external_ref="THEIRS-1", process=world.turning)

    exported = facility_manager.post(url("schemes_need", "export"), {"format": CSV})

    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "OURS-1" in lines[1]


def test_an_export_imports_back_unchanged(world: World, admin_client: Client) -> None:
    confirm(
        admin_client,
        upload(
            admin_client,
            "vendors_supplier",
            suppliers_file(
                supplier_row(1, certifications="ISO_9001:2027-01-31;NABL:2028-02-29"),
                supplier_row(
                    1, process="surface-grinding", best_tolerance_um="2.5", certifications=""
                ),
                supplier_row(
                    2, process="", monthly_capacity="", capacity_unit="", best_tolerance_um=""
                ),
            ),
            "s.csv",
            CSV,
        ),
    )

    exported = admin_client.post(
        url("vendors_supplier", "export"), {"format": CSV, "resource": "0"}
    )

    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert len(text.splitlines()) == 4  # a row per process, one for the supplier without any
    again = upload(admin_client, "vendors_supplier", text.encode(), "export.csv", CSV)
    report = again.context["result"].report
    assert not report.issues
    assert report.created.total() == 0 and report.updated.total() == 0


def test_needs_export_as_xlsx(world: World, admin_client: Client) -> None:
    f.NeedFactory(facility=world.facility, external_ref="F1-001", process=world.turning)

    exported = admin_client.post(url("schemes_need", "export"), {"format": XLSX, "resource": "0"})

    assert exported.status_code == 200
    from taxonomy.imports import read_xlsx

    table = read_xlsx(exported.content)
    assert table.headers == list(NEED_COLUMNS)
    assert table.rows[0].get("reference") == "F1-001"


@pytest.mark.parametrize(
    "content, name, file_format, message",
    [
        ("Kovai ₹".encode("cp1252", "replace") + b"\xff", "s.csv", CSV, "not UTF-8"),
        (b"not a workbook", "s.xlsx", XLSX, "not an Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_reason_on_the_form(
    world: World, admin_client: Client, content: bytes, name: str, file_format: str, message: str
) -> None:
    page = upload(admin_client, "vendors_supplier", content, name, file_format)

    assert page.status_code == 200
    assert message in str(page.context["form"].errors["import_file"])
    assert not Supplier.objects.exists()
