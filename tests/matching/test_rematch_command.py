"""The rematch command: in-process tasks on the embedded default, a real worker with Redis."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matching.models import Match, MatchRun, MatchRunChunk
from tests.conftest import worker_idle
from tests.factories import NeedFactory, SupplierCapabilityFactory
from tests.test_celery_worker import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_runner")]


def _wait_for_incremental_rematches(expected: int) -> None:
    """Let the debounced rematches queued by the saves finish, so they can't race the run."""
    assert wait_until(lambda: worker_idle() and Match.objects.count() == expected)


def rematch(*args: str) -> str:
    out = StringIO()
    call_command("rematch", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_full_rematch_runs_every_chunk_and_reports_what_changed() -> None:
    capability = SupplierCapabilityFactory()
    for _ in range(3):
        NeedFactory(process=capability.process)
    # Saving the needs queued incremental rematches; start the full run from an empty table.
    _wait_for_incremental_rematches(3)
    Match.objects.all().delete()
    output = rematch("--all", "--chunk-needs", "2")
    run = MatchRun.objects.get()
    assert (run.status, run.chunks_total, run.chunks_done) == ("done", 2, 2)
    assert run.rows_written == Match.objects.count() == 3
    assert "3 match row(s) written" in output
    assert set(MatchRunChunk.objects.values_list("status", flat=True)) == {"done"}
    # A second full run changes nothing.
    rematch("--all")
    assert MatchRun.objects.order_by("-pk").first().rows_written == 0


def test_a_supplier_rematch_prints_its_changes() -> None:
    capability = SupplierCapabilityFactory()
    NeedFactory(process=capability.process)
    _wait_for_incremental_rematches(1)
    Match.objects.all().delete()
    output = rematch("--supplier", str(capability.supplier_id))
    assert "1 match row(s) written" in output


def test_an_unknown_supplier_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No supplier #999999"):
        rematch("--supplier", "999999")


def test_resuming_a_run_that_is_all_done_finishes_it_and_returns() -> None:
    capability = SupplierCapabilityFactory()
    NeedFactory(process=capability.process)
    _wait_for_incremental_rematches(1)
    rematch("--all")
    run = MatchRun.objects.get()
    MatchRun.objects.filter(pk=run.pk).update(status="running", finished_at=None)

    output = rematch("--resume", str(run.pk))

    assert f"Run #{run.pk} done" in output
    run.refresh_from_db()
    assert run.status == "done"


def test_a_run_that_fails_makes_the_command_exit_non_zero_with_the_reason() -> None:
    capability = SupplierCapabilityFactory()
    NeedFactory(process=capability.process)
    _wait_for_incremental_rematches(1)
    from matching.runs import match_run_create

    run = match_run_create()
    MatchRunChunk.objects.filter(run=run).update(need_ids=["not a need id"])  # a broken chunk

    with pytest.raises(CommandError, match=rf"Run #{run.pk} failed: .*chunk 0: "):
        rematch("--resume", str(run.pk))
    run.refresh_from_db()
    assert run.status == "failed"
    assert "chunk 0" in run.failure_reason
