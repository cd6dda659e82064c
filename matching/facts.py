"""What the rules read about a need and a supplier, loaded set-wise and exactly.

Figures come through the ORM, so decimals are ``Decimal`` on every engine (SQLite stores them as
binary floats; Django's converters restore the entered value, so a capacity of 0.1 equals a
limit of 0.1). A ``Pair`` is one supplier's capability for one need's process, with what the
rules derive from it (distance, latest certificate dates) computed once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from clusters.geo import great_circle_km
from schemes.models import Facility, Need
from taxonomy.localized import Name
from vendors.models import Certification, SupplierCapability

from .capacity import Commitment, committed_elsewhere, load_commitments


@dataclass(frozen=True)
class RequiredCertificate:
    type_id: int
    code: str
    name: Name  # reasons name certificates, in the reader's language


@dataclass(frozen=True)
class NeedFacts:
    id: int
    process_id: int
    unit: str
    min_monthly_capacity: Decimal | None
    max_tolerance_um: Decimal | None
    min_process_temperature_c: int | None
    radius_km: int | None
    preferred_category: str
    match_date: datetime.date  # certificates must be valid on this date
    facility_name: Name
    site: tuple[float, float] | None
    required: tuple[RequiredCertificate, ...]  # by code
    is_open: bool

    @cached_property
    def required_ids(self) -> frozenset[int]:
        return frozenset(r.type_id for r in self.required)


@dataclass(frozen=True)
class CertificateFacts:
    type_id: int
    code: str
    name: Name
    valid_until: datetime.date
    is_verified: bool
    zed_level: int  # 0 for a certificate that is not a ZED level


@dataclass(frozen=True)
class SupplierFacts:
    """A supplier's capability for one process, and the supplier facts rules read."""

    supplier_id: int
    process_id: int
    monthly_capacity: Decimal | None
    capacity_unit: str
    best_tolerance_um: Decimal | None
    max_temperature_c: int | None
    years_experience: int | None
    latitude: float | None
    longitude: float | None
    is_verified: bool
    category: str
    year_established: int | None
    is_active: bool
    certificates: tuple[CertificateFacts, ...]
    # Shortlists and engagements holding this capability's capacity (``capacity.py``).
    commitments: tuple[Commitment, ...] = ()


@dataclass(frozen=True)
class Pair:
    need: NeedFacts
    supplier: SupplierFacts
    today: datetime.date

    @cached_property
    def distance(self) -> float | None:
        """Great-circle km from the supplier to the facility's site; None if either is unknown."""
        if self.need.site is None or self.supplier.latitude is None:
            return None
        return great_circle_km(self.supplier.latitude, self.supplier.longitude, *self.need.site)

    @cached_property
    def committed_elsewhere(self) -> Decimal:
        """What the supplier has promised of this process's capacity to other needs."""
        return committed_elsewhere(
            self.supplier.commitments, unit=self.supplier.capacity_unit, need_id=self.need.id
        )

    @cached_property
    def free_capacity(self) -> Decimal | None:
        """Monthly capacity not promised to other needs (negative when over-promised); None
        when the capacity is not stated."""
        if self.supplier.monthly_capacity is None:
            return None
        return self.supplier.monthly_capacity - self.committed_elsewhere

    @cached_property
    def latest_valid_until(self) -> dict[int, datetime.date]:
        """Each certificate type the supplier holds, with the latest date one is valid until."""
        latest: dict[int, datetime.date] = {}
        for certificate in self.supplier.certificates:
            if certificate.valid_until > latest.get(certificate.type_id, datetime.date.min):
                latest[certificate.type_id] = certificate.valid_until
        return latest

    @cached_property
    def valid_today(self) -> tuple[CertificateFacts, ...]:
        return tuple(c for c in self.supplier.certificates if c.valid_until >= self.today)


NEED_FIELDS = (
    "pk",
    "process_id",
    "unit",
    "min_monthly_capacity",
    "max_tolerance_um",
    "min_process_temperature_c",
    "radius_km",
    "preferred_category",
    "due_date",
    "facility__name",
    "facility__name_hi",
    "site_latitude",  # annotated: the facility's site, else its cluster's centre
    "site_longitude",
    "status",
)


def load_needs(need_ids: Iterable[int], today: datetime.date) -> dict[int, NeedFacts]:
    """Everything the rules need to know about each need, in two queries.

    Columns, not model instances: a supplier's dashboard explains every one of its near misses
    (hundreds of needs). Building each need with its facility, cluster and certificate types
    made a dashboard with 2,000 near misses take ~1 s; columns, ~0.2 s. The site is
    ``Facility.site``'s rule as SQL (``Facility.site_expressions``).
    """
    need_ids = list(need_ids)
    site_latitude, site_longitude = Facility.site_expressions("facility__")
    rows = (
        Need.objects.filter(pk__in=need_ids)
        .annotate(site_latitude=site_latitude, site_longitude=site_longitude)
        .values_list(*NEED_FIELDS, named=True)
    )
    required: dict[int, list[RequiredCertificate]] = defaultdict(list)
    through = Need.required_certifications.through
    for need_id, type_id, code, name, name_hi in through.objects.filter(
        need_id__in=need_ids
    ).values_list(
        "need_id",
        "certificationtype_id",
        "certificationtype__code",
        "certificationtype__name",
        "certificationtype__name_hi",
    ):
        required[need_id].append(RequiredCertificate(type_id, code, Name(name, name_hi)))
    return {
        row.pk: NeedFacts(
            id=row.pk,
            process_id=row.process_id,
            unit=row.unit,
            min_monthly_capacity=row.min_monthly_capacity,
            max_tolerance_um=row.max_tolerance_um,
            min_process_temperature_c=row.min_process_temperature_c,
            radius_km=row.radius_km,
            preferred_category=row.preferred_category,
            match_date=Need.match_date_for(row.due_date, today),
            facility_name=Name(row.facility__name, row.facility__name_hi),
            site=None if row.site_latitude is None else (row.site_latitude, row.site_longitude),
            required=tuple(sorted(required[row.pk], key=lambda r: r.code)),
            is_open=row.status == Need.Status.OPEN,
        )
        for row in rows
    }


CAPABILITY_FIELDS = (
    "supplier_id",
    "process_id",
    "monthly_capacity",
    "capacity_unit",
    "best_tolerance_um",
    "max_temperature_c",
    "years_experience",
    "supplier__latitude",
    "supplier__longitude",
    "supplier__is_verified",
    "supplier__category",
    "supplier__year_established",
    "supplier__is_active",
)


def load_suppliers(
    process_ids: Iterable[int], *, supplier_ids: Iterable[int] | None = None
) -> list[SupplierFacts]:
    """Suppliers' capabilities in these processes (optionally only some suppliers), with their
    certificates and commitments: three queries. Which of them are candidates is
    ``rules.is_candidate``'s to say."""
    process_ids = set(process_ids)
    supplier_ids = None if supplier_ids is None else set(supplier_ids)
    capabilities = SupplierCapability.objects.filter(process_id__in=process_ids)
    if supplier_ids is not None:
        capabilities = capabilities.filter(supplier_id__in=supplier_ids)
    rows = list(capabilities.order_by("supplier_id", "process_id").values_list(*CAPABILITY_FIELDS))
    certificates = load_certificates({row[0] for row in rows})
    held = load_commitments(supplier_ids=supplier_ids, process_ids=process_ids)
    return [
        SupplierFacts(*row, certificates=certificates[row[0]], commitments=held[(row[0], row[1])])
        for row in rows
    ]


def load_certificates(supplier_ids: set[int]) -> dict[int, tuple[CertificateFacts, ...]]:
    held: dict[int, list[CertificateFacts]] = defaultdict(list)
    rows = (
        Certification.objects.filter(supplier_id__in=supplier_ids)
        .order_by("certification_type__code", "valid_until", "pk")
        .values_list(
            "supplier_id",
            "certification_type_id",
            "certification_type__code",
            "certification_type__name",
            "certification_type__name_hi",
            "valid_until",
            "is_verified",
            "certification_type__zed_level",
        )
    )
    for supplier_id, type_id, code, name, name_hi, valid_until, verified, zed in rows.iterator(
        5000
    ):
        held[supplier_id].append(
            CertificateFacts(type_id, code, Name(name, name_hi), valid_until, verified, zed or 0)
        )
    return defaultdict(tuple, {key: tuple(value) for key, value in held.items()})
