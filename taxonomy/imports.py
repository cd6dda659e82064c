"""Bulk imports, the shared part: reading CSV and XLSX files, parsing cells, collecting errors.

The suppliers' import lives in ``vendors.imports`` and the needs' in ``schemes.imports``; both
read files through ``read_table`` here, parse cells with the parsers here, and describe what they
did (or would do, in a dry run) with an ``ImportReport``: every error by row and column, and how
many rows each entity gained or changed. A file with any error is rejected whole and nothing is
written. The management commands (``taxonomy.import_command``) and the admin
(``taxonomy.import_admin``) call the same ``TableFormat.run``; neither parses anything itself.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first data row row 2.
Headers are matched loosely ("Udyam number" reads as ``udyam_number``); cells are compared as
text, stripped, so a CSV and an XLSX of the same table import alike.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from .models import CertificationType, Process

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# Called with a stage ("checking", "writing"), rows done and rows in all, now and then.
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 1_000
HEADER_ROW = 1
# A list of codes in one cell: "ISO_9001;NABL", and dated ones "ISO_9001:2027-03-31".
LIST_SEPARATOR = ";"
DATE_SEPARATOR = ":"
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all (wrong type, not UTF-8, a broken workbook)."""


# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file and its cells by (normalised) column name."""

    number: int
    cells: dict[str, str]
    # Values found to the right of the last named column (numbered from 1, as a spreadsheet's).
    stray: tuple[int, ...] = ()

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file's header and its non-empty data rows, every cell as stripped text."""

    headers: list[str]
    rows: list[Row]
    name: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        # django-import-export tests a dataset's truth ("no valid data to import"): a file with
        # a header and no rows is still a table, and its import says what is wrong with it.
        return bool(self.headers)


def column_name(header: object) -> str:
    """A header as a column name: "Udyam number" → "udyam_number", " PIN code " → "pin_code"."""
    return re.sub(r"[\s\-]+", "_", cell_text(header).lower()).strip("_")


def cell_text(value: object) -> str:
    """A cell as text, the same for a CSV's text and an XLSX's typed values.

    Excel keeps numbers as floats: a PIN code typed as 635109 reads "635109", not "635109.0",
    and 0.1 + 0.2 reads "0.3" (15 significant digits, what Excel shows). Dates read as ISO.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value).strip()


def table_from_rows(values: Iterable[Sequence[object]], *, name: str = "") -> Table:
    """A ``Table`` from raw rows, the first being the header; blank rows are dropped."""
    rows = iter(values)
    try:
        header = next(rows)
    except StopIteration:
        return Table(headers=[], rows=[], name=name)
    headers = [column_name(h) for h in header]
    while headers and not headers[-1]:
        headers.pop()  # empty trailing header cells (a spreadsheet's formatted columns)
    table = Table(headers=headers, rows=[], name=name)
    width = len(headers)
    for number, raw in enumerate(rows, start=HEADER_ROW + 1):
        texts = [cell_text(value) for value in raw]
        if not any(texts):
            continue
        cells = {h: t for h, t in zip(headers, texts, strict=False) if h}
        stray = tuple(i + 1 for i, text in enumerate(texts[width:], start=width) if text)
        table.rows.append(Row(number=number, cells=cells, stray=stray))
    return table


def read_csv(text: str, *, name: str = "") -> Table:
    # A text of one line per row; quoted cells may span lines (csv counts them as one row).
    return table_from_rows(csv.reader(io.StringIO(text, newline="")), name=name)


def read_xlsx(data: bytes | IO[bytes], *, name: str = "") -> Table:
    """The first worksheet of a workbook; formulas read as their last computed values."""
    from openpyxl import load_workbook

    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: not a workbook
        raise UnreadableFile(
            _("This is not an Excel workbook (.xlsx) that can be read: %(error)s")
            % {"error": type(exc).__name__}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return table_from_rows(sheet.iter_rows(values_only=True), name=name)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8, with or without Excel's byte-order mark ("CSV UTF-8" in Excel's Save As)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _(
                "The file is not UTF-8 text (byte %(at)s). In Excel, save it as "
                "'CSV UTF-8 (Comma delimited)'."
            )
            % {"at": exc.start}
        ) from exc


def file_format(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile(
            _("Import a .csv or .xlsx file (this one is '%(suffix)s').")
            % {"suffix": suffix or name}
        )
    return FORMATS[suffix]


def read_table(data: bytes, *, name: str) -> Table:
    """A CSV or XLSX file's table, told apart by the file's name."""
    if file_format(name) == "xlsx":
        return read_xlsx(data, name=name)
    return read_csv(decode_csv(data), name=name)


# --- Errors -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Issue:
    """What is wrong with one cell (or a whole row, with no column)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("the file")
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


class Issues:
    """Every error found in a file, by row and column, in the order of the file."""

    def __init__(self) -> None:
        self._issues: list[Issue] = []
        self.rows: set[int] = set()

    def add(self, row: int, column: str, message: object) -> None:
        self._issues.append(Issue(row, column, str(message)))
        self.rows.add(row)

    def add_error(
        self, row: int, error: ValidationError, columns: Mapping[str, str], default: str = ""
    ) -> None:
        """A model's ``ValidationError``, each field's messages under its column."""
        if hasattr(error, "error_dict"):
            for field_name, errors in error.error_dict.items():
                column = columns.get(field_name, default)
                for message in ValidationError(errors).messages:
                    self.add(row, column, message)
        else:
            for message in error.messages:
                self.add(row, default, message)

    def __iter__(self) -> Iterator[Issue]:
        return iter(sorted(self._issues, key=lambda issue: issue.row))

    def __len__(self) -> int:
        return len(self._issues)

    def __bool__(self) -> bool:
        return bool(self._issues)


def check_headers(
    table: Table, *, columns: Sequence[str], required: Iterable[str], issues: Issues
) -> None:
    """Every required column present, no column twice, none unknown (a typo would be lost)."""
    seen: Counter[str] = Counter(h for h in table.headers if h)
    for column in required:
        if column not in seen:
            issues.add(HEADER_ROW, column, _("This column is missing."))
    known = set(columns)
    for column, count in seen.items():
        if column not in known:
            issues.add(
                HEADER_ROW,
                column,
                _("Unknown column; the columns are: %(columns)s.")
                % {"columns": ", ".join(columns)},
            )
        elif count > 1:
            issues.add(HEADER_ROW, column, _("This column appears %(n)s times.") % {"n": count})
    if not table.headers:
        issues.add(HEADER_ROW, "", _("The file is empty: the first row names the columns."))
    elif not table.rows:
        issues.add(HEADER_ROW + 1, "", _("The file has a header but no rows to import."))
    for row in table.rows:
        for position in row.stray:
            issues.add(
                row.number,
                "",
                _("A value in column %(n)s, right of the last named column.") % {"n": position},
            )


# --- Cells --------------------------------------------------------------------------------------

_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{2,3})*(\.\d+)?$|^-?\d+(\.\d+)?$|^-?\.\d+$")


def parse_decimal(text: str) -> Decimal:
    """A figure, with or without Indian or Western grouping: 1,20,000.5 or 120000.5."""
    cleaned = text.replace(" ", "")
    if not _GROUPED_NUMBER.match(cleaned):
        raise ValidationError(
            _("Enter a number in figures, e.g. 12,500 or 0.5 (not '%(text)s').") % {"text": text}
        )
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(_("Enter a number in figures.")) from exc
    if value < 0:
        raise ValidationError(_("A negative figure makes no sense here."))
    return value


def parse_integer(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number (not '%(text)s').") % {"text": text})
    return int(value)


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d %b %Y", "%d %B %Y")


def parse_date(text: str) -> datetime.date:
    """A date as YYYY-MM-DD (or an Excel date); also 31-12-2026, 31/12/2026 and 31 Dec 2026."""
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), date_format).date()
        except ValueError:
            continue
    raise ValidationError(
        _("Enter a date as YYYY-MM-DD, e.g. 2026-12-31 (not '%(text)s').") % {"text": text}
    )


class ChoiceReader:
    """Reads a choice by its value or its English label, in any case: "pieces", "Machine-hours".

    The labels are read once, at the first cell (not per row: they are lazy translations).
    """

    def __init__(self, choices: Iterable[tuple[object, object]]) -> None:
        self.choices = choices
        self._known: dict[str, str] | None = None

    def __call__(self, text: str) -> str:
        if self._known is None:
            with translation.override("en"):
                pairs = [(str(value), str(label)) for value, label in self.choices]
            self._known = {
                key.casefold(): value for value, label in pairs for key in (label, value)
            }
            self._values = ", ".join(value for value, _label in pairs)
        found = self._known.get(text.strip().casefold())
        if found is None:
            raise ValidationError(
                _("'%(text)s' is not one of: %(values)s.") % {"text": text, "values": self._values}
            )
        return found


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


# --- Vocabulary, loaded once per import ----------------------------------------------------------


class Vocabulary:
    """Processes and certification types, each read once and looked up by any of its names."""

    def __init__(self) -> None:
        self.processes: dict[str, Process] = {}
        for process in Process.objects.all():
            self.processes.setdefault(process.slug.casefold(), process)
            self.processes.setdefault(process.name.casefold(), process)
        self.certification_types = {
            kind.code.casefold(): kind for kind in CertificationType.objects.all()
        }

    def process(self, text: str) -> Process:
        found = self.processes.get(text.strip().casefold())
        if found is None:
            raise ValidationError(
                _("No process '%(text)s': use a process slug, e.g. cnc-turning.") % {"text": text}
            )
        return found

    def certification_type(self, code: str) -> CertificationType:
        found = self.certification_types.get(code.strip().casefold())
        if found is None:
            raise ValidationError(
                _("No certification type '%(code)s'; the codes are: %(codes)s.")
                % {
                    "code": code,
                    "codes": ", ".join(k.code for k in self.certification_types.values()),
                }
            )
        return found

    def certification_types_in(self, text: str) -> list[CertificationType]:
        """Codes joined by ';': "ISO_9001;NABL". Each at most once."""
        kinds = [self.certification_type(code) for code in split_list(text)]
        _no_repeats([kind.code for kind in kinds])
        return kinds

    def dated_certifications_in(self, text: str) -> list[tuple[CertificationType, datetime.date]]:
        """'CODE:YYYY-MM-DD' joined by ';': "ISO_9001:2027-03-31;NABL:2026-12-31"."""
        dated = []
        for part in split_list(text):
            code, separator, day = part.partition(DATE_SEPARATOR)
            if not separator or not day.strip():
                raise ValidationError(
                    _("Write each certificate as CODE:YYYY-MM-DD (valid until), not '%(part)s'.")
                    % {"part": part}
                )
            dated.append((self.certification_type(code), parse_date(day)))
        _no_repeats([kind.code for kind, _day in dated])
        return dated


def _no_repeats(codes: list[str]) -> None:
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValidationError(_("%(codes)s given twice.") % {"codes": ", ".join(repeated)})


# --- The outcome ---------------------------------------------------------------------------------


class Outcome:
    """What a row does: adds, changes, or leaves everything as it is."""

    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "skip"  # django-import-export's word for a row that changes nothing


@dataclass
class ImportReport:
    """What an import did, or in a dry run would do; or every reason it was refused."""

    kind: str
    dry_run: bool
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    # Per entity ("suppliers", "capabilities", ...): how many rows are new, changed, unchanged.
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Each data row's outcome, by row number, in file order.
    outcomes: dict[int, str] = field(default_factory=dict)
    # The ids a rematch must look at (new or changed rows of the imported model).
    changed_ids: list[int] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.issues)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.rejected

    def entity_lines(self) -> list[str]:
        entities = list(dict.fromkeys([*self.created, *self.updated, *self.unchanged]))
        return [
            _("%(entity)s: %(new)s new, %(changed)s updated, %(same)s unchanged")
            % {
                "entity": entity,
                "new": f"{self.created[entity]:,}",
                "changed": f"{self.updated[entity]:,}",
                "same": f"{self.unchanged[entity]:,}",
            }
            for entity in entities
        ]

    def headline(self) -> str:
        if self.rejected:
            return _(
                "The file of %(file)s was refused: %(errors)s error(s) in %(rows)s row(s); "
                "nothing was written."
            ) % {
                "file": self.kind,
                "errors": f"{len(self.issues):,}",
                "rows": f"{len({issue.row for issue in self.issues}):,}",
            }
        if self.dry_run:
            return _("Dry run of %(rows)s row(s) of %(file)s: nothing was written.") % {
                "rows": f"{self.rows:,}",
                "file": self.kind,
            }
        return _("Imported %(rows)s row(s) of %(file)s.") % {
            "rows": f"{self.rows:,}",
            "file": self.kind,
        }


# --- A table format: its columns, its import, its export, who may import it ----------------------


@dataclass(frozen=True)
class TableFormat:
    """One importable table: the commands and the admin read everything they need from here."""

    name: str  # "suppliers": the file's subject, in sentences
    columns: tuple[str, ...]
    required: frozenset[str]
    # run(table=..., dry_run=..., user=..., progress=...) -> ImportReport
    run: Callable[..., ImportReport]
    # The export, in the import's columns: rows of cells, for a queryset of the admin's model.
    export_rows: Callable[[models.QuerySet[Any]], Iterable[Sequence[object]]]
    # Whether a user may import (imports write across every facility and supplier).
    allowed: Callable[[AbstractBaseUser | AnonymousUser], bool]

    def import_file(
        self,
        data: bytes,
        *,
        name: str,
        dry_run: bool,
        user: AbstractBaseUser | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Read a file and import it (the command's path; the admin reads with its formats)."""
        try:
            table = read_table(data, name=name)
        except UnreadableFile as exc:
            return ImportReport(kind=self.name, dry_run=dry_run, issues=[Issue(0, "", str(exc))])
        return self.run(table=table, dry_run=dry_run, user=user, progress=progress)


def every(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size`` (lookups by ``__in`` in bounded statements)."""
    for at in range(0, len(items), size):
        yield items[at : at + size]


def database_refused(error: Exception) -> str:
    """A file-level error for a write the database refused (a row changed since it was checked:
    a GSTIN taken meanwhile); the transaction is rolled back whole."""
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return _("The database refused the import, so nothing was written: %(error)s") % {
        "error": first_line
    }


class TableImport:
    """One run over one table: check every row, then write everything or nothing. The rooms'
    imports (``vendors.imports``, ``schemes.imports``) share this set-up and add the rest."""

    kind: str = ""  # what the report counts ("suppliers", "needs"), translated on use

    def __init__(
        self,
        table: Table,
        *,
        dry_run: bool,
        user: AbstractBaseUser | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.table = table
        self.dry_run = dry_run
        self.user = user if user is not None and user.is_authenticated else None
        self.progress = progress or (lambda stage, done, total: None)
        self.issues = Issues()
        self.report = ImportReport(kind=_(self.kind), dry_run=dry_run, rows=len(table))
        self.present = set(table.headers)
