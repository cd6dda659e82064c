"""Compute a snapshot of supply against demand, set-based in the database.

Live aggregates over every match take seconds at national scale (4 million match rows for
100,000 suppliers and 1,000 needs), too slow for a page; a snapshot's rows take milliseconds.
So a beat task (``tasks.insights_refresh``) recomputes the figures every few minutes and the
pages say when they were read.

Every figure is an aggregate the database computes: ``INSERT … SELECT … GROUP BY`` statements
written in SQL both PostgreSQL and SQLite speak, and the supply counts through the ORM (the
distance is ``clusters.geo``'s, as the matcher's radius rule). Python only assembles the
statements and bulk-writes the supply aggregates (a few hundred rows).

What the figures count, from the matcher's rows (``matching.models.Match``):
  a match      near_miss_rule = '' and no_longer_meets_rules = '': it passes every rule now
  a near miss  near_miss_rule = the one rule it fails
Rows flagged as no longer meeting the rules (someone acted on them, then they stopped holding)
count as neither. Only open needs count, and only active suppliers (``rules.OPEN_NEED``,
``rules.ACTIVE_SUPPLIER``: the candidates the matcher itself considers).
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, FloatField, Max, Q, Value
from django.utils import timezone

from clusters.geo import great_circle_km_expression
from clusters.models import Cluster
from matching import rules
from matching.models import Match, MatchTombstone
from schemes.models import Facility, Need
from vendors.models import Supplier, SupplierCapability

from .models import NEAR_MISS_FIELDS, NeedFigure, ProcessFigure, Snapshot, SupplyFigure

logger = logging.getLogger(__name__)

# The radii a cluster's supply is counted within (km); pages offer them as choices.
RADII_KM = (100, 250, 500)
DEFAULT_RADIUS_KM = 250
# How many snapshots to keep: the newest is read, the one before it is what a page that started
# reading just before a refresh committed may still be reading.
SNAPSHOTS_KEPT = 2
# A degree of latitude is ~111.2 km everywhere: a cheap band around each cluster before the
# great-circle distance is computed (1 km of margin for rounding).
KM_PER_DEGREE_LATITUDE = 111.19
# Both engines take a lock for the refresh; on PostgreSQL an advisory one, so two beat ticks
# (or a tick and the "Refresh now" button) never compute the same snapshot twice at once.
ADVISORY_LOCK_KEY = 0x1_5167_4752  # "insights" in the lock space shared with other apps
# A refresh that finds nothing changed writes nothing, unless the snapshot is this old: edits
# made by queryset updates (which leave ``updated_at`` alone) are counted within the hour.
UNCHANGED_SNAPSHOT_MAX_AGE = datetime.timedelta(hours=1)

FULL_MATCH_SQL = "m.near_miss_rule = '' AND m.no_longer_meets_rules = ''"


def _near_miss_sql(code: str) -> str:
    return f"m.near_miss_rule = '{code}'"


def _table(model: type) -> str:
    return model._meta.db_table


# Per need: the need's match rows counted by rule and flag (a few thousand groups, no
# expression per row), then pivoted into one row per open need.
NEED_FIGURES_SQL = """
INSERT INTO {need_figure} (snapshot_id, need_id, facility_id, cluster_id, process_id, matches,
                           {near_fields})
SELECT %(snapshot)s, n.id, n.facility_id, f.cluster_id, n.process_id,
       COALESCE(SUM(CASE WHEN {full} THEN m.pairs ELSE 0 END), 0),
       {near_sums}
  FROM {need} n
  JOIN {facility} f ON f.id = n.facility_id
  LEFT JOIN (SELECT need_id, near_miss_rule, no_longer_meets_rules, COUNT(*) AS pairs
               FROM {match}
              WHERE need_id IN (SELECT n.id FROM {need} n WHERE {open_need})
              GROUP BY need_id, near_miss_rule, no_longer_meets_rules) AS m
    ON m.need_id = n.id
 WHERE {open_need}
 GROUP BY n.id, n.facility_id, f.cluster_id, n.process_id
""".format(
    need_figure=_table(NeedFigure),
    near_fields=", ".join(NEAR_MISS_FIELDS),
    full=FULL_MATCH_SQL,
    near_sums=",\n       ".join(
        f"COALESCE(SUM(CASE WHEN {_near_miss_sql(rule.code)} THEN m.pairs ELSE 0 END), 0)"
        for rule in rules.RULES
    ),
    need=_table(Need),
    facility=_table(Facility),
    match=_table(Match),
    open_need=rules.OPEN_NEED.sql,
)

# A match row's standing as one bit: 1 a match, 2, 4, 8… a near miss by each rule in order, the
# next a near miss by a rule no longer defined, 0 a row flagged as no longer meeting the rules.
MATCH_BIT = 1
RULE_BITS = {rule.code: 2 ** (index + 1) for index, rule in enumerate(rules.RULES)}
OTHER_NEAR_MISS_BIT = 2 ** (len(rules.RULES) + 1)
NEAR_MISS_BITS = sum(RULE_BITS.values()) + OTHER_NEAR_MISS_BIT
STATE_SQL = (
    f"CASE m.near_miss_rule WHEN '' THEN (CASE WHEN {FULL_MATCH_SQL} THEN {MATCH_BIT} ELSE 0 END) "
    + " ".join(f"WHEN '{code}' THEN {bit}" for code, bit in RULE_BITS.items())
    + f" ELSE {OTHER_NEAR_MISS_BIT} END"
)


def _bit_or(expression: str) -> str:
    """The bits set in any row: PostgreSQL's ``bit_or``; SQLite has none, so a MAX per bit."""
    if connection.vendor == "postgresql":
        return f"bit_or({expression})"
    bits = [MATCH_BIT, *RULE_BITS.values(), OTHER_NEAR_MISS_BIT]
    return "(" + " | ".join(f"MAX(({expression}) & {bit})" for bit in bits) + ")"


# Each supplier's standing with each facility's open needs of a process: the bits of every row
# it has with them (whether it matches one, nearly matches one by each rule). One pass over the
# matches, grouped by three keys into one aggregate (a third faster than a flag column each);
# every level's distinct-supplier counts are then sums over this much smaller table.
STANDING_TABLE = "insights_supplier_standing"


def _standing_sql() -> str:
    return f"""
CREATE TEMPORARY TABLE {STANDING_TABLE} AS
SELECT nf.facility_id, MAX(nf.cluster_id) AS cluster_id, nf.process_id, m.supplier_id,
       {_bit_or(STATE_SQL)} AS states
  FROM {_table(NeedFigure)} nf
  JOIN {_table(Match)} m ON m.need_id = nf.need_id
 WHERE nf.snapshot_id = %(snapshot)s
 GROUP BY nf.facility_id, nf.process_id, m.supplier_id
"""


# One level's rows: the needs' figures summed by group (demand and gaps), beside the distinct
# suppliers that match or nearly match the group's needs (a supplier matching needs of three
# facilities in a cluster counts once there). {keys} is the group's columns besides the process.
PROCESS_FIGURES_SQL = """
INSERT INTO {process_figure} (snapshot_id, level, cluster_id, facility_id, process_id,
       open_needs, needs_without_match, needs_with_few_matches, matches, matching_suppliers,
       near_miss_suppliers, {near_fields})
SELECT %(snapshot)s, %(level)s, {cluster}, {facility}, d.process_id,
       d.open_needs, d.without_match, d.few_matches, d.matches, COALESCE(s.matching, 0),
       COALESCE(s.near_any, 0), {near_columns}
  FROM (SELECT {keys} process_id, COUNT(*) AS open_needs,
               SUM(CASE WHEN matches = 0 THEN 1 ELSE 0 END) AS without_match,
               SUM(CASE WHEN matches > 0 AND matches < %(few)s THEN 1 ELSE 0 END) AS few_matches,
               SUM(matches) AS matches
          FROM {need_figure}
         WHERE snapshot_id = %(snapshot)s
         GROUP BY {keys} process_id) AS d
  LEFT JOIN (
        SELECT {keys} process_id,
               SUM(CASE WHEN (states & {match_bit}) <> 0 THEN 1 ELSE 0 END) AS matching,
               SUM(CASE WHEN (states & {near_miss_bits}) <> 0 THEN 1 ELSE 0 END) AS near_any,
               {near_sums}
          FROM {per_supplier} AS per_supplier
         GROUP BY {keys} process_id) AS s
    ON s.process_id = d.process_id {join_keys}
"""


def _process_figures_sql(level: str) -> str:
    keys = {
        ProcessFigure.Level.NATIONAL: [],
        ProcessFigure.Level.CLUSTER: ["cluster_id"],
        ProcessFigure.Level.FACILITY: ["cluster_id", "facility_id"],
    }[level]
    # NULL-safe equality (a cluster row without a cluster), spelt alike on both engines.
    join_keys = "".join(
        f" AND (s.{key} = d.{key} OR (s.{key} IS NULL AND d.{key} IS NULL))" for key in keys
    )
    # The standing table is per facility already; coarser levels first fold each supplier's
    # standing across the group's facilities, so a supplier counts once per group.
    per_supplier = (
        "(SELECT {keys} process_id, supplier_id, {states} AS states"
        " FROM {standing} GROUP BY {keys} process_id, supplier_id)"
    ).format(
        keys="".join(f"{key}, " for key in keys),
        states=_bit_or("states"),
        standing=STANDING_TABLE,
    )
    return PROCESS_FIGURES_SQL.format(
        process_figure=_table(ProcessFigure),
        near_fields=", ".join(NEAR_MISS_FIELDS),
        cluster="d.cluster_id" if "cluster_id" in keys else "NULL",
        facility="d.facility_id" if "facility_id" in keys else "NULL",
        near_columns=", ".join(f"COALESCE(s.{field}, 0)" for field in NEAR_MISS_FIELDS),
        keys="".join(f"{key}, " for key in keys),
        need_figure=_table(NeedFigure),
        match_bit=MATCH_BIT,
        near_miss_bits=NEAR_MISS_BITS,
        near_sums=", ".join(
            f"SUM(CASE WHEN (states & {RULE_BITS[rule.code]}) <> 0 THEN 1 ELSE 0 END) AS {field}"
            for rule, field in zip(rules.RULES, NEAR_MISS_FIELDS, strict=True)
        ),
        per_supplier=STANDING_TABLE if "facility_id" in keys else per_supplier,
        join_keys=join_keys,
    )


def _active_capabilities():
    # rules.ACTIVE_SUPPLIER as the ORM says it: only active suppliers are candidates.
    return SupplierCapability.objects.filter(supplier__is_active=True)


def _supply_rows(snapshot: Snapshot) -> list[SupplyFigure]:
    """Active suppliers offering each process, anywhere and within each radius of each cluster.

    One aggregate per cluster (clusters are a handful; suppliers are 100,000): the distance is
    computed for the suppliers in a band of latitude around the cluster, then counted within
    each radius at once.
    """
    rows = [
        SupplyFigure(snapshot=snapshot, cluster=None, process_id=process_id, suppliers=count)
        for process_id, count in _active_capabilities()
        .values("process_id")
        .annotate(count=Count("id"))
        .values_list("process_id", "count")
    ]
    # A supplier offers a process once (capability_unique_per_supplier): rows count suppliers.
    within = {f"within_{km}": Count("id", filter=Q(distance__lte=km)) for km in RADII_KM}
    widest = max(RADII_KM)
    band = widest / KM_PER_DEGREE_LATITUDE + 0.01
    for cluster_id, latitude, longitude in Cluster.objects.values_list(
        "id", "centre_latitude", "centre_longitude"
    ).order_by("id"):
        distance = great_circle_km_expression(
            "supplier__latitude",
            "supplier__longitude",
            Value(latitude, output_field=FloatField()),
            Value(longitude, output_field=FloatField()),
        )
        counts = (
            _active_capabilities()
            .filter(supplier__latitude__range=(latitude - band, latitude + band))
            .annotate(distance=distance)
            .filter(distance__lte=widest)
            .values("process_id")
            .annotate(**within)
        )
        for row in counts:
            rows.extend(
                SupplyFigure(
                    snapshot=snapshot,
                    cluster_id=cluster_id,
                    process_id=row["process_id"],
                    radius_km=km,
                    suppliers=row[f"within_{km}"],
                )
                for km in RADII_KM
                if row[f"within_{km}"]
            )
    return rows


def data_mark() -> str:
    """The inputs' latest change and row count, table by table (a handful of index reads).

    Matches are written with ``updated_at`` and deleted with a tombstone (by the database, on
    every path); the other inputs change through saves, and the counts catch deletions.
    """
    parts = [
        Match.objects.aggregate(latest=Max("updated_at"))["latest"],
        MatchTombstone.objects.aggregate(latest=Max("id"))["latest"],
    ]
    for model in (Need, Facility, Cluster, Supplier, SupplierCapability):
        figures = model.objects.aggregate(latest=Max("updated_at"), rows=Count("pk"))
        parts.extend([figures["latest"], figures["rows"]])
    return "|".join("" if part is None else str(part) for part in parts)


def _locked() -> bool:
    """Take the refresh's lock for this transaction; False if another refresh holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers itself
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def snapshot_refresh(*, force: bool = False, few_matches: int | None = None) -> Snapshot | None:
    """Compute a new snapshot in one transaction and drop all but the newest few.

    Returns None, writing nothing, while another refresh is running (its snapshot will be as
    fresh as this one would have been), or when nothing has changed since the newest snapshot
    and it is under an hour old (unless ``force``).
    """
    few_matches = settings.INSIGHTS_FEW_MATCHES if few_matches is None else few_matches
    started = time.monotonic()
    with transaction.atomic():
        if not _locked():
            logger.info("Insights refresh skipped: another one is running.")
            return None
        now = timezone.now()
        mark = data_mark()
        latest = Snapshot.objects.order_by("-computed_at", "-id").first()
        if (
            not force
            and latest is not None
            and (latest.data_mark, latest.few_matches) == (mark, few_matches)
            and now - latest.computed_at < UNCHANGED_SNAPSHOT_MAX_AGE
        ):
            logger.info("Insights refresh skipped: nothing changed since snapshot %s.", latest.pk)
            return None
        snapshot = Snapshot.objects.create(computed_at=now, few_matches=few_matches, data_mark=mark)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # JIT compiles for seconds and buys nothing for these hash aggregates; the
                # standing table's aggregate (a million groups, ~130 MB, at national scale)
                # spills to disk in 17 batches at the default 4 MB per operation.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(NEED_FIGURES_SQL, {"snapshot": snapshot.pk})
            if connection.vendor == "postgresql":
                # Statistics for the rows just written: without them the planner takes the
                # snapshot's needs for a few and probes the matches' index once per need
                # (three times slower than one hash join).
                cursor.execute(f"ANALYZE {_table(NeedFigure)}")
            cursor.execute(_standing_sql(), {"snapshot": snapshot.pk})
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {STANDING_TABLE}")
            for level in ProcessFigure.Level.values:
                cursor.execute(
                    _process_figures_sql(level),
                    {"snapshot": snapshot.pk, "level": level, "few": few_matches},
                )
            cursor.execute(f"DROP TABLE {STANDING_TABLE}")
        SupplyFigure.objects.bulk_create(_supply_rows(snapshot), batch_size=2000)
        snapshot.duration_ms = round(1000 * (time.monotonic() - started))
        snapshot.save(update_fields=["duration_ms"])
        snapshots_prune(keep=SNAPSHOTS_KEPT)
    logger.info("Insights snapshot %s computed in %s ms.", snapshot.pk, snapshot.duration_ms)
    return snapshot


def snapshots_prune(*, keep: int) -> int:
    """Delete all but the newest ``keep`` snapshots; returns how many went.

    Their figure rows go by the foreign keys' cascade, one DELETE per table (nothing refers to
    them, so Django deletes them in bulk rather than row by row).
    """
    old = list(Snapshot.objects.order_by("-computed_at", "-id").values_list("pk", flat=True)[keep:])
    if not old:
        return 0
    Snapshot.objects.filter(pk__in=old).delete()
    return len(old)
