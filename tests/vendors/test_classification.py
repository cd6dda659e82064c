"""Suppliers' derived fields: the MSME category, PAN and coordinates, on every path."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taxonomy.models import MsmeLimit
from tests.factories import DistrictFactory, SupplierFactory, revise_micro_investment_limit
from vendors.identifiers import make_gstin
from vendors.models import Supplier
from vendors.services import supplier_reclassify

CRORE = 10_000_000

pytestmark = pytest.mark.django_db


def test_a_supplier_category_is_computed_on_save_not_typed_in() -> None:
    supplier = SupplierFactory(investment_rupees=30 * CRORE, turnover_rupees=90 * CRORE)
    assert supplier.category == "medium"
    supplier.investment_rupees = CRORE
    supplier.turnover_rupees = CRORE
    supplier.save()
    supplier.refresh_from_db()
    assert supplier.category == "micro"


def test_a_limits_revision_reclassifies_suppliers_as_a_data_change() -> None:
    supplier = SupplierFactory(investment_rupees=3 * CRORE, turnover_rupees=8 * CRORE)
    assert supplier.category == "small"
    # A hypothetical next revision raising the micro investment limit to ₹5 crore.
    revise_micro_investment_limit(5 * CRORE)
    # The receivers queue a reclassification on commit, which never comes inside this test's
    # transaction: the service call is what changes the row here.
    assert supplier_reclassify(supplier_ids=[supplier.pk]) == 1
    assert Supplier.objects.get(pk=supplier.pk).category == "micro"
    assert supplier_reclassify() == 0  # a second run changes nothing


def boundary_figures(limits: list[MsmeLimit]) -> list[tuple[int, int]]:
    """Every pair of (investment, turnover) at, one rupee under and one over each limit."""
    investments = {0} | {
        limit.max_investment_rupees + step for limit in limits for step in (-1, 0, 1)
    }
    turnovers = {0} | {limit.max_turnover_rupees + step for limit in limits for step in (-1, 0, 1)}
    return [(i, t) for i in sorted(investments) for t in sorted(turnovers)]


@pytest.mark.parametrize("day", [datetime.date(2024, 6, 1), datetime.date.today()])
def test_the_set_based_reclassification_agrees_with_the_python_rule_at_every_boundary(
    day: datetime.date,
) -> None:
    classification = MsmeLimit.objects.classification_on(day)
    figures = boundary_figures(list(MsmeLimit.objects.in_force_on(day)))
    district = DistrictFactory()
    suppliers = [
        SupplierFactory(
            district=district,
            state=district.state,
            investment_rupees=investment,
            turnover_rupees=turnover,
        )
        for investment, turnover in figures
    ]
    Supplier.objects.update(category="")  # every row must be rewritten by the SQL CASE

    assert supplier_reclassify(on=day) == len(suppliers)

    stored = dict(Supplier.objects.values_list("pk", "category"))
    expected = {
        s.pk: classification.category_for(
            investment=s.investment_rupees, turnover=s.turnover_rupees
        )
        for s in suppliers
    }
    assert stored == expected
    assert set(expected.values()) == {"micro", "small", "medium", "not_msme"}


def test_an_edit_that_leaves_the_figures_alone_reads_no_limits() -> None:
    supplier = Supplier.objects.get(pk=SupplierFactory().pk)
    supplier.contact_name = "A. Raman"
    with CaptureQueriesContext(connection) as unrelated_edit:
        supplier.save()
    supplier.turnover_rupees = 200 * CRORE
    with CaptureQueriesContext(connection) as new_figures:
        supplier.save()
    with CaptureQueriesContext(connection) as saved_again:
        supplier.save()

    def reads_limits(queries: CaptureQueriesContext) -> int:
        return sum(MsmeLimit._meta.db_table in q["sql"] for q in queries.captured_queries)

    assert reads_limits(unrelated_edit) == 0
    assert reads_limits(new_figures) == 1
    assert reads_limits(saved_again) == 0
    assert Supplier.objects.get(pk=supplier.pk).category == "medium"


def test_the_pan_is_read_from_the_gstin_and_cleared_with_it() -> None:
    supplier = SupplierFactory(gstin=make_gstin(gst_state_code="33", pan="AABCU9603R"))
    assert supplier.pan == "AABCU9603R"
    supplier.gstin = None
    supplier.save()
    assert Supplier.objects.get(pk=supplier.pk).pan == ""


def test_a_supplier_without_coordinates_is_placed_at_its_district_headquarters() -> None:
    district = DistrictFactory(latitude=11.0168, longitude=76.9558)
    placed = SupplierFactory(district=district, state=district.state)
    own = SupplierFactory(district=district, state=district.state, latitude=11.1, longitude=77.0)
    assert (placed.latitude, placed.longitude) == (11.0168, 76.9558)
    assert (own.latitude, own.longitude) == (11.1, 77.0)
