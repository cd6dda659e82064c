"""Planning a full run: chunks of needs that share their candidate suppliers."""

import pytest

from matching.models import Match
from matching.runs import match_run_create
from tests.factories import MatchFactory, NeedFactory, ProcessFactory, SupplierCapabilityFactory

pytestmark = pytest.mark.django_db


def test_a_full_run_chunks_needs_by_process_largest_first() -> None:
    machining = ProcessFactory()
    coating = ProcessFactory(slug="pvd-coating", name="PVD coating")
    # Created interleaved, so chunks by id would mix the two processes; four machining needs
    # do not fill whole chunks of three.
    needs = [NeedFactory(process=process) for process in (machining, coating) * 3]
    needs.append(NeedFactory(process=machining))
    closed = NeedFactory(process=machining, status="closed")
    # Coating's chunk has the most candidate pairs (2 suppliers × 3 needs) and goes first.
    SupplierCapabilityFactory(process=machining)
    SupplierCapabilityFactory.create_batch(2, process=coating)

    run = match_run_create(chunk_needs=3)

    chunks = [chunk.need_ids for chunk in run.chunks.order_by("index")]
    machining_ids = sorted(n.pk for n in needs if n.process_id == machining.pk)
    coating_ids = sorted(n.pk for n in needs if n.process_id == coating.pk)
    assert chunks == [coating_ids, machining_ids[:2], machining_ids[2:]]
    assert closed.pk not in {need_id for chunk in chunks for need_id in chunk}
    assert run.chunks_total == 3


def test_a_full_run_includes_closed_needs_with_matches_and_drops_orphans() -> None:
    closed_match = MatchFactory(need=NeedFactory(status="closed"))
    orphan = MatchFactory(need=NeedFactory(status="closed"))
    Match.objects.filter(pk=orphan.pk).update(need_id=orphan.need_id + 10_000)

    run = match_run_create()

    assert [chunk.need_ids for chunk in run.chunks.all()] == [[closed_match.need_id]]
    assert list(Match.objects.values_list("pk", flat=True)) == [closed_match.pk]
