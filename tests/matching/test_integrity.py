"""The matches table has no foreign-key constraints (their checks were a third of a full rematch):
PostgreSQL still cascades deletes to matches, and a delete racing a rematch leaves no orphan."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import psycopg2
import pytest
from django.db import connection, transaction

from matching.models import Match
from matching.services import matches_sync
from tests.conftest import database_url_for_current_test_db, waiting_for_a_lock
from tests.matching.conftest import supplier_near
from tests.test_celery_worker import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

SUPPLIER_ROWS = ("vendors_suppliercapability", "vendors_certification", "vendors_supplier_sectors")


def delete_supplier_raw(cursor: psycopg2.extensions.cursor, supplier_id: int) -> None:
    """What another client would run: no ORM cascade, only the database's."""
    for table in SUPPLIER_ROWS:
        cursor.execute(f"DELETE FROM {table} WHERE supplier_id = %s", [supplier_id])
    cursor.execute("DELETE FROM vendors_supplier WHERE id = %s", [supplier_id])


def delete_need_raw(cursor: psycopg2.extensions.cursor, need_id: int) -> None:
    cursor.execute("DELETE FROM schemes_need_required_certifications WHERE need_id = %s", [need_id])
    cursor.execute("DELETE FROM schemes_need WHERE id = %s", [need_id])


@pytest.fixture
def other_connection() -> Iterator[psycopg2.extensions.connection]:
    """Another client of the database, outside Django."""
    other = psycopg2.connect(database_url_for_current_test_db())
    yield other
    other.close()


def run_in_thread(target: Callable[[], object]) -> tuple[threading.Thread, list]:
    """Start target in a thread; the list receives its result or the exception it raised."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(target())
        except Exception as exc:  # re-raised by the test through the outcome
            outcome.append(exc)
        finally:
            connection.close()  # the thread's own Django connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def finished(thread: threading.Thread, outcome: list) -> object:
    thread.join(timeout=30)
    assert not thread.is_alive()
    [result] = outcome
    if isinstance(result, Exception):
        raise result
    return result


def test_deleting_a_supplier_or_need_in_sql_deletes_its_matches(
    need: object, other_connection: psycopg2.extensions.connection
) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    matches_sync(need_ids=[need.pk])
    assert Match.objects.filter(need=need).count() == 2

    with other_connection, other_connection.cursor() as cursor:
        delete_supplier_raw(cursor, gone.pk)
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]

    with other_connection, other_connection.cursor() as cursor:
        delete_need_raw(cursor, need.pk)
    assert not Match.objects.exists()


def test_a_delete_waits_for_a_running_rematch_then_removes_its_matches(
    need: object, other_connection: psycopg2.extensions.connection
) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    with transaction.atomic():
        matches_sync(need_ids=[need.pk])  # holds its locks until this block commits
        deleter, outcome = run_in_thread(
            lambda: delete_supplier_raw(other_connection.cursor(), gone.pk)
        )
        assert wait_until(lambda: waiting_for_a_lock("DELETE FROM vendors_supplier"))
    finished(deleter, outcome)
    other_connection.commit()
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]


@pytest.mark.parametrize("deleted", ["supplier", "need"])
def test_a_rematch_drops_pairs_whose_supplier_or_need_was_deleted_while_it_ran(
    need: object, other_connection: psycopg2.extensions.connection, deleted: str
) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    cursor = other_connection.cursor()
    if deleted == "supplier":  # not committed yet: the rematch still reads it
        delete_supplier_raw(cursor, gone.pk)
    else:
        delete_need_raw(cursor, need.pk)
    rematcher, outcome = run_in_thread(lambda: matches_sync(need_ids=[need.pk]))
    assert wait_until(lambda: waiting_for_a_lock("FOR KEY SHARE"))
    other_connection.commit()
    report = finished(rematcher, outcome)

    if deleted == "supplier":
        assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]
        assert (report.created, report.unchanged) == (1, 0)
    else:
        assert not Match.objects.exists()
        assert (report.created, report.unchanged) == (0, 0)


def test_two_facilities_committing_one_suppliers_capacity_at_once_never_both_succeed(
    need: object,
) -> None:
    """The capability is locked by the first decision until it commits; the second waits, then
    counts the first's commitment and is refused: capacity is never promised twice."""
    from decimal import Decimal

    from matching.services import CapacityRefused, match_facility_decide
    from tests.factories import NeedFactory

    need.min_monthly_capacity = Decimal("4000")
    need.save()
    other = NeedFactory(process=need.process, min_monthly_capacity=Decimal("4000"))
    shop = supplier_near(5, monthly_capacity=Decimal("5000"))
    matches_sync(need_ids=[need.pk, other.pk])
    first, second = (Match.objects.get(supplier=shop, need=n) for n in (need, other))

    with transaction.atomic():
        match_facility_decide(match=first, status=Match.Status.SHORTLISTED)
        racer, outcome = run_in_thread(
            lambda: match_facility_decide(match=second, status=Match.Status.ENGAGED)
        )
        assert wait_until(lambda: waiting_for_a_lock("vendors_suppliercapability"))
    with pytest.raises(CapacityRefused):
        finished(racer, outcome)
    assert Match.objects.get(pk=second.pk).status == Match.Status.SUGGESTED
