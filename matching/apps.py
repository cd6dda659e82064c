from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

# SQLite rebuilds a table to alter it and drops its triggers with it, so the embedded default's
# tombstone trigger is (re)made after every migrate rather than by one migration (PostgreSQL's
# lives in migration 0012). The same statement as there: see matching.models.MatchTombstone.
SQLITE_TOMBSTONE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS matching_match_tombstone AFTER DELETE ON matching_match
BEGIN
    INSERT INTO matching_matchtombstone (match_id, need_id, supplier_id, facility_id, deleted_at)
    VALUES (OLD.id, OLD.need_id, OLD.supplier_id,
            (SELECT facility_id FROM schemes_need WHERE id = OLD.need_id),
            strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
"""


def ensure_sqlite_tombstone_trigger(using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if "matching_matchtombstone" not in connection.introspection.table_names():
        return  # migrated backwards past it
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_TOMBSTONE_TRIGGER)


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the enqueue-only receivers)

        post_migrate.connect(ensure_sqlite_tombstone_trigger, sender=self)
