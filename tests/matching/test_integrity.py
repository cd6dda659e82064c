"""The matches table has no foreign-key constraints (their checks were a third of a full rematch):
PostgreSQL still cascades deletes to matches, and a delete racing a rematch leaves no orphan."""

from __future__ import annotations

import threading

import psycopg2
import pytest
from django.db import connection, transaction

from matching.models import Match
from matching.services import matches_sync
from tests.conftest import database_url_for_current_test_db
from tests.matching.conftest import supplier_near
from tests.test_celery_worker import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

SUPPLIER_ROWS = ("vendors_suppliercapability", "vendors_certification", "vendors_supplier_sectors")


def delete_supplier_raw(cursor: psycopg2.extensions.cursor, supplier_id: int) -> None:
    """What another client would run: no ORM cascade, only the database's."""
    for table in SUPPLIER_ROWS:
        cursor.execute(f"DELETE FROM {table} WHERE supplier_id = %s", [supplier_id])
    cursor.execute("DELETE FROM vendors_supplier WHERE id = %s", [supplier_id])


def waiting_for_a_lock(query_fragment: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh inside a transaction too
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE %s",
            [f"%{query_fragment}%"],
        )
        return cursor.fetchone()[0] > 0


def test_deleting_a_supplier_or_need_in_sql_deletes_its_matches(need: object) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    matches_sync(need_ids=[need.pk])
    assert Match.objects.filter(need=need).count() == 2

    with psycopg2.connect(database_url_for_current_test_db()) as other, other.cursor() as cursor:
        delete_supplier_raw(cursor, gone.pk)
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]

    with psycopg2.connect(database_url_for_current_test_db()) as other, other.cursor() as cursor:
        cursor.execute("DELETE FROM schemes_need WHERE id = %s", [need.pk])
    assert not Match.objects.exists()


def test_a_delete_waits_for_a_running_rematch_then_removes_its_matches(need: object) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    other = psycopg2.connect(database_url_for_current_test_db())
    deleter = threading.Thread(target=lambda: delete_supplier_raw(other.cursor(), gone.pk))
    try:
        with transaction.atomic():
            matches_sync(need_ids=[need.pk])  # holds its locks until this block commits
            deleter.start()
            assert wait_until(lambda: waiting_for_a_lock("DELETE FROM vendors_supplier"))
        deleter.join(timeout=30)
        other.commit()
    finally:
        other.close()
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]


def test_a_rematch_drops_pairs_whose_supplier_was_deleted_while_it_ran(need: object) -> None:
    kept, gone = supplier_near(10), supplier_near(20)
    other = psycopg2.connect(database_url_for_current_test_db())
    reports = []

    def rematch() -> None:
        try:
            reports.append(matches_sync(need_ids=[need.pk]))
        finally:
            connection.close()

    rematcher = threading.Thread(target=rematch)
    try:
        delete_supplier_raw(other.cursor(), gone.pk)  # not committed: the rematch still sees it
        rematcher.start()
        assert wait_until(lambda: waiting_for_a_lock("FOR KEY SHARE"))
        other.commit()
        rematcher.join(timeout=30)
    finally:
        other.close()
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [kept.pk]
    assert reports[0].created == 1
