"""Planning a full run: chunks of needs that share their candidate suppliers."""

import pytest

from matching.services import match_run_create
from tests.factories import NeedFactory, ProcessFactory, SupplierCapabilityFactory

pytestmark = pytest.mark.django_db


def test_a_full_run_chunks_needs_by_process_largest_first() -> None:
    machining = ProcessFactory()
    coating = ProcessFactory(slug="pvd-coating", name="PVD coating")
    # Created interleaved, so chunks by id would mix the two processes.
    needs = [NeedFactory(process=process) for process in (machining, coating) * 3]
    closed = NeedFactory(process=machining, status="closed")
    # More suppliers offer coating: its chunk has more candidate pairs and is handed out first.
    SupplierCapabilityFactory(process=machining)
    SupplierCapabilityFactory.create_batch(2, process=coating)

    run = match_run_create(chunk_needs=3)

    chunks = [chunk.need_ids for chunk in run.chunks.order_by("index")]
    by_process = {
        process.pk: sorted(n.pk for n in needs if n.process_id == process.pk)
        for process in (machining, coating)
    }
    assert chunks == [by_process[coating.pk], by_process[machining.pk]]
    assert closed.pk not in {need_id for chunk in chunks for need_id in chunk}
    assert run.chunks_total == 2
