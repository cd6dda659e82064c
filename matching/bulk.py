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
from .models import ScoringProfile

# Numbers as engine._number prints them: thousands separators, no trailing zeros.
NUM = "rtrim(to_char({}, 'FM999,999,999,990.99'), '.')"

EVALUATE_TEMPLATE = """
CREATE TEMP TABLE match_chunk ON COMMIT DROP AS
WITH need AS MATERIALIZED (
    SELECT n.id, n.process_id, n.unit, n.min_monthly_capacity, n.max_tolerance_um,
           n.min_process_temperature_c, n.radius_km, n.preferred_category,
           COALESCE(n.due_date, %(today)s::date) AS match_date, f.name AS facility_name,
           COALESCE(f.site_latitude, cl.centre_latitude) AS site_lat,
           COALESCE(f.site_longitude, cl.centre_longitude) AS site_lon,
           ARRAY(SELECT r.certificationtype_id FROM schemes_need_required_certifications r
                  WHERE r.need_id = n.id) AS required_ids
    FROM schemes_need n
    JOIN schemes_facility f ON f.id = n.facility_id
    LEFT JOIN clusters_cluster cl ON cl.id = f.cluster_id
    WHERE n.id = ANY(%(need_ids)s) AND n.status = 'open'
),
candidate AS MATERIALIZED (
    SELECT need.*, c.supplier_id, c.monthly_capacity, c.capacity_unit, c.best_tolerance_um,
           c.max_temperature_c, c.years_experience, s.is_verified, s.category,
           s.year_established,
           CASE WHEN need.site_lat IS NOT NULL AND s.latitude IS NOT NULL THEN
               2 * 6371.0088 * asin(least(1.0, sqrt(
                   power(sin(radians(need.site_lat - s.latitude) / 2), 2)
                   + cos(radians(s.latitude)) * cos(radians(need.site_lat))
                   * power(sin(radians(need.site_lon - s.longitude) / 2), 2))))
           END AS distance,
           CASE WHEN cardinality(need.required_ids) > 0 THEN
               (SELECT string_agg(replace(ct.code, '_', ' '), ', ' ORDER BY ct.code COLLATE "C")
                  FROM vendors_certificationtype ct
                 WHERE ct.id = ANY(need.required_ids)
                   AND NOT EXISTS (
                       SELECT 1 FROM vendors_certification v
                        WHERE v.supplier_id = c.supplier_id
                          AND v.certification_type_id = ct.id
                          AND v.valid_until >= need.match_date))
           END AS missing_certificates
    FROM need
    JOIN vendors_suppliercapability c ON c.process_id = need.process_id {supplier_filter}
    JOIN vendors_supplier s ON s.id = c.supplier_id AND s.is_active
),
judged AS (
    SELECT candidate.*,
        array_remove(ARRAY[
            'needs ' || missing_certificates,
            CASE WHEN max_tolerance_um IS NULL THEN NULL
                 WHEN best_tolerance_um IS NULL THEN
                     'tolerance not stated, need ≤ ' || {max_tol} || ' µm'
                 WHEN best_tolerance_um > max_tolerance_um THEN
                     'tolerance ' || {tol} || ' µm, need ≤ ' || {max_tol} || ' µm' END,
            CASE WHEN min_monthly_capacity IS NULL THEN NULL
                 WHEN monthly_capacity IS NULL THEN
                     'capacity not stated, need ≥ ' || {min_cap} || ' ' || unit || '/month'
                 WHEN capacity_unit <> unit THEN
                     'capacity stated in ' || capacity_unit || ', need counts ' || unit
                 WHEN monthly_capacity < min_monthly_capacity THEN
                     'capacity ' || {cap} || ' ' || unit || '/month, need ≥ ' || {min_cap} END,
            CASE WHEN min_process_temperature_c IS NOT NULL AND (
                     max_temperature_c IS NULL OR max_temperature_c < min_process_temperature_c)
                 THEN 'max temperature ' || COALESCE(max_temperature_c || ' °C', 'not stated')
                      || ', need ≥ ' || min_process_temperature_c || ' °C' END,
            CASE WHEN radius_km IS NOT NULL AND distance > radius_km THEN
                 round(distance)::bigint || ' km away, radius ' || radius_km || ' km' END
        ], NULL) AS failures
    FROM candidate
),
held AS (
    -- Certificates valid today, per supplier: what the quality component and reasons use.
    SELECT v.supplier_id, count(*) AS valid_count, count(*) FILTER (WHERE v.is_verified)
           AS verified_count, max(COALESCE(ct.zed_level, 0)) AS zed,
           array_agg(DISTINCT v.certification_type_id) AS type_ids
    FROM vendors_certification v
    JOIN vendors_certificationtype ct ON ct.id = v.certification_type_id
    WHERE v.valid_until >= %(today)s::date
      AND v.supplier_id IN (SELECT supplier_id FROM judged WHERE cardinality(failures) <= 1)
    GROUP BY v.supplier_id
),
scored AS (
    SELECT j.*,
        CASE WHEN j.site_lat IS NULL OR j.distance IS NULL THEN {neutral}
             ELSE round(greatest(0, 1 - j.distance / COALESCE(j.radius_km,
                  %(distance_scale)s))::numeric, 4) END AS c_distance,
        CASE WHEN j.min_monthly_capacity IS NULL OR cardinality(j.failures) > 0
                  AND (j.monthly_capacity IS NULL OR j.capacity_unit <> j.unit
                       OR j.monthly_capacity < j.min_monthly_capacity) THEN {neutral}
             WHEN j.min_monthly_capacity = 0 THEN 1.0
             ELSE round(least(1, (j.monthly_capacity - j.min_monthly_capacity)
                  / j.min_monthly_capacity), 4) END AS c_capacity,
        CASE WHEN j.max_tolerance_um IS NULL OR j.best_tolerance_um IS NULL
                  OR j.best_tolerance_um > j.max_tolerance_um THEN {neutral}
             WHEN j.max_tolerance_um = 0 THEN 0.0
             ELSE round((j.max_tolerance_um - j.best_tolerance_um) / j.max_tolerance_um, 4)
        END AS c_tolerance,
        round(0.25 * j.is_verified::int
            + 0.25 * COALESCE(h.verified_count::numeric / nullif(h.valid_count, 0), 0)
            + 0.25 * least(1, COALESCE((SELECT count(*) FROM unnest(h.type_ids) t
                  WHERE NOT t = ANY(j.required_ids)), 0)::numeric / {extra_full})
            + 0.25 * COALESCE(h.zed, 0)::numeric / 3, 4) AS c_quality,
        CASE WHEN j.preferred_category = '' THEN {neutral}
             WHEN j.category = j.preferred_category THEN 1.0 ELSE 0.0 END AS c_preference,
        round(least(1, COALESCE(j.years_experience,
              greatest(0, %(year)s - nullif(j.year_established, 0)), 0)::numeric
              / {experience_full}), 4) AS c_experience
    FROM judged j
    LEFT JOIN held h ON h.supplier_id = j.supplier_id
    WHERE cardinality(j.failures) <= 1
)
SELECT s.supplier_id, s.id AS need_id, s.failures,
    round(100 * (%(w_distance)s * s.c_distance + %(w_capacity)s * s.c_capacity
        + %(w_tolerance)s * s.c_tolerance + %(w_quality)s * s.c_quality
        + %(w_preference)s * s.c_preference + %(w_experience)s * s.c_experience)
        / %(w_total)s, 2) AS score,
    jsonb_build_object('distance', s.c_distance, 'capacity', s.c_capacity,
        'tolerance', s.c_tolerance, 'quality', s.c_quality, 'preference', s.c_preference,
        'experience', s.c_experience) AS components,
    to_jsonb(array_remove(ARRAY[
        CASE WHEN s.distance IS NOT NULL AND (s.radius_km IS NULL OR s.distance <= s.radius_km)
             THEN round(s.distance)::bigint || ' km from ' || s.facility_name END,
        CASE WHEN s.max_tolerance_um IS NOT NULL AND s.best_tolerance_um <= s.max_tolerance_um
             THEN 'Tolerance ' || {s_tol} || ' µm, within the ' || {s_max_tol} || ' µm required'
        END,
        CASE WHEN s.min_monthly_capacity IS NOT NULL AND s.capacity_unit = s.unit
                  AND s.monthly_capacity >= s.min_monthly_capacity
             THEN 'Capacity ' || {s_cap} || ' ' || s.unit || '/month for ' || {s_min_cap}
                  || ' needed' END,
        CASE WHEN s.min_process_temperature_c IS NOT NULL
                  AND s.max_temperature_c >= s.min_process_temperature_c
             THEN 'Processes up to ' || s.max_temperature_c || ' °C' END,
        CASE WHEN s.is_verified THEN 'Verified profile' END
    ], NULL)
    || COALESCE((
        -- One pass over the supplier's valid certificates: "valid until" for required and
        -- ZED ones, then a renewal warning for those expiring within the warning window.
        SELECT array_agg(part.reason ORDER BY ct.code COLLATE "C", v.valid_until, part.n)
          FROM vendors_certification v
          JOIN vendors_certificationtype ct ON ct.id = v.certification_type_id
          CROSS JOIN LATERAL (VALUES
              (1, CASE WHEN ct.zed_level > 0 OR ct.id = ANY(s.required_ids)
                       THEN ct.name || ' valid until ' || to_char(v.valid_until, 'YYYY-MM') END),
              (2, CASE WHEN v.valid_until <= %(today)s::date + {warning_days}
                       THEN ct.name || ' expires on ' || to_char(v.valid_until, 'YYYY-MM-DD')
                            || ': renew it' END)
          ) AS part(n, reason)
         WHERE v.supplier_id = s.supplier_id AND v.valid_until >= %(today)s::date
           AND part.reason IS NOT NULL), '{{}}')
    || array_remove(ARRAY[
        CASE WHEN s.preferred_category <> '' AND s.category = s.preferred_category
             THEN 'Preferred for ' || s.category || ' enterprises' END], NULL)
    ) AS reasons
FROM scored s
""".format(
    max_tol=NUM.format("max_tolerance_um"),
    tol=NUM.format("best_tolerance_um"),
    min_cap=NUM.format("min_monthly_capacity"),
    cap=NUM.format("monthly_capacity"),
    s_tol=NUM.format("s.best_tolerance_um"),
    s_max_tol=NUM.format("s.max_tolerance_um"),
    s_cap=NUM.format("s.monthly_capacity"),
    s_min_cap=NUM.format("s.min_monthly_capacity"),
    neutral=NEUTRAL,
    extra_full=EXTRA_CERTIFICATIONS_FULL,
    experience_full=EXPERIENCE_FULL_YEARS,
    warning_days=EXPIRY_WARNING_DAYS,
    supplier_filter="{supplier_filter}",
)
# A full chunk joins every capability of each need's process; an incremental rematch joins only
# the given suppliers' capabilities (the (supplier, process) unique index), a different plan.
EVALUATE_SQL = EVALUATE_TEMPLATE.replace("{supplier_filter}", "")
EVALUATE_FOR_SUPPLIERS_SQL = EVALUATE_TEMPLATE.replace(
    "{supplier_filter}", "AND c.supplier_id = ANY(%(supplier_ids)s)"
)

UPSERT_SQL = """
INSERT INTO matching_match (supplier_id, need_id, score, components, reasons, near_miss_reason,
    no_longer_meets_reason, profile_version, status, created_at, updated_at)
SELECT supplier_id, need_id, score, components, reasons, COALESCE(failures[1], ''), '',
       %(version)s, 'suggested', now(), now()
FROM match_chunk
ON CONFLICT (supplier_id, need_id) DO UPDATE SET
    score = EXCLUDED.score, components = EXCLUDED.components, reasons = EXCLUDED.reasons,
    near_miss_reason = EXCLUDED.near_miss_reason, no_longer_meets_reason = '',
    profile_version = EXCLUDED.profile_version, updated_at = now()
WHERE (matching_match.score, matching_match.components, matching_match.reasons,
       matching_match.near_miss_reason, matching_match.no_longer_meets_reason,
       matching_match.profile_version)
   IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.components, EXCLUDED.reasons,
       EXCLUDED.near_miss_reason, '', EXCLUDED.profile_version)
RETURNING (xmax = 0) AS inserted
"""

# Matches in scope that the chunk no longer produced; {scope} narrows to the given suppliers
# (a separate statement rather than "IS NULL OR", which would keep the planner off the index).
STALE_SQL = """
FROM matching_match m
WHERE m.need_id = ANY(%(need_ids)s) {scope}
  AND NOT EXISTS (SELECT 1 FROM match_chunk c
                   WHERE c.supplier_id = m.supplier_id AND c.need_id = m.need_id)
"""
SUPPLIER_SCOPE = "AND m.supplier_id = ANY(%(supplier_ids)s)"


def _stale(scoped: bool) -> str:
    return STALE_SQL.format(scope=SUPPLIER_SCOPE if scoped else "")


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
        cursor.execute(UPSERT_SQL, params)
        written = [row[0] for row in cursor.fetchall()]
        stale = _stale(scoped=supplier_ids is not None)
        cursor.execute(f"DELETE {stale} AND m.status = 'suggested'", params)
        deleted = cursor.rowcount
        cursor.execute(
            f"SELECT m.supplier_id, m.need_id {stale} AND m.status <> 'suggested'", params
        )
        gone = cursor.fetchall()
        cursor.execute("DROP TABLE match_chunk")
    created = sum(written)
    return kept, created, len(written) - created, deleted, gone
