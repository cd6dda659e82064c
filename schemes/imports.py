"""Importing facilities' needs from a table (CSV or XLSX), and exporting them in the same columns.

One row per need, named by its facility (slug) and the facility's own reference
(``Need.external_ref``, unique per facility): a reference the facility already has updates that
need, a new one adds it. A column left out of the file leaves that field as it is; a blank cell
in a column that is there empties it (``required_certifications`` then requires none).

As for suppliers (``vendors.imports``): the model's own checks per row with no query per row,
every error by row and column, set-based writes with history rows (path "import") in one
transaction or nothing, and one ``needs_imported`` signal so the matcher rematches the changed
needs in one run once committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taxonomy.choices import MSME_CATEGORY_CHOICES, Unit
from taxonomy.history import ChangePath, bulk_history_attrs, changed_via
from taxonomy.imports import (
    ChoiceReader,
    ImportReport,
    Outcome,
    Progress,
    Row,
    Table,
    TableFormat,
    TableImport,
    Vocabulary,
    check_headers,
    database_refused,
    every,
    parse_date,
    parse_decimal,
    parse_integer,
)

from .models import Facility, Need
from .selectors import sees_every_facility
from .signals import needs_imported

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

COLUMNS = (
    "facility",
    "reference",
    "title",
    "process",
    "quantity",
    "unit",
    "monthly_capacity_min",
    "max_tolerance_um",
    "min_temperature_c",
    "required_certifications",
    "radius_km",
    "preferred_category",
    "due_date",
    "status",
)
REQUIRED = frozenset({"facility", "reference", "title", "process", "quantity"})
# Model field → column (where the field's errors show), and how each optional cell is read.
FIELD_COLUMNS = {
    "facility": "facility",
    "external_ref": "reference",
    "title": "title",
    "process": "process",
    "quantity": "quantity",
    "unit": "unit",
    "min_monthly_capacity": "monthly_capacity_min",
    "max_tolerance_um": "max_tolerance_um",
    "min_process_temperature_c": "min_temperature_c",
    "radius_km": "radius_km",
    "preferred_category": "preferred_category",
    "due_date": "due_date",
    "status": "status",
}
COLUMN_FIELDS = {column: name for name, column in FIELD_COLUMNS.items()}
CERTIFICATIONS = "required_certifications"
# (parser, value of a blank cell) for the cells read as they are into one field each.
CELLS: dict[str, tuple[Any, Any]] = {
    "quantity": (parse_decimal, None),
    "unit": (ChoiceReader(Unit.choices), Unit.PIECES),
    "monthly_capacity_min": (parse_decimal, None),
    "max_tolerance_um": (parse_decimal, None),
    "min_temperature_c": (parse_integer, None),
    "radius_km": (parse_integer, None),
    "preferred_category": (ChoiceReader(MSME_CATEGORY_CHOICES), ""),
    "due_date": (parse_date, None),
    "status": (ChoiceReader(Need.Status.choices), Need.Status.OPEN),
}
NEED_FIELDS = (
    "title",
    "process_id",
    "quantity",
    "unit",
    "min_monthly_capacity",
    "max_tolerance_um",
    "min_process_temperature_c",
    "radius_km",
    "preferred_category",
    "due_date",
    "status",
)
BATCH = 2_000
LOOKUP_BATCH = 2_000


def need_import_allowed(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A file may name any facility, so importing needs is for who works on every facility's
    needs (``selectors.sees_every_facility``: scheme administrators, superusers) and may add
    and change them; never a facility manager, whose rights stop at their facilities."""
    if not (user.is_active and user.is_staff):
        return False
    return sees_every_facility(user) and user.has_perms(["schemes.add_need", "schemes.change_need"])


class NeedImport(TableImport):
    """One run over one table: check every row, then write everything or nothing."""

    kind = gettext_noop("needs")

    def run(self) -> ImportReport:
        check_headers(self.table, columns=COLUMNS, required=REQUIRED, issues=self.issues)
        if not self.issues:
            try:
                with transaction.atomic(), changed_via(ChangePath.IMPORT):
                    self._check()
                    if not self.issues and not self.dry_run:
                        self._write()
            except DatabaseError as exc:
                self.issues.add(0, "", database_refused(exc))
        self.report.issues = list(self.issues)
        if self.report.rejected:
            self.report.changed_ids = []
        return self.report

    # --- checking ---

    def _check(self) -> None:
        self.vocabulary = Vocabulary()
        self.facilities: dict[str, Facility] = {}
        for facility in Facility.objects.all():
            self.facilities.setdefault(facility.slug.casefold(), facility)
            self.facilities.setdefault(facility.name.casefold(), facility)
        self._load_existing()
        self.new: list[Need] = []
        self.changed: list[Need] = []
        self.changed_fields: set[str] = set()
        # Needs whose required certificates change, with the new set.
        self.certifications: list[tuple[Need, list[int]]] = []
        seen: dict[tuple[int, str], int] = {}
        total = len(self.table)
        for done, row in enumerate(self.table.rows, start=1):
            self._need(row, seen)
            if done % 1_000 == 0:
                self.progress("checking", done, total)
        self.progress("checking", total, total)
        report = self.report
        report.created[_("needs")] = len(self.new)
        report.updated[_("needs")] = len(self.changed)
        report.unchanged[_("needs")] = len(self.table) - len(self.new) - len(self.changed)

    def _load_existing(self) -> None:
        """The needs the file names, with their required certificates, locked when writing."""
        references: dict[int, set[str]] = defaultdict(set)
        for row in self.table.rows:
            facility = self.facilities.get(row.get("facility").casefold())
            if facility is not None and row.get("reference"):
                references[facility.pk].add(row.get("reference"))
        self.existing: dict[tuple[int, str], Need] = {}
        for facility_id, wanted in references.items():
            for batch in every(sorted(wanted), LOOKUP_BATCH):
                needs = Need.objects.filter(facility_id=facility_id, external_ref__in=batch)
                if not self.dry_run:
                    needs = needs.select_for_update()
                self.existing.update(((n.facility_id, n.external_ref), n) for n in needs)
        self.existing_certifications: dict[int, set[int]] = defaultdict(set)
        through = Need.required_certifications.through
        ids = [need.pk for need in self.existing.values()]
        for batch in every(ids, LOOKUP_BATCH):
            for need_id, type_id in through.objects.filter(need_id__in=batch).values_list(
                "need_id", "certificationtype_id"
            ):
                self.existing_certifications[need_id].add(type_id)

    def _need(self, row: Row, seen: dict[tuple[int, str], int]) -> None:
        errors: dict[str, list[str]] = defaultdict(list)
        for column in ("title", "process", "quantity"):
            if not row.get(column):
                errors[column].append(_("This column needs a value."))
        facility = self.facilities.get(row.get("facility").casefold())
        if facility is None:
            errors["facility"].append(
                _("No facility '%(text)s': use the facility's slug, e.g. %(example)s.")
                % {
                    "text": row.get("facility"),
                    "example": next(iter(self.facilities.values())).slug
                    if self.facilities
                    else "integrated-repm-facility-1",
                }
            )
        reference = row.get("reference")
        if not reference:
            errors["reference"].append(
                _("Every need needs the facility's reference, so a second import updates it.")
            )
        existing = None
        if facility is not None and reference:
            first = seen.setdefault((facility.pk, reference), row.number)
            if first != row.number:
                errors["reference"].append(
                    _("Row %(row)s already has this facility's reference %(reference)s.")
                    % {"row": first, "reference": reference}
                )
            existing = self.existing.get((facility.pk, reference))
        need = existing or Need(facility=facility, external_ref=reference)
        before = {name: getattr(need, name) for name in NEED_FIELDS} if existing else {}
        need.title = row.get("title")
        if row.get("process"):
            try:
                need.process = self.vocabulary.process(row.get("process"))
            except ValidationError as exc:
                errors["process"].extend(exc.messages)
        for column, (parse, blank) in CELLS.items():
            if column not in self.present or column in errors:
                continue
            text = row.get(column)
            try:
                setattr(need, COLUMN_FIELDS[column], parse(text) if text else blank)
            except ValidationError as exc:
                errors[column].extend(exc.messages)
        wanted: set[int] | None = None
        if CERTIFICATIONS in self.present:
            try:
                kinds = self.vocabulary.certification_types_in(row.get(CERTIFICATIONS))
                wanted = {kind.pk for kind in kinds}
            except ValidationError as exc:
                errors[CERTIFICATIONS].extend(exc.messages)
        # The model's own checks on what parsed; foreign keys were found above.
        skip = {"facility", "process"} | {COLUMN_FIELDS.get(c, c) for c in errors}
        try:
            need.clean_fields(exclude=sorted(skip))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[FIELD_COLUMNS.get(name, "")].extend(messages)
        if errors:
            for column, messages in errors.items():
                for message in messages:
                    self.issues.add(row.number, column, message)
            return
        held = self.existing_certifications.get(need.pk, set()) if existing else set()
        certifications_change = wanted is not None and wanted != held
        if certifications_change:
            self.certifications.append((need, sorted(wanted or ())))
        if existing is None:
            self.new.append(need)
            outcome = Outcome.NEW
        else:
            changed = [name for name in NEED_FIELDS if getattr(need, name) != before[name]]
            if changed or certifications_change:
                self.changed.append(need)
                self.changed_fields.update(changed)
                outcome = Outcome.UPDATE
            else:
                outcome = Outcome.UNCHANGED
        self.report.outcomes[row.number] = outcome

    # --- writing ---

    def _write(self) -> None:
        now = timezone.now()
        history = {
            "default_user": self.user,
            "default_date": now,
            "custom_historical_attrs": bulk_history_attrs(),
            "batch_size": BATCH,
        }
        total = len(self.new) + len(self.changed)
        bulk_create_with_history(self.new, Need, **history)
        self.progress("writing", len(self.new), total)
        if self.changed:
            for need in self.changed:
                need.updated_at = now
            fields = [name.removesuffix("_id") for name in sorted(self.changed_fields)]
            # A need whose required certificates alone change still gets a history row.
            bulk_update_with_history(self.changed, Need, fields=[*fields, "updated_at"], **history)
        through = Need.required_certifications.through
        relinked = [need.pk for need, _types in self.certifications]
        for batch in every(relinked, LOOKUP_BATCH):
            # The through table has no receivers: one DELETE, and no m2m_changed per need.
            through.objects.filter(need_id__in=batch).delete()
        through.objects.bulk_create(
            [
                through(need_id=need.pk, certificationtype_id=type_id)
                for need, type_ids in self.certifications
                for type_id in type_ids
            ],
            batch_size=BATCH,
        )
        self.progress("writing", total, total)
        self.report.changed_ids = sorted(need.pk for need in (*self.new, *self.changed))
        if self.report.changed_ids:
            # One signal for the file: the matcher rematches these needs in one run, once
            # committed (bulk writes send no post_save, so nothing was queued per row).
            needs_imported.send(sender=Need, need_ids=self.report.changed_ids)


def needs_import(
    *,
    table: Table,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a table of needs: every row checked, then all written in one transaction, or
    nothing and every error by row and column. A dry run checks and counts, and writes nothing.
    """
    return NeedImport(table, dry_run=dry_run, user=user, progress=progress).run()


# --- Export -------------------------------------------------------------------------------------


def need_export_rows(queryset: QuerySet[Need]) -> Iterator[list[object]]:
    """The needs in the import's columns, so an exported file imports back unchanged."""
    needs = (
        queryset.select_related("facility", "process")
        .prefetch_related("required_certifications")
        .order_by("facility__number", "external_ref", "pk")
    )
    for need in needs.iterator(chunk_size=BATCH):
        yield [
            need.facility.slug,
            need.external_ref,
            need.title,
            need.process.slug,
            _figure(need.quantity),
            need.unit,
            _figure(need.min_monthly_capacity),
            _figure(need.max_tolerance_um),
            _blank(need.min_process_temperature_c),
            ";".join(sorted(kind.code for kind in need.required_certifications.all())),
            _blank(need.radius_km),
            need.preferred_category,
            need.due_date.isoformat() if need.due_date else "",
            need.status,
        ]


def _figure(value: Any) -> object:
    return "" if value is None else format(value.normalize(), "f")


def _blank(value: object) -> object:
    return "" if value is None else value


NEED_TABLE = TableFormat(
    name="needs",
    columns=COLUMNS,
    required=REQUIRED,
    run=needs_import,
    export_rows=need_export_rows,
    allowed=need_import_allowed,
)
