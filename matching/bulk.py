"""The matcher's rules as one set-based statement per chunk, for PostgreSQL at national scale.

``engine.py`` is the reference implementation (it runs everywhere and explains each rule); this
module computes the same verdicts, scores and reasons inside PostgreSQL, so a full rematch never
ships millions of supplier × need rows through Python. ``tests/matching/test_bulk.py`` holds the
two to the same table on randomised data: change a rule in one, the test fails until the other
follows.
"""

from __future__ import annotations

import datetime

from django.db import connection

from .engine import EXPERIENCE_FULL_YEARS, EXPIRY_WARNING_DAYS, EXTRA_CERTIFICATIONS_FULL, NEUTRAL
from .models import COMPONENT_FIELDS, SCORE_COMPONENTS, ScoringProfile

# Numbers as engine._number prints them: thousands separators, no trailing zeros.
NUM = "rtrim(to_char({}, 'FM999,999,999,990.99'), '.')"

EVALUATE_TEMPLATE = """
CREATE TEMP TABLE match_chunk ON COMMIT DROP AS
WITH need AS MATERIALIZED (
    SELECT n.id, n.process_id, n.unit, n.min_monthly_capacity, n.max_tolerance_um,
           n.min_process_temperature_c, n.radius_km, n.preferred_category,
           COALESCE(n.due_date, %(today)s::date) AS match_date,
           COALESCE(f.site_latitude, cl.centre_latitude) AS site_lat,
           COALESCE(f.site_longitude, cl.centre_longitude) AS site_lon,
           req.ids AS required_ids, req.labels AS required_labels,
           array_to_string(req.labels, ', ') AS required_label,
           -- The need's side of each reason, written once per need rather than once per row.
           ' km from ' || f.name AS distance_text,
           ' µm, within the ' || {need_max_tol} || ' µm required' AS tolerance_text,
           ' ' || n.unit || '/month for ' || {need_min_cap} || ' needed' AS capacity_text,
           'Preferred for ' || n.preferred_category || ' enterprises' AS preference_text
    FROM schemes_need n
    JOIN schemes_facility f ON f.id = n.facility_id
    LEFT JOIN clusters_cluster cl ON cl.id = f.cluster_id
    CROSS JOIN LATERAL (
        SELECT COALESCE(array_agg(ct.id ORDER BY ct.code COLLATE "C"), '{{}}') AS ids,
               COALESCE(array_agg(replace(ct.code, '_', ' ') ORDER BY ct.code COLLATE "C"), '{{}}')
                   AS labels
          FROM schemes_need_required_certifications r
          JOIN vendors_certificationtype ct ON ct.id = r.certificationtype_id
         WHERE r.need_id = n.id) AS req
    WHERE n.id = ANY(%(need_ids)s) AND n.status = 'open'
),
certificate AS MATERIALIZED (
    -- Certificates of the suppliers this chunk can match, read once for both aggregates below.
    SELECT v.supplier_id, v.certification_type_id AS type_id, v.valid_until, v.is_verified,
           ct.code, ct.name, COALESCE(ct.zed_level, 0) AS zed
      FROM vendors_certification v
      JOIN vendors_certificationtype ct ON ct.id = v.certification_type_id
     WHERE v.supplier_id IN ({chunk_suppliers})
       AND v.valid_until >= (SELECT least(min(match_date), %(today)s::date) FROM need)
),
latest AS MATERIALIZED (
    -- Rule 2 per supplier: each certificate type held, with the latest date it is valid until.
    SELECT supplier_id, array_agg(type_id) AS type_ids, array_agg(valid_until) AS valid_until
      FROM (SELECT supplier_id, type_id, max(valid_until) AS valid_until
              FROM certificate GROUP BY supplier_id, type_id) AS t
     GROUP BY supplier_id
),
held AS MATERIALIZED (
    -- Certificates valid today, per supplier: the quality component's facts and the reasons,
    -- as pieces in display order; a piece of kind 0 always shows, one of kind T only when the
    -- need requires certificate type T.
    SELECT p.supplier_id,
           count(*) FILTER (WHERE p.n = 1) AS valid_count,
           count(*) FILTER (WHERE p.n = 1 AND p.is_verified) AS verified_count,
           max(p.zed) AS zed,
           array_agg(DISTINCT p.type_id) AS type_ids,
           array_agg(p.kind ORDER BY p.code COLLATE "C", p.valid_until, p.n) AS piece_kinds,
           array_agg(p.text ORDER BY p.code COLLATE "C", p.valid_until, p.n) AS piece_texts,
           COALESCE(array_agg(p.text ORDER BY p.code COLLATE "C", p.valid_until, p.n)
                    FILTER (WHERE p.kind = 0), '{{}}') AS base_reasons
      FROM (SELECT c.*, part.n, part.kind, part.text
              FROM certificate c
             CROSS JOIN LATERAL (VALUES
                 (1, CASE WHEN c.zed > 0 THEN 0 ELSE c.type_id END,
                  c.name || ' valid until ' || to_char(c.valid_until, 'YYYY-MM')),
                 (2, 0, CASE WHEN c.valid_until <= %(today)s::date + {warning_days}
                             THEN c.name || ' expires on ' || to_char(c.valid_until, 'YYYY-MM-DD')
                                  || ': renew it' END)
             ) AS part(n, kind, text)
             WHERE c.valid_until >= %(today)s::date AND part.text IS NOT NULL
           ) AS p
     GROUP BY p.supplier_id
),
candidate AS (
    SELECT need.*, c.supplier_id, c.monthly_capacity, c.capacity_unit, c.best_tolerance_um,
           c.max_temperature_c, c.years_experience, s.is_verified, s.category,
           s.year_established,
           CASE WHEN need.site_lat IS NOT NULL AND s.latitude IS NOT NULL THEN
               2 * 6371.0088 * asin(least(1.0, sqrt(
                   power(sin(radians(need.site_lat - s.latitude) / 2), 2)
                   + cos(radians(s.latitude)) * cos(radians(need.site_lat))
                   * power(sin(radians(need.site_lon - s.longitude) / 2), 2))))
           END AS distance,
           CASE cardinality(need.required_ids)
               WHEN 0 THEN false
               WHEN 1 THEN NOT COALESCE(l.valid_until[array_position(l.type_ids,
                   need.required_ids[1])] >= need.match_date, false)
               ELSE EXISTS (SELECT FROM unnest(need.required_ids) AS q(id)
                             WHERE NOT COALESCE(l.valid_until[array_position(l.type_ids, q.id)]
                                                >= need.match_date, false))
           END AS fails_certificates,
           need.max_tolerance_um IS NOT NULL AND (c.best_tolerance_um IS NULL
               OR c.best_tolerance_um > need.max_tolerance_um) AS fails_tolerance,
           need.min_monthly_capacity IS NOT NULL AND (c.monthly_capacity IS NULL
               OR c.capacity_unit <> need.unit OR c.monthly_capacity < need.min_monthly_capacity)
               AS fails_capacity,
           need.min_process_temperature_c IS NOT NULL AND (c.max_temperature_c IS NULL
               OR c.max_temperature_c < need.min_process_temperature_c) AS fails_temperature,
           l.type_ids AS latest_type_ids, l.valid_until AS latest_valid_until
    FROM need
    JOIN vendors_suppliercapability c ON c.process_id = need.process_id {supplier_filter}
    JOIN vendors_supplier s ON s.id = c.supplier_id AND s.is_active
    LEFT JOIN latest l ON l.supplier_id = c.supplier_id
    OFFSET 0  -- compute each row's expressions once, not once per reference below
),
kept AS (
    SELECT candidate.*, COALESCE(radius_km IS NOT NULL AND distance > radius_km, false)
           AS fails_radius
      FROM candidate
     WHERE fails_certificates::int + fails_tolerance::int + fails_capacity::int
           + fails_temperature::int
           + COALESCE(radius_km IS NOT NULL AND distance > radius_km, false)::int <= 1
),
scored AS (
    SELECT k.*, h.type_ids AS held_type_ids, h.piece_kinds, h.piece_texts, h.base_reasons,
        CASE WHEN k.fails_certificates THEN 'needs ' || CASE cardinality(k.required_ids)
                 WHEN 1 THEN k.required_label
                 ELSE (SELECT string_agg(q.label, ', ' ORDER BY q.o)
                         FROM unnest(k.required_ids, k.required_labels) WITH ORDINALITY
                              AS q(id, label, o)
                        WHERE NOT COALESCE(k.latest_valid_until[array_position(
                                  k.latest_type_ids, q.id)] >= k.match_date, false)) END
             WHEN k.fails_tolerance THEN
                 CASE WHEN k.best_tolerance_um IS NULL
                      THEN 'tolerance not stated, need ≤ ' || {max_tol} || ' µm'
                      ELSE 'tolerance ' || {tol} || ' µm, need ≤ ' || {max_tol} || ' µm' END
             WHEN k.fails_capacity THEN
                 CASE WHEN k.monthly_capacity IS NULL THEN
                          'capacity not stated, need ≥ ' || {min_cap} || ' ' || k.unit || '/month'
                      WHEN k.capacity_unit <> k.unit THEN
                          'capacity stated in ' || k.capacity_unit || ', need counts ' || k.unit
                      ELSE 'capacity ' || {cap} || ' ' || k.unit || '/month, need ≥ ' || {min_cap}
                 END
             WHEN k.fails_temperature THEN
                 'max temperature ' || COALESCE(k.max_temperature_c || ' °C', 'not stated')
                 || ', need ≥ ' || k.min_process_temperature_c || ' °C'
             WHEN k.fails_radius THEN
                 round(k.distance)::bigint || ' km away, radius ' || k.radius_km || ' km'
             ELSE '' END AS near_miss_reason,
        CASE WHEN k.site_lat IS NULL OR k.distance IS NULL THEN {neutral}
             ELSE round(greatest(0, 1 - k.distance / COALESCE(NULLIF(k.radius_km, 0),
                  %(distance_scale)s))::numeric, 4) END AS c_distance,
        CASE WHEN k.min_monthly_capacity IS NULL OR k.fails_capacity THEN {neutral}
             WHEN k.min_monthly_capacity = 0 THEN 1.0
             ELSE round(least(1, (k.monthly_capacity - k.min_monthly_capacity)
                  / k.min_monthly_capacity), 4) END AS c_capacity,
        CASE WHEN k.max_tolerance_um IS NULL OR k.fails_tolerance THEN {neutral}
             WHEN k.max_tolerance_um = 0 THEN 0.0
             ELSE round((k.max_tolerance_um - k.best_tolerance_um) / k.max_tolerance_um, 4)
        END AS c_tolerance,
        round(0.25 * k.is_verified::int
            + 0.25 * COALESCE(h.verified_count::numeric / h.valid_count, 0)
            + 0.25 * least(1, (CASE
                  WHEN h.type_ids IS NULL THEN 0
                  WHEN cardinality(k.required_ids) = 0 THEN cardinality(h.type_ids)
                  WHEN cardinality(k.required_ids) = 1 THEN cardinality(h.type_ids)
                       - (k.required_ids[1] = ANY(h.type_ids))::int
                  ELSE (SELECT count(*) FROM unnest(h.type_ids) AS t(id)
                         WHERE t.id <> ALL(k.required_ids)) END)::numeric / {extra_full})
            + 0.25 * COALESCE(h.zed, 0)::numeric / 3, 4) AS c_quality,
        CASE WHEN k.preferred_category = '' THEN {neutral}
             WHEN k.category = k.preferred_category THEN 1.0 ELSE 0.0 END AS c_preference,
        round(least(1, COALESCE(k.years_experience,
              greatest(0, %(year)s - nullif(k.year_established, 0)), 0)::numeric
              / {experience_full}), 4) AS c_experience
    FROM kept k
    LEFT JOIN held h ON h.supplier_id = k.supplier_id
    OFFSET 0
)
SELECT s.supplier_id, s.id AS need_id, s.near_miss_reason,
    round(100 * (%(w_distance)s * s.c_distance + %(w_capacity)s * s.c_capacity
        + %(w_tolerance)s * s.c_tolerance + %(w_quality)s * s.c_quality
        + %(w_preference)s * s.c_preference + %(w_experience)s * s.c_experience)
        / %(w_total)s, 2) AS score,
    s.c_distance, s.c_capacity, s.c_tolerance, s.c_quality, s.c_preference, s.c_experience,
    to_jsonb(array_remove(ARRAY[
        CASE WHEN s.distance IS NOT NULL AND NOT s.fails_radius
             THEN round(s.distance)::bigint || s.distance_text END,
        CASE WHEN s.max_tolerance_um IS NOT NULL AND NOT s.fails_tolerance
             THEN 'Tolerance ' || {s_tol} || s.tolerance_text END,
        CASE WHEN s.min_monthly_capacity IS NOT NULL AND NOT s.fails_capacity
             THEN 'Capacity ' || {s_cap} || s.capacity_text END,
        CASE WHEN s.min_process_temperature_c IS NOT NULL AND NOT s.fails_temperature
             THEN 'Processes up to ' || s.max_temperature_c || ' °C' END,
        CASE WHEN s.is_verified THEN 'Verified profile' END
    ], NULL)
    || CASE WHEN s.piece_kinds IS NULL THEN '{{}}'
            WHEN NOT s.piece_kinds && s.required_ids THEN s.base_reasons
            ELSE ARRAY(SELECT p.text FROM unnest(s.piece_kinds, s.piece_texts) WITH ORDINALITY
                              AS p(kind, text, o)
                        WHERE p.kind = 0 OR p.kind = ANY(s.required_ids) ORDER BY p.o) END
    || array_remove(ARRAY[
        CASE WHEN s.preferred_category <> '' AND s.category = s.preferred_category
             THEN s.preference_text END], NULL)
    ) AS reasons
FROM scored s
""".format(
    max_tol=NUM.format("k.max_tolerance_um"),
    need_max_tol=NUM.format("n.max_tolerance_um"),
    need_min_cap=NUM.format("n.min_monthly_capacity"),
    tol=NUM.format("k.best_tolerance_um"),
    min_cap=NUM.format("k.min_monthly_capacity"),
    cap=NUM.format("k.monthly_capacity"),
    s_tol=NUM.format("s.best_tolerance_um"),
    s_cap=NUM.format("s.monthly_capacity"),
    neutral=NEUTRAL,
    extra_full=EXTRA_CERTIFICATIONS_FULL,
    experience_full=EXPERIENCE_FULL_YEARS,
    warning_days=EXPIRY_WARNING_DAYS,
    supplier_filter="{supplier_filter}",
    chunk_suppliers="{chunk_suppliers}",
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

UPSERT_SQL = """
WITH written AS (
INSERT INTO matching_match (supplier_id, need_id, score, {components}, reasons,
    near_miss_reason, no_longer_meets_reason, profile_version, status, created_at, updated_at)
SELECT supplier_id, need_id, score, {chunk_components}, reasons, near_miss_reason, '',
       %(version)s, 'suggested', now(), now()
FROM match_chunk
ON CONFLICT (supplier_id, need_id) DO UPDATE SET
    score = EXCLUDED.score, {set_components}, reasons = EXCLUDED.reasons,
    near_miss_reason = EXCLUDED.near_miss_reason, no_longer_meets_reason = '',
    profile_version = EXCLUDED.profile_version, updated_at = now()
WHERE (matching_match.score, {old_components}, matching_match.reasons,
       matching_match.near_miss_reason, matching_match.no_longer_meets_reason,
       matching_match.profile_version)
   IS DISTINCT FROM (EXCLUDED.score, {new_components}, EXCLUDED.reasons,
       EXCLUDED.near_miss_reason, '', EXCLUDED.profile_version)
RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FROM written
""".format(
    components=", ".join(COMPONENT_FIELDS),
    chunk_components=", ".join(f"c_{name}" for name in SCORE_COMPONENTS),
    set_components=", ".join(f"{field} = EXCLUDED.{field}" for field in COMPONENT_FIELDS),
    old_components=", ".join(f"matching_match.{field}" for field in COMPONENT_FIELDS),
    new_components=", ".join(f"EXCLUDED.{field}" for field in COMPONENT_FIELDS),
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

    Returns (kept, created, updated, deleted, acted-on pairs that no longer hold). The caller flags
    those pairs with the reference engine's reasons: they are few, and the wording stays in
    one place.
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
