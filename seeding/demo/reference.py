"""The reference rows demo generation draws from, read once, in a fixed order.

The order (by natural key, never by id) is what makes a seed give the same rows on any database:
the random stream picks "the 7th district", and the 7th district must be the same everywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from clusters.models import Cluster, District
from clusters.reference_data import CANDIDATE_STATE_CODES
from schemes.models import Facility
from taxonomy.choices import Unit
from taxonomy.classification import MsmeClassification, NoLimitsInForce
from taxonomy.models import CertificationType, MsmeLimit, Process, StrategicSector

from .catalogue import CATEGORY_SPECS, HUB_WORDS, PROCESS_SPECS, ProcessSpec


class ReferenceDataMissing(Exception):
    """seed_demo needs the reference data (states, districts, taxonomy, facilities, limits)."""


@dataclass(frozen=True)
class ProcessRef:
    id: int
    slug: str
    name: str
    category: str
    spec: ProcessSpec
    unit: str  # spec.unit as a plain string


@dataclass(frozen=True)
class DistrictRef:
    id: int
    code: str
    name: str
    headquarters: str
    latitude: float
    longitude: float
    state_id: int
    state_code: str
    state_name: str
    gst_code: str


@dataclass
class Reference:
    """Reference rows in a fixed order (by natural key): the random stream maps to the same rows."""

    districts: list[DistrictRef]
    district_cum_weights: list[float]
    processes: dict[str, ProcessRef]
    certification_types: dict[str, int]
    sectors: dict[str, int]
    classification: MsmeClassification  # the MSME limits in force today
    facilities: list[Facility]
    repm_clusters: list[Cluster]


def _district_weight(district: District, cluster_district_ids: set[int]) -> float:
    """Candidate states, cluster districts and industrial hubs host more suppliers."""
    weight = 1.0
    if district.state.code in CANDIDATE_STATE_CODES:
        weight *= 3
    if district.pk in cluster_district_ids:
        weight *= 2
    note = district.industrial_note.lower()
    if any(word in note for word in HUB_WORDS):
        weight *= 2
    return weight


def _process_ref(process: Process) -> ProcessRef:
    spec = (
        PROCESS_SPECS.get(process.slug)
        or CATEGORY_SPECS.get(process.category.slug)
        or ProcessSpec(Unit.PIECES, (1_000, 100_000))  # a process added after this was written
    )
    return ProcessRef(
        id=process.pk,
        slug=process.slug,
        name=process.name,
        category=process.category.slug,
        spec=spec,
        unit=str(spec.unit),
    )


def reference_read(*, today: datetime.date | None = None) -> Reference:
    """Load what generation needs, or raise ReferenceDataMissing naming what is absent."""
    districts = list(District.objects.select_related("state").order_by("state__code", "code"))
    processes = list(Process.objects.select_related("category").order_by("slug"))
    certification_types = dict(CertificationType.objects.order_by("code").values_list("code", "id"))
    sectors = dict(StrategicSector.objects.order_by("slug").values_list("slug", "id"))
    try:
        classification = MsmeLimit.objects.classification_on(today)
    except NoLimitsInForce:
        classification = None
    facilities = list(Facility.objects.order_by("scheme__slug", "number"))
    repm_clusters = list(
        Cluster.objects.filter(kind=Cluster.Kind.REPM_CLUSTER).order_by("name", "slug")
    )
    missing = [
        name
        for name, rows in [
            ("districts", districts),
            ("processes", processes),
            ("certification types", certification_types),
            ("strategic sectors", sectors),
            ("MSME limits in force", classification),
            ("facilities", facilities),
            ("REPM clusters", repm_clusters),
        ]
        if not rows
    ]
    if missing:
        raise ReferenceDataMissing(
            f"Reference data is missing ({', '.join(missing)}): "
            "run `python manage.py seed_reference` first."
        )
    cluster_district_ids = set(
        Cluster.districts.through.objects.values_list("district_id", flat=True)
    )
    cum_weights: list[float] = []
    total = 0.0
    for district in districts:
        total += _district_weight(district, cluster_district_ids)
        cum_weights.append(total)
    return Reference(
        districts=[
            DistrictRef(
                id=d.pk,
                code=d.code,
                name=d.name,
                headquarters=d.headquarters or d.name,
                latitude=d.latitude,
                longitude=d.longitude,
                state_id=d.state_id,
                state_code=d.state.code,
                state_name=d.state.name,
                gst_code=d.state.gst_code,
            )
            for d in districts
        ],
        district_cum_weights=cum_weights,
        processes={p.slug: _process_ref(p) for p in processes},
        certification_types=certification_types,
        sectors=sectors,
        classification=classification,
        facilities=facilities,
        repm_clusters=repm_clusters,
    )
