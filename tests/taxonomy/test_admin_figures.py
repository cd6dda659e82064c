"""The admin reads the Indian way: its own name, rupees in lakh and crore with Indian grouping,
dates as "15 Dec 2025" (typed day first), units spelled right, materials as choices."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from schemes.models import Need
from taxonomy.amounts import GroupedDecimalField, RupeesInput
from tests import factories as f
from vendors.models import Supplier, SupplierCapability

pytestmark = pytest.mark.django_db


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def supplier_form(supplier: Supplier, **changes: Any) -> dict[str, Any]:
    """The supplier change form as the browser posts it, with no capability or certificate."""
    data = {
        "name": supplier.name,
        "udyam_number": supplier.udyam_number,
        "gstin": supplier.gstin,
        "state": supplier.state_id,
        "district": supplier.district_id,
        "address": "",
        "pin_code": supplier.pin_code,
        "latitude": "",
        "longitude": "",
        "investment_rupees": "2,00,00,000",
        "turnover_rupees": "8,00,00,000",
        "employees": "40",
        "year_established": "2012",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "is_active": "on",
    }
    for prefix in ("capabilities", "certifications"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | changes


def test_the_admin_is_titled_repm_connect(admin_client: Client) -> None:
    page = admin_client.get("/admin/").content.decode()

    assert "<title>Scheme administration | REPM Connect admin</title>" in page
    assert '<a href="/admin/">REPM Connect</a>' in page
    assert "Django administration" not in page
    assert "/static/css/admin.css" in page


def test_dates_read_day_month_year_in_english_and_hindi() -> None:
    day = datetime.date(2025, 12, 15)
    moment = datetime.datetime(2025, 12, 15, 14, 5)

    assert formats.date_format(day) == "15 Dec 2025"
    assert formats.localize(moment) == "15 Dec 2025, 14:05"
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
    assert "%m/%d/%Y" not in formats.get_format("DATE_INPUT_FORMATS")  # 05/12 is 5 December
    with translation.override("hi"):
        assert formats.get_format("DATE_FORMAT") == "j M Y"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


def test_the_supplier_list_reads_amounts_in_lakh_and_crore(admin_client: Client) -> None:
    f.SupplierFactory(investment_rupees=25_000_000, turnover_rupees=4_500_000)

    page = admin_client.get(admin_url(Supplier, "changelist")).content.decode()

    assert "₹2.5 crore" in page
    assert "₹45 lakh" in page
    assert "25000000" not in page


def test_the_supplier_form_shows_grouped_rupees_and_takes_lakh_and_crore(
    admin_client: Client,
) -> None:
    supplier = f.SupplierFactory(investment_rupees=25_000_000)
    url = admin_url(Supplier, "change", supplier.pk)

    page = admin_client.get(url).content.decode()
    assert 'value="2,50,00,000"' in page
    assert '<span class="amount-in-words">₹2.5 crore</span>' in page

    response = admin_client.post(
        url, supplier_form(supplier, investment_rupees="3.2 crore", turnover_rupees="75 lakh")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    supplier.refresh_from_db()
    assert (supplier.investment_rupees, supplier.turnover_rupees) == (32_000_000, 7_500_000)

    response = admin_client.post(url, supplier_form(supplier, investment_rupees="two crore"))
    assert response.status_code == 200
    assert "Type the amount in figures" in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.investment_rupees == 32_000_000


def test_a_needs_quantity_reads_with_its_unit_and_its_due_date_day_first(
    admin_client: Client,
) -> None:
    need = f.NeedFactory(quantity=Decimal("1200000"), due_date=datetime.date(2026, 12, 15))

    listing = admin_client.get(admin_url(Need, "changelist")).content.decode()
    form = admin_client.get(admin_url(Need, "change", need.pk)).content.decode()

    assert "12,00,000 pieces" in listing
    assert "15 Dec 2026" in listing
    assert 'value="12,00,000"' in form
    assert 'value="15/12/2026"' in form


def test_units_are_never_upper_cased_in_the_admin(admin_client: Client) -> None:
    capability = f.SupplierCapabilityFactory(best_tolerance_um=Decimal("2.5"))

    inline = admin_client.get(admin_url(Supplier, "change", capability.supplier_id))
    listing = admin_client.get(admin_url(SupplierCapability, "changelist")).content.decode()

    assert "Best tolerance (µm)" in inline.content.decode()  # the inline's column header
    assert "2.5 µm" in listing
    sheet = (Path(settings.BASE_DIR) / "static/css/admin.css").read_text()
    rule = re.search(r"thead th,[^{]*\{[^}]*\}", sheet).group(0)
    assert "text-transform: none" in rule
    assert ".inline-group h2" in rule


def test_materials_are_ticked_from_the_list_not_typed_as_json(admin_client: Client) -> None:
    capability = f.SupplierCapabilityFactory(materials=["ndfeb_sintered"])
    url = admin_url(SupplierCapability, "change", capability.pk)

    page = admin_client.get(url).content.decode()
    assert page.count('type="checkbox" name="materials"') == 4
    assert re.search(r'value="ndfeb_sintered"[^>]*checked', page)
    assert "[&quot;ndfeb_sintered&quot;]" not in page

    response = admin_client.post(
        url,
        {
            "supplier": capability.supplier_id,
            "process": capability.process_id,
            "monthly_capacity": "1,00,000",
            "capacity_unit": "pieces",
            "best_tolerance_um": "5",
            "materials": ["smco", "ferrite"],
        },
    )
    assert response.status_code == 302
    capability.refresh_from_db()
    assert capability.materials == ["smco", "ferrite"]
    assert capability.monthly_capacity == Decimal("100000")


def test_the_figure_widgets_show_indian_grouping() -> None:
    assert RupeesInput().format_value(12_345_678) == "1,23,45,678"
    assert RupeesInput().format_value("2.5 crore") == "2.5 crore"  # typed text shown back
    field = GroupedDecimalField(max_digits=14, decimal_places=2)
    assert field.widget.format_value(Decimal("1234567.50")) == "12,34,567.5"
    assert field.clean("12,34,567.50") == Decimal("1234567.50")
