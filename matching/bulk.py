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
from .capacity import COMMITTED_SQL
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
committed AS MATERIALIZED (
    -- Shortlists and engagements in the chunk's processes (capacity.py): a few rows, read
    -- through the partial index of committing matches.
    SELECT * FROM ({committed}) AS cm WHERE cm.process_id IN (SELECT process_id FROM need)
),
committed_total AS MATERIALIZED (
    SELECT supplier_id, process_id, unit, sum(quantity) AS quantity
      FROM committed GROUP BY supplier_id, process_id, unit
),
judged AS (
    SELECT p.*, {fails}
    FROM (
        SELECT n.*, c.supplier_id, c.monthly_capacity, c.capacity_unit, c.best_tolerance_um,
               c.max_temperature_c, c.years_experience, s.is_verified, s.category,
               s.year_established, l.type_ids AS latest_type_ids,
               l.valid_until AS latest_valid_until,
               -- What is promised to other needs, in the capability's unit.
               c.monthly_capacity - COALESCE(ct.quantity, 0) + COALESCE(own.quantity, 0)
                   AS free_capacity,
               CASE WHEN n.site_lat IS NOT NULL AND s.latitude IS NOT NULL
                    THEN {distance} END AS distance
        FROM need n
        JOIN vendors_suppliercapability c ON {offers_process} {{supplier_filter}}
        JOIN vendors_supplier s ON s.id = c.supplier_id AND {active_supplier}
        LEFT JOIN latest l ON l.supplier_id = c.supplier_id
        LEFT JOIN committed_total ct ON ct.supplier_id = c.supplier_id
             AND ct.process_id = n.process_id AND ct.unit = c.capacity_unit
        LEFT JOIN committed own ON own.supplier_id = c.supplier_id AND own.need_id = n.id
             AND own.unit = c.capacity_unit
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
    committed=COMMITTED_SQL,
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

# One pass over the chunk's stored matches, paired with what the chunk evaluated:
#   evaluated, not stored        insert (a concurrent rematch may just have: then update it,
#                                never duplicate it, never touch its status)
#   both, and they differ        update only those: INSERT … ON CONFLICT DO UPDATE would lock
#                                every stored row it meets, so a rematch that changed nothing
#                                wrote a lock into every match it kept
#   stored, no longer evaluated  delete if still a suggestion (its status is checked again on
#                                the row, so one a person just acted on stays); every other one
#                                is returned, to be flagged with why it no longer holds
# An acted-on match that is now a near miss is flagged with its rule; a suggestion never is.
# {scope} narrows to the given suppliers (a separate statement rather than "IS NULL OR", which
# would keep the planner off the index).
WRITE_SQL = """
WITH existing AS (  -- not materialized: the planner hashes it straight from the index scan
    SELECT m.id, m.supplier_id, m.need_id, m.status, m.score, {stored_components},
           m.near_miss_rule, m.no_longer_meets_rules, m.profile_version
      FROM matching_match m
     WHERE m.need_id = ANY(%(need_ids)s) {{scope}}
),
paired AS MATERIALIZED (
    SELECT e.id AS match_id, e.status, c.need_id IS NOT NULL AS kept,
           COALESCE(c.supplier_id, e.supplier_id) AS supplier_id,
           COALESCE(c.need_id, e.need_id) AS need_id,
           c.score, {chunk_components}, c.near_miss_rule,
           e.id IS NOT NULL AND c.need_id IS NOT NULL
           AND (e.score, {existing_components}, e.near_miss_rule, e.no_longer_meets_rules,
                e.profile_version)
               IS DISTINCT FROM (c.score, {evaluated_components}, c.near_miss_rule,
                CASE WHEN e.status = 'suggested' THEN '' ELSE c.near_miss_rule END,
                %(version)s) AS changed
      FROM match_chunk c
      FULL JOIN existing e ON e.need_id = c.need_id AND e.supplier_id = c.supplier_id
),
deleted AS (
    DELETE FROM matching_match d USING paired p
     WHERE NOT p.kept AND p.status = 'suggested' AND d.id = p.match_id
       AND d.status = 'suggested'
    RETURNING d.id
),
updated AS (
    UPDATE matching_match m
       SET score = p.score, {set_from_paired}, near_miss_rule = p.near_miss_rule,
           no_longer_meets_rules = CASE WHEN m.status = 'suggested' THEN ''
                                        ELSE p.near_miss_rule END,
           profile_version = %(version)s, updated_at = now()
      FROM paired p
     WHERE p.changed AND m.id = p.match_id
    RETURNING 1
),
inserted AS (
    INSERT INTO matching_match (supplier_id, need_id, score, {columns}, near_miss_rule,
        no_longer_meets_rules, profile_version, status, created_at, updated_at)
    SELECT p.supplier_id, p.need_id, p.score, {paired_components}, p.near_miss_rule, '',
           %(version)s, 'suggested', now(), now()
      FROM paired p
     WHERE p.match_id IS NULL
    ON CONFLICT (supplier_id, need_id) DO UPDATE SET
        score = EXCLUDED.score, {set_from_excluded}, near_miss_rule = EXCLUDED.near_miss_rule,
        no_longer_meets_rules = CASE WHEN matching_match.status = 'suggested' THEN ''
                                     ELSE EXCLUDED.near_miss_rule END,
        profile_version = EXCLUDED.profile_version, updated_at = now()
    RETURNING (xmax = 0) AS fresh
)
SELECT (SELECT count(*) FROM inserted WHERE fresh),
       (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted WHERE NOT fresh),
       (SELECT count(*) FROM deleted),
       ARRAY(SELECT ARRAY[supplier_id, need_id] FROM paired
              WHERE NOT kept AND match_id NOT IN (SELECT id FROM deleted))
""".format(
    stored_components=", ".join(f"m.{field}" for field in COMPONENT_FIELDS),
    chunk_components=", ".join(f"c.c_{name}" for name in SCORE_COMPONENTS),
    existing_components=", ".join(f"e.{field}" for field in COMPONENT_FIELDS),
    evaluated_components=", ".join(f"c.c_{name}" for name in SCORE_COMPONENTS),
    set_from_paired=", ".join(
        f"{field} = p.c_{name}"
        for field, name in zip(COMPONENT_FIELDS, SCORE_COMPONENTS, strict=True)
    ),
    columns=", ".join(COMPONENT_FIELDS),
    paired_components=", ".join(f"p.c_{name}" for name in SCORE_COMPONENTS),
    set_from_excluded=", ".join(f"{field} = EXCLUDED.{field}" for field in COMPONENT_FIELDS),
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

SUPPLIER_SCOPE = "AND m.supplier_id = ANY(%(supplier_ids)s)"

# A chunk's first run, with nothing stored for its needs yet: a plain INSERT, at the speed of a
# COPY (no pairing, no speculative insertion). Should a concurrent rematch insert one of these
# pairs meanwhile, the unique index refuses the statement and the chunk is retried, then finds
# the pair stored and takes WRITE_SQL.
NOTHING_STORED_SQL = (
    "SELECT NOT EXISTS (SELECT 1 FROM matching_match WHERE need_id = ANY(%(need_ids)s))"
)
FIRST_WRITE_SQL = """
INSERT INTO matching_match (supplier_id, need_id, score, {columns}, near_miss_rule,
    no_longer_meets_rules, profile_version, status, created_at, updated_at)
SELECT supplier_id, need_id, score, {chunk_components}, near_miss_rule, '', %(version)s,
       'suggested', now(), now()
  FROM match_chunk
""".format(
    columns=", ".join(COMPONENT_FIELDS),
    chunk_components=", ".join(f"c_{name}" for name in SCORE_COMPONENTS),
)


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
        # The writes touch few rows each, found by index: nested loops are right again.
        cursor.execute("SET LOCAL enable_nestloop = on")
        first_write = False
        if supplier_ids is None:
            cursor.execute(NOTHING_STORED_SQL, params)
            first_write = cursor.fetchone()[0]
        if first_write:
            cursor.execute(FIRST_WRITE_SQL, params)
            created, updated, deleted, gone_pairs = cursor.rowcount, 0, 0, []
        else:
            scope = SUPPLIER_SCOPE if supplier_ids is not None else ""
            cursor.execute(WRITE_SQL.format(scope=scope), params)
            created, updated, deleted, gone_pairs = cursor.fetchone()
        cursor.execute("DROP TABLE match_chunk")
    gone = [(supplier_id, need_id) for supplier_id, need_id in gone_pairs]
    return kept, created, updated, deleted, gone
