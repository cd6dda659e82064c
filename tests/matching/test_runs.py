"""Runs: planned in chunks of needs that share their candidate suppliers; processed so that
every delivery is safe; watched so that none is left stuck."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import Match, MatchRun, MatchRunChunk
from matching.runs import (
    MAX_CHUNK_ATTEMPTS,
    match_run_chunk_process,
    match_run_chunk_start,
    match_run_create,
    match_run_watch,
)
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


def test_light_processes_are_packed_into_one_chunk_up_to_half_the_heaviest() -> None:
    heavy, light, lighter = (
        ProcessFactory(slug=slug, name=slug) for slug in ("cnc-turning", "wire-edm", "flux-testing")
    )
    SupplierCapabilityFactory.create_batch(4, process=heavy)
    SupplierCapabilityFactory(process=light)
    SupplierCapabilityFactory(process=lighter)
    # Candidate pairs: heavy 2 × 4 = 8; light and lighter 2 × 1 each, 4 together: half of 8.
    needs = {p: [NeedFactory(process=p).pk for _ in range(2)] for p in (heavy, light, lighter)}

    run = match_run_create(chunk_needs=3)

    chunks = [chunk.need_ids for chunk in run.chunks.order_by("index")]
    assert chunks == [needs[heavy], needs[light] + needs[lighter]]
    assert run.chunks_total == 2


def test_a_full_run_includes_closed_needs_with_matches_and_drops_orphans() -> None:
    closed_match = MatchFactory(need=NeedFactory(status="closed"))
    orphan = MatchFactory(need=NeedFactory(status="closed"))
    Match.objects.filter(pk=orphan.pk).update(need_id=orphan.need_id + 10_000)

    run = match_run_create()

    assert [chunk.need_ids for chunk in run.chunks.all()] == [[closed_match.need_id]]
    assert list(Match.objects.values_list("pk", flat=True)) == [closed_match.pk]


def _two_chunk_run() -> MatchRun:
    capability = SupplierCapabilityFactory()
    for _ in range(2):
        NeedFactory(process=capability.process)
    return match_run_create(chunk_needs=1)


def test_a_redelivered_chunk_that_is_done_changes_nothing() -> None:
    run = _two_chunk_run()
    first = run.chunks.order_by("index").first()
    assert match_run_chunk_start(chunk_id=first.pk)
    assert match_run_chunk_process(chunk_id=first.pk)
    run.refresh_from_db()
    counts = (run.chunks_done, run.rows_written)

    # The same message again (a redelivery, or the watchdog re-driving it).
    assert not match_run_chunk_start(chunk_id=first.pk)
    assert not match_run_chunk_process(chunk_id=first.pk)
    run.refresh_from_db()
    assert (run.chunks_done, run.rows_written) == counts == (1, 1)


def test_the_last_chunk_finishes_its_run_in_the_same_transaction() -> None:
    run = _two_chunk_run()
    for chunk in run.chunks.order_by("index"):
        match_run_chunk_start(chunk_id=chunk.pk)
        match_run_chunk_process(chunk_id=chunk.pk)
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.rows_written) == ("done", 2, 2)
    assert run.finished_at is not None


def test_a_chunk_delivered_again_and_again_without_finishing_fails_the_run_with_a_reason() -> None:
    run = _two_chunk_run()
    stuck, other = run.chunks.order_by("index")
    match_run_chunk_start(chunk_id=other.pk)
    match_run_chunk_process(chunk_id=other.pk)
    for _ in range(MAX_CHUNK_ATTEMPTS):  # each delivery killed its worker before finishing
        assert match_run_chunk_start(chunk_id=stuck.pk)
    assert not match_run_chunk_start(chunk_id=stuck.pk)

    run.refresh_from_db()
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert run.status == "failed"
    assert f"Delivered {MAX_CHUNK_ATTEMPTS} times without finishing" in run.failure_reason


def test_the_watchdog_finishes_a_run_left_running_with_every_chunk_done() -> None:
    run = _two_chunk_run()
    MatchRunChunk.objects.filter(run=run).update(status="done")
    assert match_run_watch(run_id=run.pk) == []
    run.refresh_from_db()
    assert run.status == "done"


def test_the_watchdog_re_drives_only_a_run_without_progress(settings) -> None:
    settings.MATCH_RUN_STALE_SECONDS = 60
    run = _two_chunk_run()
    assert match_run_watch(run_id=run.pk) == []  # just created: not stale
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    MatchRunChunk.objects.filter(run=run).update(queued_at=timezone.now() - timedelta(minutes=5))
    assert sorted(match_run_watch(run_id=run.pk)) == sorted(run.chunks.values_list("pk", flat=True))


def test_planning_a_full_run_reads_need_ids_not_every_match() -> None:
    """The matched needs come from a DISTINCT over need ids alone: with the model's ordering
    (-score, id) in it, the query sorted and shipped every match (17 s at four million)."""
    MatchFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        match_run_create()
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "matching_match"' in q["sql"]]
    assert reads
    assert not any('"matching_match"."score"' in sql or "ORDER BY" in sql for sql in reads)
