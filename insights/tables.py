"""Tables as data: one definition renders the page's table and its CSV download.

A cell holds a typed value, so each output writes it its own way: the page with Indian digit
grouping, dates as "15 Dec 2025" and units ("250 km"); the CSV with plain figures and ISO dates
a spreadsheet reads (``12345``, ``2026-03-01``). Names are in the reader's language in both.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from taxonomy.formatting import indian_date, number, quantity
from taxonomy.localized import Name, english


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere on the page (the CSV keeps the text)."""

    text: Name | str
    url: str


@dataclass(frozen=True)
class Measure:
    """A figure with its unit: "250 km" on the page, 250 in the CSV."""

    value: int
    unit: str


@dataclass(frozen=True)
class Flag:
    """A row's gap, in words (colour only reinforces it): "" when there is none."""

    code: str  # "gap", "few", "lacks", "thin" or ""
    text: str | Promise = ""


Value = int | str | Promise | Name | Link | Measure | Flag | datetime.date | None


@dataclass(frozen=True)
class Column:
    key: str  # the CSV's stable name for it
    label: str | Promise
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    values: tuple[Value, ...]
    flag: str = ""  # the row's class: "gap", "few", "lacks", "thin"


@dataclass
class Table:
    key: str  # its CSV's name: /…/<key>.csv
    caption: str | Promise
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    empty: str | Promise = ""  # what the page says when there are no rows


def rows_html(table: Table) -> SafeString:
    """The table's body rows: the first cell heads its row, the others carry their column's
    label for the phone layout (one card per row).

    Written here rather than in a template loop: the facility page's table has ~3,000 cells,
    which Django's template engine took ~0.8 s to render and this takes ~50 ms.
    """
    labels = [str(column.label) for column in table.columns]
    numeric = [' class="num"' if column.numeric else "" for column in table.columns]
    rows = []
    for row in table.rows:
        head, *rest = row.values
        cells = format_html_join(
            "",
            '<td data-label="{}"{}>{}</td>',
            (
                (label, SafeString(num), cell_html(value))
                for label, num, value in zip(labels[1:], numeric[1:], rest, strict=True)
            ),
        )
        flag = format_html(' class="row--{}"', row.flag) if row.flag else ""
        rows.append(
            format_html('<tr{}><th scope="row">{}</th>{}</tr>', flag, cell_html(head), cells)
        )
    return SafeString("\n".join(rows))


def cell_html(value: Value) -> SafeString:
    """A value as the page shows it."""
    if value is None or value == "":
        return SafeString("—")
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, _name_html(value.text))
    if isinstance(value, Name):
        return value.__html__()
    if isinstance(value, Measure):
        return format_html('<span class="nowrap">{}</span>', quantity(value.value, value.unit))
    if isinstance(value, Flag):
        if not value.code:
            return SafeString("—")
        return format_html('<span class="flag flag--{}">{}</span>', value.code, value.text)
    if isinstance(value, datetime.date):
        return format_html('<span class="nowrap">{}</span>', indian_date(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return format_html("{}", number(value))
    return format_html("{}", value)


def _name_html(text: Name | str) -> SafeString:
    return text.__html__() if isinstance(text, Name) else english(text)


# A text cell starting with one of these is a formula to a spreadsheet: need titles come from
# facilities' own systems (imports, the partner API), so such a cell is quoted as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Value) -> str:
    """A value as the CSV holds it."""
    if value is None:
        return ""
    if isinstance(value, Measure):
        return str(value.value)
    if isinstance(value, Flag):
        return str(value.text) if value.code else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value.text) if isinstance(value, Link) else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(table: Table) -> str:
    """The table as CSV: a header of the columns' labels, then one line per row.

    With a byte-order mark, so a spreadsheet opens Hindi names as Hindi rather than guessing
    a Windows code page.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([cell_text(value) for value in row.values])
    return out.getvalue()
