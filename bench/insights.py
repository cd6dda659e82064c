"""Benchmark the insights pages and their snapshot's refresh at national scale on PostgreSQL.

    make bench-insights     # creates (or copies from repm_bench) and seeds repm_bench_insights

Prints, all measured in the same run:
  - the snapshot's refresh (every figure recomputed, forced): each run's time, and its ratio to
    the baseline of one aggregate pass over the match table (its rows counted by need, the
    simplest figure any recomputation must at least produce);
  - the equivalent live aggregate (the clusters' distinct matching suppliers by process, straight
    from the matches), which is what a page without a snapshot would wait for;
  - the change check a beat tick makes before deciding there is nothing to recompute;
  - each page, rendered by the whole stack in-process (middleware, view, template) for an
    administrator: median and 95th percentile over a sample, and the ratio of its median to the
    median of the baseline page: the public page of the same facility, which lists the same
    open needs from the live tables (``/healthz``, one database round trip, for scale).
A benchmark, not a test: it asserts nothing, it reports. Target: every page under a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Pages timed as served: no debug template engine, no query log.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-to-serve-0123456789")

BENCH_USER = "insights-bench"


def timed(action: object, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20, help="Requests per page.")
    parser.add_argument("--refreshes", type=int, default=3, help="Forced refreshes to time.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from insights import services
    from insights.models import ProcessFigure
    from matching.models import Match
    from schemes.models import Facility, Need
    from vendors.models import Supplier

    if connection.vendor != "postgresql":
        raise SystemExit("Run with DATABASE_URL=postgres://... (make bench-insights)")
    if not Match.objects.exists():
        print("no matches yet: computing them (a full rematch, in-process) ...", flush=True)
        call_command("rematch", all=True)
    # Seeding, copying and rematching leave dead rows and stale statistics: vacuum the inputs,
    # so every run reads the same live data however the database got there.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) matching_match, schemes_need, schemes_facility, vendors_supplier, "
            "vendors_suppliercapability"
        )
    print(
        f"data: {Supplier.objects.count():,} suppliers, {Need.objects.open().count():,} open "
        f"needs, {Match.objects.count():,} match rows (matches and near misses)",
        flush=True,
    )

    # --- The refresh ------------------------------------------------------------------------
    def one_pass() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT need_id, count(*) FROM matching_match GROUP BY need_id")
            cursor.fetchall()

    baseline_read = statistics.median(timed(one_pass, 3))
    refreshes = []
    for _ in range(args.refreshes):
        started = time.perf_counter()
        snapshot = services.snapshot_refresh(force=True)
        refreshes.append(time.perf_counter() - started)
    refresh = statistics.median(refreshes)
    print(
        "snapshot refresh (forced): "
        + ", ".join(f"{seconds:.1f} s" for seconds in refreshes)
        + f"; median {refresh:.1f} s"
    )
    print(
        f"baseline, one aggregate pass over the matches (counted by need): {baseline_read:.2f} s; "
        f"refresh / baseline: {refresh / baseline_read:.1f}x"
    )
    live_sql = (
        "SELECT f.cluster_id, n.process_id, count(DISTINCT m.supplier_id) "
        "FILTER (WHERE m.near_miss_rule = '' AND m.no_longer_meets_rules = '') "
        "FROM matching_match m JOIN schemes_need n ON n.id = m.need_id "
        "JOIN schemes_facility f ON f.id = n.facility_id WHERE n.status = 'open' GROUP BY 1, 2"
    )

    def live() -> None:
        with connection.cursor() as cursor:
            cursor.execute(live_sql)
            cursor.fetchall()

    print(
        "live aggregate instead (matching suppliers by cluster and process, from the matches): "
        f"{statistics.median(timed(live, 2)):.2f} s"
    )
    check = timed(lambda: services.snapshot_refresh(), 5)
    print(
        f"a beat tick with nothing changed (the change check, nothing written): median "
        f"{ms(statistics.median(check))}"
    )
    few = ProcessFigure.objects.filter(snapshot=snapshot, level="national")
    print(
        f"snapshot: {few.count()} processes asked for, "
        f"{sum(f.needs_without_match for f in few)} needs with no match, "
        f"{sum(f.needs_with_few_matches for f in few)} with fewer than "
        f"{snapshot.few_matches} matches",
        flush=True,
    )

    # --- The pages --------------------------------------------------------------------------
    # A superuser (the pages are for scheme administrators): permission checks cost the same.
    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(user)
    facility = Facility.objects.filter(needs__status="open").order_by("number").first()
    cluster = facility.cluster
    baseline_name = "baseline: the facility's public page"
    pages = [
        (baseline_name, f"/facilities/{facility.slug}/"),
        ("/healthz (for scale)", "/healthz"),
        ("India (overview)", "/insights/"),
        ("India, in Hindi", "/hi/insights/"),
        ("what each cluster lacks", "/insights/supply/"),
        ("a cluster", f"/insights/clusters/{cluster.slug}/"),
        ("a facility", f"/insights/facilities/{facility.slug}/"),
        ("CSV: every cluster × process", "/insights/cluster_processes.csv"),
        ("CSV: a facility's needs", f"/insights/facilities/{facility.slug}/needs.csv"),
        ("public cluster page", f"/clusters/{cluster.slug}/"),
    ]
    results = {}
    for name, url in pages:
        response = client.get(url)  # warm: templates compiled, catalogues loaded
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        results[name] = timed(lambda url=url: client.get(url), args.sample)
    baseline = statistics.median(results[baseline_name])
    print(f"\npages ({args.sample} requests each, after one to warm up):")
    print(f"{'page':38} {'median':>11} {'p95':>11} {'÷ baseline':>11}")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:38} {ms(median):>11} {ms(p95(samples)):>11} {median / baseline:>10.2f}x")
    slowest = max(p95(samples) for samples in results.values())
    print(f"\nslowest p95: {ms(slowest)} (target: every page under 1 s)")


if __name__ == "__main__":
    main()
