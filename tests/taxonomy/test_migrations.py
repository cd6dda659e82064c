"""The vocabulary moved into taxonomy without touching a table or a row, and can move back.

taxonomy 0001 (with vendors 0003 and schemes 0004/0005) changes Django's state only: a populated
database migrated back to before the move and forward again keeps every row, every foreign key
and the permissions given on the moved models.
"""

from __future__ import annotations

import pytest
from django.apps.registry import Apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from taxonomy.models import MsmeLimit, Process
from tests.factories import (
    CertificationFactory,
    NeedFactory,
    StrategicSectorFactory,
    SupplierCapabilityFactory,
)

# Unapplying taxonomy 0001 unapplies what depends on it (vendors 0003, schemes 0004 and 0005).
UNDO_THE_MOVE = [("taxonomy", None)]
BEFORE_THE_MOVE = [("vendors", "0002_msme_limits"), ("schemes", "0003_facility_cluster_is_demo")]
MOVED_TABLES = {
    "vendors_capabilitycategory": ("id", "slug", "name", "order"),
    "vendors_process": ("id", "category_id", "slug", "name", "order"),
    "vendors_certificationtype": ("id", "code", "name", "zed_level"),
    "vendors_msmelimit": ("id", "category", "max_investment_rupees", "effective_from"),
    "schemes_strategicsector": ("id", "slug", "name", "is_headline"),
}


def migrate(targets: list[tuple[str, str | None]]) -> None:
    MigrationExecutor(connection).migrate(targets)


def models_at(nodes: list[tuple[str, str]]) -> Apps:
    """The historical models once these migrations (and what they depend on) are applied."""
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def table_rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        rows = {}
        for table, columns in MOVED_TABLES.items():
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {table} ORDER BY id")
            rows[table] = cursor.fetchall()
        return rows


@pytest.mark.django_db(transaction=True)
def test_a_populated_database_migrates_back_and_forward_keeping_every_row() -> None:
    capability = SupplierCapabilityFactory()
    supplier = capability.supplier
    certificate = CertificationFactory(supplier=supplier)
    sector = StrategicSectorFactory()
    supplier.sectors.add(sector)
    need = NeedFactory(process=capability.process)
    need.required_certifications.add(certificate.certification_type)
    editors = Group.objects.create(name="Taxonomy editors")
    editors.permissions.add(Permission.objects.get(codename="change_process"))
    process_type = ContentType.objects.get_for_model(Process)
    before = table_rows()
    assert all(before.values()), "every moved table has rows to keep"
    leaves = latest()
    try:
        migrate(UNDO_THE_MOVE)
        old = models_at(BEFORE_THE_MOVE)
        assert table_rows() == before
        # The old state reads the same rows through the old models and relations.
        old_capability = old.get_model("vendors", "SupplierCapability").objects.get()
        assert old_capability.process._meta.label == "vendors.Process"
        assert old_capability.process.slug == capability.process.slug
        old_need = old.get_model("schemes", "Need").objects.get()
        assert [c.code for c in old_need.required_certifications.all()] == [
            certificate.certification_type.code
        ]
        old_supplier = old.get_model("vendors", "Supplier").objects.get()
        assert [s.slug for s in old_supplier.sectors.all()] == [sector.slug]
        moved_back = ContentType.objects.filter(pk=process_type.pk).values_list("app_label")
        assert list(moved_back) == [("vendors",)]

        migrate(leaves)
        assert table_rows() == before
    finally:
        migrate(leaves)
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Process).pk == process_type.pk
    assert editors.permissions.get().content_type_id == process_type.pk
    # The current models read them too, through the repointed relations.
    fresh = type(capability).objects.select_related("process__category").get(pk=capability.pk)
    assert fresh.process.category.slug == capability.process.category.slug
    assert list(need.required_certifications.values_list("code", flat=True)) == [
        certificate.certification_type.code
    ]
    assert list(supplier.sectors.values_list("slug", flat=True)) == [sector.slug]
    assert MsmeLimit.objects.count() == len(before["vendors_msmelimit"])
