"""Deleting many rows and everything that cascades from them, one statement per table.

``QuerySet.delete()`` loads every row and sends a signal for each when anyone listens (history on
suppliers, certificates and needs; the matcher's rematch receivers): minutes for 100,000 demo
suppliers, and a history row per deleted demo row. Here the relations are walked with the models'
``_meta`` API (forward and reverse many-to-many through rows, then reverse foreign keys by their
``on_delete``) and each table gets one ``DELETE … WHERE … IN (subquery)`` through the database
cursor, children first. A model added later that cascades from a supplier is cleared with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connection, models

MAX_CASCADE_DEPTH = 6  # a cycle of cascades (a self-referencing model) would never end


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class RowSet:
    """The rows of ``model`` that a SQL condition over its table selects."""

    model: type[models.Model]
    where: str  # SQL with %s placeholders
    params: tuple[object, ...] = ()

    @classmethod
    def where_field_is(cls, model: type[models.Model], field: str, value: object) -> RowSet:
        column = model._meta.get_field(field).column
        return cls(model, f"{_quote(column)} = %s", (value,))

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def rows_pointing_here(
        self, model: type[models.Model], column: str, *, target_column: str | None = None
    ) -> RowSet:
        """The rows of ``model`` whose ``column`` holds a key of one of these rows."""
        target = target_column or self.model._meta.pk.column
        keys = f"SELECT {_quote(target)} FROM {_quote(self.table)} WHERE {self.where}"
        return RowSet(model, f"{_quote(column)} IN ({keys})", self.params)


def _execute(sql: str, params: tuple[object, ...]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _delete(rows: RowSet) -> int:
    return _execute(f"DELETE FROM {_quote(rows.table)} WHERE {rows.where}", rows.params)


def _exists(rows: RowSet) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_quote(rows.table)} WHERE {rows.where} LIMIT 1", rows.params
        )
        return cursor.fetchone() is not None


def delete_cascading(rows: RowSet, *, depth: int = 0) -> Counter[str]:
    """Delete the rows and what cascades from them; returns rows deleted per table.

    Call inside a transaction: a PROTECT or RESTRICT reference raises ``ProtectedError`` after
    earlier statements ran, and only a rollback undoes them.
    """
    meta = rows.model._meta
    if depth > MAX_CASCADE_DEPTH:
        raise RuntimeError(f"Cascade from {meta.label} is too deep to delete set-wise.")
    deleted: Counter[str] = Counter()
    for field in meta.many_to_many:
        through = field.remote_field.through
        links = rows.rows_pointing_here(through, field.m2m_column_name())
        deleted[links.table] += _delete(links)
    for relation in meta.related_objects:
        if relation.many_to_many:
            links = rows.rows_pointing_here(relation.through, relation.field.m2m_reverse_name())
            deleted[links.table] += _delete(links)
            continue
        children = rows.rows_pointing_here(
            relation.related_model,
            relation.field.column,
            target_column=relation.field.target_field.column,
        )
        if relation.on_delete is models.CASCADE:
            deleted.update(delete_cascading(children, depth=depth + 1))
        elif relation.on_delete is models.SET_NULL:
            column = _quote(relation.field.column)
            _execute(
                f"UPDATE {_quote(children.table)} SET {column} = NULL WHERE {children.where}",
                children.params,
            )
        elif relation.on_delete in (models.PROTECT, models.RESTRICT) and _exists(children):
            raise models.ProtectedError(
                f"{relation.related_model._meta.verbose_name_plural} still refer to the "
                f"{meta.verbose_name_plural} being deleted.",
                set(),
            )
    deleted[rows.table] += _delete(rows)
    return deleted
