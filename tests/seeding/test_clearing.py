"""Set-wise cascading deletes follow each relation's on_delete, one statement per table."""

from __future__ import annotations

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from schemes.models import Facility
from seeding.demo.clearing import RowSet, delete_cascading
from tests.factories import (
    CertificationFactory,
    ClusterFactory,
    FacilityFactory,
    MatchFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
)
from vendors.models import Certification, Supplier, SupplierCapability

pytestmark = pytest.mark.django_db


def test_it_deletes_the_rows_and_their_cascade_one_statement_per_table() -> None:
    doomed = SupplierCapabilityFactory(supplier=SupplierFactory(is_demo=True)).supplier
    CertificationFactory(supplier=doomed)
    MatchFactory(supplier=doomed)
    kept = SupplierCapabilityFactory().supplier
    history_before = Supplier.history.count()

    with CaptureQueriesContext(connection) as queries:
        deleted = delete_cascading(RowSet.where_field_is(Supplier, "is_demo", True))

    assert list(Supplier.objects.all()) == [kept]
    assert SupplierCapability.objects.get().supplier == kept
    assert not Certification.objects.exists()
    assert deleted["vendors_supplier"] == 1
    assert deleted["vendors_suppliercapability"] == 1
    assert deleted["matching_match"] == 1
    # No row is loaded into Python and no per-row signal writes history.
    assert not any(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert Supplier.history.count() == history_before


def test_a_set_null_relation_is_cleared_not_deleted() -> None:
    cluster = ClusterFactory()
    facility = FacilityFactory(cluster=cluster)

    delete_cascading(RowSet.where_field_is(type(cluster), "slug", cluster.slug))

    assert Facility.objects.get(pk=facility.pk).cluster is None


def test_a_protected_relation_stops_the_delete_and_the_transaction_undoes_it() -> None:
    capability = SupplierCapabilityFactory()
    process = capability.process

    with pytest.raises(models.ProtectedError), transaction.atomic():
        delete_cascading(RowSet.where_field_is(type(process), "slug", process.slug))

    assert SupplierCapability.objects.get().process == process
