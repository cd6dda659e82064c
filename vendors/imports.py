"""Importing suppliers from a table (CSV or XLSX), and exporting them in the same columns.

One row per supplier × process; rows with the same Udyam number are one supplier, whose own
columns (name, GSTIN, place, figures, contact, certificates) every row repeats or leaves blank.
A Udyam number already registered updates that supplier; a new one adds it. An import adds and
updates, and never deletes: a process or certificate missing from the file stays. A column left
out of the file leaves that field as it is; a blank cell in a column that is there empties it.

The rules are the models' own, applied once per row with no query per row: the Udyam, GSTIN
and PIN validators (through ``clean_fields``), the state each must agree with (``clean``), the
MSME category from the figures (``derive_fields`` with the limits loaded once), and the unique
GSTIN and capability per process (checked against the file and one lookup each). Writes are
set-based (``bulk_create``/``bulk_update`` in batches, with their history rows, path "import")
in one transaction; they send no per-row signals, and one ``suppliers_imported`` signal at the
end lets the matcher rematch the changed suppliers in one run, once committed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clusters.models import District, State
from taxonomy.amounts import parse_rupees
from taxonomy.choices import Unit
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
    parse_decimal,
    parse_integer,
)
from taxonomy.models import MsmeLimit

from .models import Certification, Supplier, SupplierCapability, district_coordinates
from .signals import suppliers_imported
from .validators import UDYAM_RE, normalise_identifier

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SUPPLIER_ONLY = (
    "udyam_number",
    "name",
    "gstin",
    "state",
    "district",
    "pin_code",
    "investment_inr",
    "turnover_inr",
    "employees",
    "year_established",
    "email",
    "phone",
)
CAPABILITY_COLUMNS = (
    "process",
    "monthly_capacity",
    "capacity_unit",
    "best_tolerance_um",
    "max_temperature_c",
)
CERTIFICATIONS = "certifications"
COLUMNS = (*SUPPLIER_ONLY, *CAPABILITY_COLUMNS, CERTIFICATIONS)
# Columns of the supplier itself: every row of one supplier repeats them or leaves them blank.
SUPPLIER_COLUMNS = (*SUPPLIER_ONLY, CERTIFICATIONS)
REQUIRED = frozenset(
    {"udyam_number", "name", "state", "district", "pin_code", "investment_inr", "turnover_inr"}
)
# Where a model field's errors show: its column.
SUPPLIER_FIELD_COLUMNS = {
    "udyam_number": "udyam_number",
    "name": "name",
    "gstin": "gstin",
    "pan": "gstin",
    "state": "state",
    "district": "district",
    "pin_code": "pin_code",
    "latitude": "district",
    "longitude": "district",
    "investment_rupees": "investment_inr",
    "turnover_rupees": "turnover_inr",
    "category": "investment_inr",
    "employees": "employees",
    "year_established": "year_established",
    "contact_email": "email",
    "contact_phone": "phone",
}
CAPABILITY_FIELD_COLUMNS = {column: column for column in CAPABILITY_COLUMNS}
# What an import may change on a supplier, and what saving derives from it.
SUPPLIER_FIELDS = (
    "name",
    "gstin",
    "pan",
    "state_id",
    "district_id",
    "pin_code",
    "latitude",
    "longitude",
    "investment_rupees",
    "turnover_rupees",
    "category",
    "employees",
    "year_established",
    "contact_email",
    "contact_phone",
)
UNITS = ChoiceReader(Unit.choices)
CAPABILITY_FIELDS = ("monthly_capacity", "capacity_unit", "best_tolerance_um", "max_temperature_c")
# Rows per INSERT/UPDATE statement and ids per lookup: bounded statements at any file size.
BATCH = 2_000
LOOKUP_BATCH = 5_000


def supplier_import_allowed(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Imports add and change any supplier, its capabilities and certificates: a person who may
    add and change all three everywhere (a superuser, or a scheme administrator's group)."""
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perms(
        [
            f"vendors.{action}_{model}"
            for action in ("add", "change")
            for model in ("supplier", "suppliercapability", "certification")
        ]
    )


@dataclass
class _Supplier:
    """One supplier of the file: its first row, the instance it becomes, what changes."""

    row: int
    instance: Supplier
    is_new: bool
    changed: list[str] = field(default_factory=list)
    # Cells of the supplier's own columns as first given, to check later rows against.
    cells: dict[str, str] = field(default_factory=dict)
    certificates_changed: bool = False


class _Places:
    """States and districts, read once, found by code, name or slug."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        for state in State.objects.all():
            for key in (state.code, state.name, state.slug):
                self.states.setdefault(key.casefold(), state)
        self.districts: dict[tuple[int, str], District] = {}
        self.by_id: dict[int, District] = {}
        for district in District.objects.all():
            self.by_id[district.pk] = district
            for key in (district.name, district.slug, district.code):
                self.districts.setdefault((district.state_id, key.casefold()), district)

    def state(self, text: str) -> State:
        found = self.states.get(text.strip().casefold())
        if found is None:
            raise ValidationError(
                _("No state '%(text)s': use its two-letter code (e.g. TN) or its name.")
                % {"text": text}
            )
        return found

    def district(self, state: State, text: str) -> District:
        found = self.districts.get((state.pk, text.strip().casefold()))
        if found is None:
            raise ValidationError(
                _("No district '%(text)s' in %(state)s: use the district's name.")
                % {"text": text, "state": state.name}
            )
        return found


class SupplierImport(TableImport):
    """One run over one table: check every row, then write everything or nothing."""

    kind = gettext_noop("suppliers")

    # --- the run ---

    def run(self) -> ImportReport:
        check_headers(self.table, columns=COLUMNS, required=REQUIRED, issues=self.issues)
        if self.issues:
            return self._finish()
        try:
            with transaction.atomic(), changed_via(ChangePath.IMPORT):
                self._check()
                if not self.issues and not self.dry_run:
                    self._write()
        except DatabaseError as exc:
            # A row that changed since it was checked (a GSTIN taken meanwhile): the
            # transaction is rolled back whole.
            self.issues.add(0, "", database_refused(exc))
        return self._finish()

    def _finish(self) -> ImportReport:
        self.report.issues = list(self.issues)
        if self.report.rejected:
            self.report.changed_ids = []
        return self.report

    # --- checking ---

    def _check(self) -> None:
        self.vocabulary = Vocabulary()
        self.places = _Places()
        self.classification = MsmeLimit.objects.classification_on()
        groups = self._group_rows()
        self._load_existing(list(groups))
        self.suppliers: dict[str, _Supplier] = {}
        self.capabilities_new: list[SupplierCapability] = []
        self.capabilities_changed: list[SupplierCapability] = []
        self.certificates_new: list[Certification] = []
        self.certificates_changed: list[Certification] = []
        self.gstins: dict[str, tuple[str, int]] = {}
        done, total = 0, len(self.table)
        for udyam, rows in groups.items():
            supplier = self._supplier(udyam, rows[0])
            self.suppliers[udyam] = supplier
            seen_processes: dict[int, int] = {}
            for row in rows:
                if row is not rows[0]:
                    self._same_supplier(supplier, row)
                capability_outcome = self._capability(supplier, row, seen_processes)
                self._outcome(supplier, row, capability_outcome)
                done += 1
                if done % 1_000 == 0:
                    self.progress("checking", done, total)
        self.progress("checking", total, total)
        self._count()

    def _group_rows(self) -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in self.table.rows:
            udyam = normalise_identifier(row.get("udyam_number"))
            if not udyam:
                self.issues.add(row.number, "udyam_number", _("Every row needs a Udyam number."))
            elif not UDYAM_RE.match(udyam):
                try:
                    Supplier._meta.get_field("udyam_number").run_validators(udyam)
                except ValidationError as exc:
                    self.issues.add_error(row.number, exc, {}, default="udyam_number")
            else:
                groups[udyam].append(row)
        return groups

    def _load_existing(self, udyams: list[str]) -> None:
        """The suppliers the file names, their capabilities and certificates: a few queries
        per 5,000 suppliers. Locked when writing, so what is compared is what is updated."""
        self.existing: dict[str, Supplier] = {}
        for batch in every(udyams, LOOKUP_BATCH):
            suppliers = Supplier.objects.filter(udyam_number__in=batch)
            if not self.dry_run:
                suppliers = suppliers.select_for_update()
            self.existing.update((s.udyam_number, s) for s in suppliers)
        ids = [s.pk for s in self.existing.values()]
        self.existing_capabilities: dict[tuple[int, int], SupplierCapability] = {}
        self.existing_certificates: dict[tuple[int, int], list[Certification]] = defaultdict(list)
        for batch in every(ids, LOOKUP_BATCH):
            for capability in SupplierCapability.objects.filter(supplier_id__in=batch):
                key = (capability.supplier_id, capability.process_id)
                self.existing_capabilities[key] = capability
            certificates = Certification.objects.filter(supplier_id__in=batch).order_by(
                "-valid_until", "-pk"
            )
            for certificate in certificates:
                key = (certificate.supplier_id, certificate.certification_type_id)
                self.existing_certificates[key].append(certificate)
        # Who holds each GSTIN the file gives (one supplier may hold it: a unique column).
        gstins = sorted(
            {normalise_identifier(row.get("gstin")) for row in self.table.rows if row.get("gstin")}
        )
        self.gstin_holders: dict[str, str] = {}
        for batch in every(gstins, LOOKUP_BATCH):
            self.gstin_holders.update(
                Supplier.objects.filter(gstin__in=batch).values_list("gstin", "udyam_number")
            )

    def _supplier(self, udyam: str, row: Row) -> _Supplier:
        """The supplier a first row describes, checked by the model's own rules."""
        existing = self.existing.get(udyam)
        supplier = existing or Supplier(udyam_number=udyam)
        before = {name: getattr(supplier, name) for name in SUPPLIER_FIELDS} if existing else {}
        found = _Supplier(
            row=row.number,
            instance=supplier,
            is_new=existing is None,
            cells={c: row.get(c) for c in SUPPLIER_COLUMNS if c in self.present},
        )
        errors: dict[str, list[str]] = defaultdict(list)
        for column in ("name", "pin_code"):
            if not row.get(column):
                errors[column].append(_("This column needs a value."))

        def cell(column: str, parse: Any, *, required: bool = False) -> Any:
            text = row.get(column)
            if not text:
                if required:
                    errors[column].append(_("This column needs a value."))
                return None
            try:
                return parse(text)
            except ValidationError as exc:
                errors[column].extend(exc.messages)
                return None

        supplier.name = row.get("name")
        supplier.pin_code = row.get("pin_code")
        if "gstin" in self.present:
            supplier.gstin = normalise_identifier(row.get("gstin")) or None
        state = cell("state", self.places.state, required=True)
        if state is not None:
            district = cell("district", partial(self.places.district, state), required=True)
            if district is not None:
                self._place(supplier, state, district, moved=existing is not None)
        investment = cell("investment_inr", parse_rupees, required=True)
        turnover = cell("turnover_inr", parse_rupees, required=True)
        if investment is not None:
            supplier.investment_rupees = investment
        if turnover is not None:
            supplier.turnover_rupees = turnover
        if "employees" in self.present:
            supplier.employees = cell("employees", parse_integer) or 0
        if "year_established" in self.present:
            supplier.year_established = cell("year_established", parse_integer)
        if "email" in self.present:
            supplier.contact_email = row.get("email")
        if "phone" in self.present:
            supplier.contact_phone = row.get("phone")
        # The model's own checks on everything that parsed (fields whose cell failed are left
        # out, so each cell reports one error). Foreign keys are left out too: they were found
        # above, and checking them again would cost a query per row.
        skip = {"state", "district", "owner"}
        skip |= {name for name, column in SUPPLIER_FIELD_COLUMNS.items() if column in errors}
        if investment is not None and turnover is not None:
            supplier.derive_fields(classification=self.classification)
        else:
            skip.add("category")
        for check in (partial(supplier.clean_fields, exclude=sorted(skip)), supplier.clean):
            try:
                check()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors[SUPPLIER_FIELD_COLUMNS.get(name, "")].extend(messages)
        for column, messages in errors.items():
            for message in messages:
                self.issues.add(row.number, column, message)
        if "gstin" not in errors:
            self._gstin_unique(udyam, supplier.gstin, row.number)
        if existing is not None and not errors:
            found.changed = [n for n in SUPPLIER_FIELDS if getattr(supplier, n) != before[n]]
        if CERTIFICATIONS in self.present:
            self._certificates(found, row)
        return found

    def _place(self, supplier: Supplier, state: State, district: District, *, moved: bool) -> None:
        old_district = self.places.by_id.get(supplier.district_id) if moved else None
        supplier.state, supplier.district = state, district
        # Still placed at the old district's headquarters: it moves with the district
        # (derive_fields places a supplier without coordinates at its district's).
        if (
            old_district is not None
            and old_district != district
            and (supplier.latitude, supplier.longitude) == district_coordinates(old_district)
        ):
            supplier.latitude = supplier.longitude = None

    def _gstin_unique(self, udyam: str, gstin: str | None, row: int) -> None:
        if not gstin:
            return
        holder = self.gstin_holders.get(gstin)
        if holder is not None and holder != udyam:
            self.issues.add(
                row,
                "gstin",
                _("This GSTIN is registered to another supplier, %(udyam)s.") % {"udyam": holder},
            )
        earlier = self.gstins.setdefault(gstin, (udyam, row))
        if earlier[0] != udyam:
            self.issues.add(
                row,
                "gstin",
                _("Row %(row)s gives this GSTIN to another supplier, %(udyam)s.")
                % {"row": earlier[1], "udyam": earlier[0]},
            )

    def _same_supplier(self, supplier: _Supplier, row: Row) -> None:
        """A later row of a supplier repeats its columns or leaves them blank."""
        for column, first in supplier.cells.items():
            text = row.get(column)
            if text and _comparable(text) != _comparable(first):
                self.issues.add(
                    row.number,
                    column,
                    _(
                        "Row %(row)s gives this supplier '%(first)s'; every row of one supplier "
                        "repeats its columns or leaves them blank."
                    )
                    % {"row": supplier.row, "first": first},
                )

    def _capability(
        self, supplier: _Supplier, row: Row, seen_processes: dict[int, int]
    ) -> str | None:
        """The process a row offers, new or changed; None when it changes nothing."""
        if not row.get("process"):
            for column in CAPABILITY_COLUMNS[1:]:
                if row.get(column):
                    self.issues.add(
                        row.number, "process", _("Name the process these figures are for.")
                    )
                    break
            return None
        errors: list[tuple[str, str]] = []
        try:
            process = self.vocabulary.process(row.get("process"))
        except ValidationError as exc:
            self.issues.add_error(row.number, exc, {}, default="process")
            return None
        first_row = seen_processes.setdefault(process.pk, row.number)
        if first_row != row.number:
            self.issues.add(
                row.number,
                "process",
                _("Row %(row)s already gives this supplier's %(process)s.")
                % {"row": first_row, "process": process.slug},
            )
            return None
        key = (supplier.instance.pk, process.pk)
        capability = (
            self.existing_capabilities.get(key) if not supplier.is_new else None
        ) or SupplierCapability(supplier=supplier.instance, process=process)
        is_new = capability.pk is None
        before = {name: getattr(capability, name) for name in CAPABILITY_FIELDS}
        parsers = {
            "monthly_capacity": parse_decimal,
            "capacity_unit": UNITS,
            "best_tolerance_um": parse_decimal,
            "max_temperature_c": parse_integer,
        }
        for column, parse in parsers.items():
            if column not in self.present:
                continue
            text = row.get(column)
            try:
                value = parse(text) if text else None
            except ValidationError as exc:
                errors += [(column, message) for message in exc.messages]
                continue
            if column == "capacity_unit" and value is None:
                value = Unit.PIECES
            setattr(capability, column, value)
        try:
            if errors:
                raise ValidationError({column: [message] for column, message in errors})
            capability.clean_fields(exclude=["supplier", "process"])
            capability.clean()
        except ValidationError as exc:
            self.issues.add_error(row.number, exc, CAPABILITY_FIELD_COLUMNS, default="process")
            return None
        if is_new:
            self.capabilities_new.append(capability)
            return Outcome.NEW
        if any(getattr(capability, name) != before[name] for name in CAPABILITY_FIELDS):
            self.capabilities_changed.append(capability)
            return Outcome.UPDATE
        self.report.unchanged[_("capabilities")] += 1
        return None

    def _certificates(self, supplier: _Supplier, row: Row) -> None:
        """Each CODE:date adds a certificate of that type, or dates the supplier's latest one
        anew (unverified again: the verification was of the old date)."""
        try:
            dated = self.vocabulary.dated_certifications_in(row.get(CERTIFICATIONS))
        except ValidationError as exc:
            self.issues.add_error(row.number, exc, {}, default=CERTIFICATIONS)
            return
        for kind, valid_until in dated:
            held = (
                []
                if supplier.is_new
                else self.existing_certificates.get((supplier.instance.pk, kind.pk), [])
            )
            if any(certificate.valid_until == valid_until for certificate in held):
                self.report.unchanged[_("certificates")] += 1
                continue
            supplier.certificates_changed = True
            if held:
                latest = held[0]
                latest.valid_until, latest.is_verified = valid_until, False
                self.certificates_changed.append(latest)
            else:
                self.certificates_new.append(
                    Certification(
                        supplier=supplier.instance,
                        certification_type=kind,
                        number="",
                        issuer="",
                        valid_until=valid_until,
                    )
                )

    def _outcome(self, supplier: _Supplier, row: Row, capability: str | None) -> None:
        if supplier.is_new:
            outcome = Outcome.NEW
        elif (
            capability
            or supplier.changed
            or (row.number == supplier.row and supplier.certificates_changed)
        ):
            outcome = Outcome.UPDATE
        else:
            outcome = Outcome.UNCHANGED
        self.report.outcomes[row.number] = outcome

    def _count(self) -> None:
        report = self.report
        for entity in (_("suppliers"), _("capabilities"), _("certificates")):
            report.created[entity] += 0  # every entity listed, in this order
        for supplier in self.suppliers.values():
            if supplier.is_new:
                report.created[_("suppliers")] += 1
            elif supplier.changed or supplier.certificates_changed:
                report.updated[_("suppliers")] += 1
            else:
                report.unchanged[_("suppliers")] += 1
        report.created[_("capabilities")] += len(self.capabilities_new)
        report.updated[_("capabilities")] += len(self.capabilities_changed)
        report.created[_("certificates")] += len(self.certificates_new)
        report.updated[_("certificates")] += len(self.certificates_changed)

    # --- writing ---

    def _write(self) -> None:
        now = timezone.now()
        history = {
            "default_user": self.user,
            "default_date": now,
            "custom_historical_attrs": bulk_history_attrs(),
            "batch_size": BATCH,
        }
        new = [s.instance for s in self.suppliers.values() if s.is_new]
        changed = [s for s in self.suppliers.values() if not s.is_new and s.changed]
        parts = (
            new,
            changed,
            self.capabilities_new,
            self.capabilities_changed,
            self.certificates_new,
            self.certificates_changed,
        )
        total, done = sum(len(part) for part in parts), 0

        def wrote(objects: Sequence[object]) -> None:
            nonlocal done
            done += len(objects)
            self.progress("writing", done, total)

        bulk_create_with_history(new, Supplier, **history)
        wrote(new)
        if changed:
            for supplier in changed:
                supplier.instance.updated_at = now
            fields = sorted({name for s in changed for name in s.changed} | {"updated_at"})
            bulk_update_with_history(
                [s.instance for s in changed], Supplier, fields=_names(fields), **history
            )
        wrote(changed)
        _create(self.capabilities_new, SupplierCapability, history)
        wrote(self.capabilities_new)
        _update(self.capabilities_changed, SupplierCapability, CAPABILITY_FIELDS, now, history)
        wrote(self.capabilities_changed)
        _create(self.certificates_new, Certification, history)
        wrote(self.certificates_new)
        _update(
            self.certificates_changed, Certification, ("valid_until", "is_verified"), now, history
        )
        wrote(self.certificates_changed)
        changed_ids = {s.instance.pk for s in self.suppliers.values() if s.is_new or s.changed}
        changed_ids |= {
            c.supplier_id
            for c in (
                *self.capabilities_new,
                *self.capabilities_changed,
                *self.certificates_new,
                *self.certificates_changed,
            )
        }
        self.report.changed_ids = sorted(changed_ids)
        if changed_ids:
            # One signal for the whole file: the matcher rematches them in one run once this
            # transaction commits (bulk writes send no post_save, so nothing is queued per row).
            suppliers_imported.send(sender=Supplier, supplier_ids=self.report.changed_ids)


def _names(fields: Iterable[str]) -> list[str]:
    """Field names from attribute names (``state_id`` → ``state``) for ``bulk_update``."""
    return [name.removesuffix("_id") for name in fields]


def _create(objects: list[Any], model: type[Any], history: dict[str, Any]) -> None:
    # Children of suppliers created just before: bulk_create takes each one's supplier_id
    # from its (now saved) supplier.
    bulk_create_with_history(objects, model, **history)


def _update(
    objects: list[Any],
    model: type[Any],
    fields: Sequence[str],
    now: datetime.datetime,
    history: dict[str, Any],
) -> None:
    if objects:
        for item in objects:
            item.updated_at = now
        bulk_update_with_history(objects, model, fields=[*fields, "updated_at"], **history)


def _comparable(text: str) -> str:
    return " ".join(text.split()).casefold()


def suppliers_import(
    *,
    table: Table,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a table of suppliers: every row checked, then all written in one transaction, or
    nothing and every error by row and column. A dry run checks and counts, and writes nothing.
    """
    return SupplierImport(table, dry_run=dry_run, user=user, progress=progress).run()


# --- Export -------------------------------------------------------------------------------------

EXPORT_CHUNK = 2_000


def supplier_export_rows(queryset: QuerySet[Supplier]) -> Iterator[list[object]]:
    """The suppliers in the import's columns, one row per process (one row without any), so an
    exported file imports back unchanged. Read in chunks with their children prefetched."""
    suppliers = (
        queryset.select_related("state", "district")
        .prefetch_related(
            Prefetch(
                "capabilities",
                queryset=SupplierCapability.objects.select_related("process").order_by(
                    "process__slug"
                ),
            ),
            Prefetch(
                "certifications",
                queryset=Certification.objects.select_related("certification_type").order_by(
                    "certification_type__code", "-valid_until"
                ),
            ),
        )
        .order_by("udyam_number")
    )
    for supplier in suppliers.iterator(chunk_size=EXPORT_CHUNK):
        latest: dict[str, datetime.date] = {}
        for certificate in supplier.certifications.all():
            latest.setdefault(certificate.certification_type.code, certificate.valid_until)
        own = [
            supplier.udyam_number,
            supplier.name,
            supplier.gstin or "",
            supplier.state.code,
            supplier.district.name,
            supplier.pin_code,
            supplier.investment_rupees,
            supplier.turnover_rupees,
            supplier.employees,
            supplier.year_established if supplier.year_established is not None else "",
            supplier.contact_email,
            supplier.contact_phone,
        ]
        certificates = ";".join(f"{code}:{day.isoformat()}" for code, day in latest.items())
        capabilities = list(supplier.capabilities.all()) or [None]
        for capability in capabilities:
            yield [*own, *_capability_cells(capability), certificates]


def _capability_cells(capability: SupplierCapability | None) -> list[object]:
    if capability is None:
        return ["", "", "", "", ""]
    return [
        capability.process.slug,
        _figure(capability.monthly_capacity),
        capability.capacity_unit,
        _figure(capability.best_tolerance_um),
        "" if capability.max_temperature_c is None else capability.max_temperature_c,
    ]


def _figure(value: object) -> object:
    """A decimal as typed: 10000 rather than 10000.00, empty for none."""
    if value is None:
        return ""
    return format(value.normalize(), "f")  # type: ignore[attr-defined]


SUPPLIER_TABLE = TableFormat(
    name="suppliers",
    columns=COLUMNS,
    required=REQUIRED,
    run=suppliers_import,
    export_rows=supplier_export_rows,
    allowed=supplier_import_allowed,
)
