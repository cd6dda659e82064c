"""An import rematches once: one MatchRun (trigger "import") for the file, run to its end by
whoever runs tasks here (in-process on the embedded default, a real worker with REDIS_URL), and
no rematch queued per row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery.signals import task_prerun
from django.core.cache import cache

from matching.models import Match, MatchRun
from matching.tasks import _debounce_key
from schemes.imports import COLUMNS as NEED_COLUMNS
from schemes.imports import needs_import
from schemes.models import Need
from tests import factories as f
from tests.conftest import worker_idle
from tests.test_celery_worker import wait_until
from vendors.imports import COLUMNS, suppliers_import

from .conftest import World, need_row, supplier_row, table

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_runner")]


def settled() -> bool:
    return worker_idle() and not MatchRun.objects.filter(finished_at__isnull=True).exists()


@pytest.fixture
def tasks_run_here() -> Iterator[list[str]]:
    """The names of tasks run in this process (all of them without a broker)."""
    names: list[str] = []

    def record(sender: Any = None, **kwargs: Any) -> None:
        names.append(sender.name)

    task_prerun.connect(record)
    yield names
    task_prerun.disconnect(record)


def no_rematch_queued_per_row(kind: str, ids: list[int], tasks_run_here: list[str]) -> bool:
    # A per-row rematch would leave its debounce marker for two seconds (with a worker), or run
    # here (without a broker): neither happened.
    markers = [cache.get(_debounce_key(kind, pk)) for pk in ids]
    return not any(markers) and f"matching.tasks.rematch_{kind}" not in tasks_run_here


def test_a_supplier_import_starts_one_run_of_the_suppliers_it_changed(
    world: World, tasks_run_here: list[str]
) -> None:
    f.SupplierFactory.create_batch(20, state=world.tn, district=world.krishnagiri)
    need = f.NeedFactory(facility=world.facility, process=world.grinding, radius_km=None)
    rows = [supplier_row(n) for n in range(1, 6)]
    rows += [supplier_row(n, process="surface-grinding", certifications="") for n in range(1, 6)]
    assert wait_until(settled)  # the factories' own rematches
    tasks_run_here.clear()

    report = suppliers_import(table=table(rows, COLUMNS))

    assert not report.issues
    assert no_rematch_queued_per_row("supplier", report.changed_ids, tasks_run_here)
    assert wait_until(settled)
    run = MatchRun.objects.get()
    assert (run.trigger, run.scope, run.status) == (
        MatchRun.Trigger.IMPORT,
        MatchRun.Scope.SUPPLIERS,
        MatchRun.Status.DONE,
    )
    # The run matched the imported suppliers against the need for their process.
    matched = set(Match.objects.filter(need=need).values_list("supplier_id", flat=True))
    assert matched == set(report.changed_ids)


def test_importing_most_of_the_suppliers_starts_one_full_run(world: World) -> None:
    suppliers_import(table=table([supplier_row(1), supplier_row(2)], COLUMNS))

    assert wait_until(settled)
    run = MatchRun.objects.get()
    assert (run.trigger, run.scope, run.status) == (
        MatchRun.Trigger.IMPORT,
        MatchRun.Scope.FULL,
        MatchRun.Status.DONE,
    )


def test_a_needs_import_starts_one_run_of_the_needs_it_changed(
    world: World, tasks_run_here: list[str]
) -> None:
    f.NeedFactory.create_batch(10, facility=world.facility, process=world.turning)
    supplier = f.SupplierFactory(state=world.tn, district=world.krishnagiri)
    f.SupplierCapabilityFactory(supplier=supplier, process=world.turning)
    f.CertificationFactory(supplier=supplier, certification_type=world.iso)
    assert wait_until(settled)  # the factories' own rematches
    MatchRun.objects.all().delete()
    tasks_run_here.clear()
    rows = [need_row(f"F1-{n:03d}", radius_km="", preferred_category="") for n in range(1, 5)]

    report = needs_import(table=table(rows, NEED_COLUMNS))

    assert no_rematch_queued_per_row("need", report.changed_ids, tasks_run_here)
    assert wait_until(settled)
    run = MatchRun.objects.get()
    assert (run.trigger, run.scope, run.status) == (
        MatchRun.Trigger.IMPORT,
        MatchRun.Scope.NEEDS,
        MatchRun.Status.DONE,
    )
    imported = Need.objects.filter(external_ref__startswith="F1-")
    assert set(
        Match.objects.filter(supplier=supplier, need__in=imported).values_list("need_id", flat=True)
    ) == set(imported.values_list("pk", flat=True))
