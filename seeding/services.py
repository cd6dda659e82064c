"""Seeding's actions: load the reference data, add demo data, clear demo data.

The management commands ``seed_reference`` and ``seed_demo`` (and ``make run``) call these. Demo
data is synthetic, deterministic for a seed, and flagged ``is_demo`` so it can be told apart from
real profiles and cleared without touching them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from matching.models import MatchRun
from matching.runs import match_run_create
from matching.tasks import match_run_enqueue
from partners.models import ApiKey, Partner
from partners.services import api_key_create, api_key_revoke, partner_ensure
from schemes.models import Facility, Need
from schemes.services import facility_clear_demo_clusters
from vendors.models import Certification, Supplier, SupplierCapability

from . import roles
from .demo.clearing import RowSet, delete_cascading
from .demo.needs import NEED_FIELDS, NeedGenerator, facilities_assign_demo_clusters
from .demo.reference import reference_read
from .demo.suppliers import (
    CAPABILITY_FIELDS,
    CERTIFICATION_FIELDS,
    SUPPLIER_FIELDS,
    NamePools,
    SupplierDraft,
    SupplierGenerator,
)
from .demo.writer import RowWriter
from .reference import ReferenceLoadReport, load_all

ProgressCallback = Callable[[str], None]
BATCH_SIZE = 5_000  # suppliers drafted and written per COPY round: ~7,000 rows, a few MB


@transaction.atomic
def reference_load() -> ReferenceLoadReport:
    """Load or refresh all reference data in one transaction (all or nothing)."""
    return load_all()


@dataclass
class DemoClearReport:
    deleted: dict[str, int] = field(default_factory=dict)
    facilities_unclustered: int = 0
    match_run_id: int | None = None

    @property
    def suppliers(self) -> int:
        return self.deleted.get(Supplier._meta.db_table, 0)

    @property
    def needs(self) -> int:
        return self.deleted.get(Need._meta.db_table, 0)


def demo_clear(*, rematch: bool = True) -> DemoClearReport:
    """Delete every demo supplier and need (and what hangs off them); undo demo clusters.

    Their matches go with them; with ``rematch``, a full run then rescores what is left (real
    needs of facilities that lose their demo cluster).
    """
    with transaction.atomic():
        deleted = delete_cascading(RowSet.where_field_is(Need, "is_demo", True))
        deleted.update(delete_cascading(RowSet.where_field_is(Supplier, "is_demo", True)))
        report = DemoClearReport(
            deleted=dict(deleted),
            facilities_unclustered=facility_clear_demo_clusters(signal_change=False),
        )
    if rematch:
        report.match_run_id = _start_full_rematch()
    return report


def _start_full_rematch() -> int:
    """One full run for what seeding changed: the COPY writer and set-wise deletes send no
    signals. Its chunks are queued once committed (without a broker they run at once)."""
    run = match_run_create(scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.DEMO_DATA)
    match_run_enqueue(run.pk)
    return run.pk


@dataclass
class DemoSeedReport:
    suppliers: int = 0
    capabilities: int = 0
    certifications: int = 0
    sector_links: int = 0
    needs: int = 0
    need_certifications: int = 0
    facilities_clustered: int = 0
    cleared: DemoClearReport | None = None
    match_run_id: int | None = None  # the full rematch of the demo set, when one was started
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return self.seconds.get("total", 0.0)

    def lines(self) -> list[str]:
        lines = []
        if self.cleared is not None:
            removed = ", ".join(
                f"{n:,} {table}" for table, n in sorted(self.cleared.deleted.items()) if n
            )
            lines.append(
                f"cleared: {removed or 'nothing'}; "
                f"{self.cleared.facilities_unclustered} demo facility cluster(s) reset"
            )
        lines.append(
            f"suppliers: {self.suppliers:,} ({self.capabilities:,} capabilities, "
            f"{self.certifications:,} certifications, {self.sector_links:,} sector links)"
        )
        lines.append(
            f"needs: {self.needs:,} ({self.need_certifications:,} required certifications); "
            f"{self.facilities_clustered} facility(ies) given a demo cluster"
        )
        lines.append("time: " + ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items()))
        return lines


def demo_seed(
    *,
    suppliers: int,
    needs: int,
    seed: int,
    clear: bool = False,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    rematch: bool = True,
) -> DemoSeedReport:
    """Optionally delete all demo rows, then add ``suppliers`` MSMEs and ``needs`` needs.

    One transaction: a failure leaves the database as it was. Raises ReferenceDataMissing
    before touching anything if seed_reference has not been run. With ``rematch`` (the
    default), a full run computes the demo set's matches once the rows are committed; without a
    broker (``make run``) it runs in-process before this returns.
    """
    started = time.perf_counter()
    report = DemoSeedReport()
    say = progress or (lambda message: None)
    now = timezone.now()

    def lap(name: str, since: float) -> float:
        now_counter = time.perf_counter()
        report.seconds[name] = report.seconds.get(name, 0.0) + now_counter - since
        return now_counter

    with transaction.atomic():
        snapshot = reference_read()
        mark = lap("reference", started)
        if clear:
            report.cleared = demo_clear(rematch=False)
            mark = lap("clear", mark)
            say(
                f"cleared {report.cleared.suppliers:,} demo suppliers and "
                f"{report.cleared.needs:,} demo needs · {mark - started:.1f} s"
            )
        rng = random.Random(seed)
        writer = RowWriter(now=now)
        if suppliers > 0:
            pools = NamePools.from_faker(seed)
            generator = SupplierGenerator(
                reference=snapshot,
                rng=rng,
                pools=pools,
                now=now,
                taken_udyam=set(Supplier.objects.values_list("udyam_number", flat=True)),
                taken_gstin=set(
                    Supplier.objects.exclude(gstin=None).values_list("gstin", flat=True)
                ),
            )
            mark = lap("generate", mark)
            for batch_start in range(0, suppliers, batch_size):
                count = min(batch_size, suppliers - batch_start)
                drafts = [generator.draft() for _ in range(count)]
                mark = lap("generate", mark)
                _write_suppliers(writer, drafts, report)
                mark = time.perf_counter()
                say(f"suppliers {report.suppliers:,}/{suppliers:,} · {mark - started:.1f} s")
        if needs > 0:
            # A separate stream for needs, so the same needs follow whatever --suppliers is.
            need_rng = random.Random(f"needs-{seed}")
            report.facilities_clustered = facilities_assign_demo_clusters(
                reference=snapshot, now=now
            )
            taken_refs: dict[int, set[str]] = {}
            for facility_id, ref in Need.objects.exclude(external_ref="").values_list(
                "facility_id", "external_ref"
            ):
                taken_refs.setdefault(facility_id, set()).add(ref)
            need_generator = NeedGenerator(
                reference=snapshot, rng=need_rng, now=now, taken_refs=taken_refs
            )
            need_drafts = [need_generator.draft() for _ in range(needs)]
            mark = lap("generate", mark)
            need_ids = writer.insert_returning_ids(Need, NEED_FIELDS, [d.row for d in need_drafts])
            through = Need.required_certifications.through
            links = [
                (need_id, type_id)
                for need_id, draft in zip(need_ids, need_drafts, strict=True)
                for type_id in draft.certification_type_ids
            ]
            writer.insert(through, ["need_id", "certificationtype_id"], links)
            report.needs = len(need_ids)
            report.need_certifications = len(links)
            mark = time.perf_counter()
            say(f"needs {report.needs:,}/{needs:,} · {mark - started:.1f} s")
        for table, seconds in writer.seconds.items():
            report.seconds[f"write {table}"] = seconds
        mark = time.perf_counter()
    # PostgreSQL checks the (deferred) foreign keys of every inserted row at commit.
    lap("commit", mark)
    report.seconds["total"] = time.perf_counter() - started
    if rematch and (clear or report.suppliers or report.needs):
        report.match_run_id = _start_full_rematch()
    return report


def _write_suppliers(
    writer: RowWriter, drafts: list[SupplierDraft], report: DemoSeedReport
) -> None:
    ids = writer.insert_returning_ids(Supplier, SUPPLIER_FIELDS, [d.row for d in drafts])
    capabilities = []
    certifications = []
    sector_links = []
    for supplier_id, draft in zip(ids, drafts, strict=True):
        capabilities.extend((supplier_id, *row) for row in draft.capabilities)
        certifications.extend((supplier_id, *row) for row in draft.certifications)
        sector_links.extend((supplier_id, sector_id) for sector_id in draft.sector_ids)
    writer.insert(SupplierCapability, CAPABILITY_FIELDS, capabilities)
    writer.insert(Certification, CERTIFICATION_FIELDS, certifications)
    writer.insert(Supplier.sectors.through, ["supplier_id", "strategicsector_id"], sector_links)
    report.suppliers += len(ids)
    report.capabilities += len(capabilities)
    report.certifications += len(certifications)
    report.sector_links += len(sector_links)


# --- The admin's roles --------------------------------------------------------------------------


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create the admin's groups, or bring their permissions back to what ``roles.py`` says
    (anything added by hand is taken away). Returns each group's number of permissions."""
    synced = {}
    for role in roles.ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        permissions = list(roles.role_permissions(role))
        group.permissions.set(permissions)
        synced[role] = len(permissions)
    return synced


DEMO_PARTNER = "Demo anchor company"
DEMO_KEY_NAME = "make run demo"


@transaction.atomic
def demo_partner_key(*, facility: Facility) -> str:
    """A fresh API key for a demo partner scoped to ``facility`` (keys are stored hashed, so a
    key can be printed only when made: the previous demo key is revoked)."""
    partner = partner_ensure(name=DEMO_PARTNER, facilities=[facility], kind=Partner.Kind.ANCHOR)
    for old in ApiKey.objects.filter(partner=partner, name=DEMO_KEY_NAME, revoked_at=None):
        api_key_revoke(api_key=old)
    _api_key, key = api_key_create(partner=partner, name=DEMO_KEY_NAME)
    return key
