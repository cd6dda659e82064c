"""The matcher's rules as one set-based statement per chunk, for PostgreSQL at national scale.

The statement is assembled from ``rules.py``: each rule's SQL becomes a ``fails_<rule>`` column,
each component's SQL a ``c_<component>`` column, and the score the same weighted sum the
reference engine computes. So a rule is changed in one place and both engines follow;
``tests/matching/test_bulk.py`` holds them to the same table on randomised data. No sentence is
built here: a match stores the code of the rule it misses, and reasons are derived on read.
"""

from __future__ import annotations

import datetime

from django.db import connection

from clusters.geo import great_circle_km_sql

from . import rules
from .models import COMPONENT_FIELDS, SCORE_COMPONENTS, ScoringProfile

EVALUATE_TEMPLATE = """
CREATE TEMP TABLE match_chunk ON COMMIT DROP AS
WITH need AS MATERIALIZED (
    SELECT n.id, n.process_id, n.unit, n.min_monthly_capacity, n.max_tolerance_um,
           n.min_process_temperature_c, n.radius_km, n.preferred_category,
           COALESCE(n.due_date, %(today)s::date) AS match_date,
           COALESCE(f.site_latitude, cl.centre_latitude) AS site_lat,
           COALESCE(f.site_longitude, cl.centre_longitude) AS site_lon,
           req.ids AS required_ids
    FROM schemes_need n
    JOIN schemes_facility f ON f.id = n.facility_id
    LEFT JOIN clusters_cluster cl ON cl.id = f.cluster_id
    CROSS JOIN LATERAL (
        SELECT COALESCE(array_agg(r.certificationtype_id), '{{}}') AS ids
          FROM schemes_need_required_certifications r
         WHERE r.need_id = n.id) AS req
    WHERE n.id = ANY(%(need_ids)s) AND {open_need}
),
certificate AS MATERIALIZED (
    -- Certificates of the suppliers this chunk can match, read once for both aggregates below.
    SELECT v.supplier_id, v.certification_type_id AS type_id, v.valid_until, v.is_verified,
           COALESCE(ct.zed_level, 0) AS zed
      FROM vendors_certification v
      JOIN vendors_certificationtype ct ON ct.id = v.certification_type_id
     WHERE v.supplier_id IN ({{chunk_suppliers}})
       AND v.valid_until >= (SELECT least(min(match_date), %(today)s::date) FROM need)
),
latest AS MATERIALIZED (
    -- Each certificate type a supplier holds, with the latest date one is valid until.
    SELECT supplier_id, array_agg(type_id) AS type_ids, array_agg(valid_until) AS valid_until
      FROM (SELECT supplier_id, type_id, max(valid_until) AS valid_until
              FROM certificate GROUP BY supplier_id, type_id) AS t
     GROUP BY supplier_id
),
held AS MATERIALIZED (
    -- Certificates valid today, per supplier: what the quality component reads.
    SELECT supplier_id, count(*) AS valid_count,
           count(*) FILTER (WHERE is_verified) AS verified_count, max(zed) AS zed,
           array_agg(DISTINCT type_id) AS type_ids
      FROM certificate
     WHERE valid_until >= %(today)s::date
     GROUP BY supplier_id
),
judged AS (
    SELECT p.*, {fails}
    FROM (
        SELECT n.*, c.supplier_id, c.monthly_capacity, c.capacity_unit, c.best_tolerance_um,
               c.max_temperature_c, c.years_experience, s.is_verified, s.category,
               s.year_established, l.type_ids AS latest_type_ids,
               l.valid_until AS latest_valid_until,
               CASE WHEN n.site_lat IS NOT NULL AND s.latitude IS NOT NULL
                    THEN {distance} END AS distance
        FROM need n
        JOIN vendors_suppliercapability c ON {offers_process} {{supplier_filter}}
        JOIN vendors_supplier s ON s.id = c.supplier_id AND {active_supplier}
        LEFT JOIN latest l ON l.supplier_id = c.supplier_id
        OFFSET 0  -- compute each pair's columns once, not once per rule that reads them
    ) AS p
    OFFSET 0
),
scored AS (
    SELECT k.supplier_id, k.id AS need_id,
           CASE {near_miss} ELSE '' END AS near_miss_rule,
           {components}
    FROM judged k
    LEFT JOIN held h ON h.supplier_id = k.supplier_id
    WHERE {failed_count} <= 1
    OFFSET 0
)
SELECT s.supplier_id, s.need_id, s.near_miss_rule, {score} AS score, {component_columns}
FROM scored s
""".format(
    open_need=rules.OPEN_NEED.sql,
    offers_process=rules.OFFERS_PROCESS.sql,
    active_supplier=rules.ACTIVE_SUPPLIER.sql,
    distance=great_circle_km_sql("s.latitude", "s.longitude", "n.site_lat", "n.site_lon"),
    fails=",\n           ".join(f"({rule.sql}) AS fails_{rule.code}" for rule in rules.RULES),
    near_miss=" ".join(f"WHEN k.fails_{r.code} THEN '{r.code}'" for r in rules.RULES),
    failed_count=" + ".join(f"k.fails_{rule.code}::int" for rule in rules.RULES),
    components=",\n           ".join(f"{c.sql} AS c_{c.name}" for c in rules.COMPONENTS),
    score=rules.SCORE_SQL,
    component_columns=", ".join(f"s.c_{name}" for name in SCORE_COMPONENTS),
)
# A full chunk joins every capability of each need's process; an incremental rematch joins only
# the given suppliers' capabilities (the (supplier, process) unique index), a different plan.
EVALUATE_SQL = EVALUATE_TEMPLATE.replace("{supplier_filter}", "").replace(
    # Chunks group needs by process, so these are a fraction of all suppliers.
    "{chunk_suppliers}",
    "SELECT c.supplier_id FROM vendors_suppliercapability c"
    " WHERE c.process_id IN (SELECT process_id FROM need)",
)
EVALUATE_FOR_SUPPLIERS_SQL = EVALUATE_TEMPLATE.replace(
    "{supplier_filter}", "AND c.supplier_id = ANY(%(supplier_ids)s)"
).replace("{chunk_suppliers}", "SELECT unnest(%(supplier_ids)s::bigint[])")

# An acted-on match that is now a near miss is flagged with its rule; a suggestion never is.
UPSERT_SQL = """
WITH written AS (
INSERT INTO matching_match (supplier_id, need_id, score, {components}, near_miss_rule,
    no_longer_meets_rules, profile_version, status, created_at, updated_at)
SELECT supplier_id, need_id, score, {chunk_components}, near_miss_rule, '', %(version)s,
       'suggested', now(), now()
FROM match_chunk
ON CONFLICT (supplier_id, need_id) DO UPDATE SET
    score = EXCLUDED.score, {set_components}, near_miss_rule = EXCLUDED.near_miss_rule,
    no_longer_meets_rules = {flag}, profile_version = EXCLUDED.profile_version,
    updated_at = now()
WHERE (matching_match.score, {old_components}, matching_match.near_miss_rule,
       matching_match.no_longer_meets_rules, matching_match.profile_version)
   IS DISTINCT FROM (EXCLUDED.score, {new_components}, EXCLUDED.near_miss_rule, {flag},
       EXCLUDED.profile_version)
RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FROM written
""".format(
    components=", ".join(COMPONENT_FIELDS),
    chunk_components=", ".join(f"c_{name}" for name in SCORE_COMPONENTS),
    set_components=", ".join(f"{field} = EXCLUDED.{field}" for field in COMPONENT_FIELDS),
    old_components=", ".join(f"matching_match.{field}" for field in COMPONENT_FIELDS),
    new_components=", ".join(f"EXCLUDED.{field}" for field in COMPONENT_FIELDS),
    flag="CASE WHEN matching_match.status = 'suggested' THEN '' ELSE EXCLUDED.near_miss_rule END",
)

# The matches table has no foreign-key constraints (see Match): instead, lock the suppliers and
# needs this chunk writes matches for until it commits, so a delete waits for the chunk and its
# cascade then sees the new rows; pairs whose supplier or need was deleted since the evaluation
# read them (the lock skips a deleted row) are dropped. One lock per supplier, not per row, in id
# order (no deadlock with a multi-row delete); held to the chunk's commit, a few seconds. Every
# row left in match_chunk evaluated both NOT IN lists, so both CTEs were read in full. This
# relies on deleters running at READ COMMITTED (Django's default), whose cascade trigger then
# sees the rows this chunk committed.
LOCK_REFERENCED_SQL = """
WITH supplier AS MATERIALIZED (
    SELECT id FROM vendors_supplier
     WHERE id IN (SELECT supplier_id FROM match_chunk) ORDER BY id FOR KEY SHARE
),
need AS MATERIALIZED (
    SELECT id FROM schemes_need
     WHERE id IN (SELECT need_id FROM match_chunk) ORDER BY id FOR KEY SHARE
)
DELETE FROM match_chunk
 WHERE supplier_id NOT IN (SELECT id FROM supplier) OR need_id NOT IN (SELECT id FROM need)
"""

# Matches in scope that the chunk no longer produced, read once: suggested ones are deleted (the
# status is checked again on the row itself, so one a person just acted on is kept) and every
# one not deleted is returned to be flagged. {scope} narrows to the given suppliers (a separate
# statement rather than "IS NULL OR", which would keep the planner off the index).
STALE_SQL = """
WITH stale AS MATERIALIZED (
    SELECT m.id, m.supplier_id, m.need_id, m.status
      FROM matching_match m
     WHERE m.need_id = ANY(%(need_ids)s) {scope}
       AND NOT EXISTS (SELECT 1 FROM match_chunk c
                        WHERE c.supplier_id = m.supplier_id AND c.need_id = m.need_id)
),
deleted AS (
    DELETE FROM matching_match d USING stale
     WHERE d.id = stale.id AND stale.status = 'suggested' AND d.status = 'suggested'
    RETURNING d.id
)
SELECT (SELECT count(*) FROM deleted),
       ARRAY(SELECT ARRAY[supplier_id, need_id] FROM stale
              WHERE id NOT IN (SELECT id FROM deleted))
"""
SUPPLIER_SCOPE = "AND m.supplier_id = ANY(%(supplier_ids)s)"


def sync_chunk(
    *,
    need_ids: list[int],
    supplier_ids: list[int] | None,
    profile: ScoringProfile,
    today: datetime.date,
) -> tuple[int, int, int, int, list[tuple[int, int]]]:
    """Write this chunk's matches in the database; run inside a transaction.

    Returns (kept, created, updated, deleted, acted-on pairs that are no candidates or fail more
    than one rule). The caller flags those with the reference engine: they are few.
    """
    weights = profile.weights()
    params = {
        "need_ids": need_ids,
        "supplier_ids": supplier_ids,
        "today": today,
        "year": today.year,
        "distance_scale": profile.distance_scale_km,
        "w_total": sum(weights.values()) or 1,
        "version": profile.version,
        **{f"w_{name}": weight for name, weight in weights.items()},
    }
    with connection.cursor() as cursor:
        # JIT compilation costs seconds per statement here and buys nothing for index lookups.
        cursor.execute("SET LOCAL jit = off")
        if supplier_ids is None:
            # A full chunk joins ~10,000 capabilities per need: hash joins beat the per-row
            # index probes the planner picks from its (tiny) estimate of the chunk's needs.
            # Incremental rematches keep nested loops: there the probes are the fast path.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(EVALUATE_SQL if supplier_ids is None else EVALUATE_FOR_SUPPLIERS_SQL, params)
        kept = cursor.rowcount
        cursor.execute(LOCK_REFERENCED_SQL)
        kept -= cursor.rowcount
        # Stale rows first: before the upsert the scope holds only the previous matches, which
        # on a first run is nothing to read.
        scope = SUPPLIER_SCOPE if supplier_ids is not None else ""
        cursor.execute(STALE_SQL.format(scope=scope), params)
        deleted, gone_pairs = cursor.fetchone()
        cursor.execute(UPSERT_SQL, params)
        created, written = cursor.fetchone()
        cursor.execute("DROP TABLE match_chunk")
    gone = [(supplier_id, need_id) for supplier_id, need_id in gone_pairs]
    return kept, created, written - created, deleted, gone
