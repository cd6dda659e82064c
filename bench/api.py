"""Benchmark the partner API's match list against a bare Django view, under gunicorn.

    make bench-api      # creates and seeds the scratch database repm_bench_api if needed

One gunicorn (production settings plus one bench-only URL, ``bench.api_settings``; 2 sync
workers by default) serves both, side by side in one run:
  - the API: ``GET /api/v1/matches/?need=…&min_score=…&status=…`` (50 per page), with the key
    of a partner scoped to one facility: authentication, scope, strict filters, the throttle's
    cache round trip, the page's certificates, ETag, orjson;
  - the baseline: ``GET /bench/bare-matches/?…``, a plain Django view returning the same 50
    rows via ``values()`` as JSON.
A pure-Python load generator (threads, http.client, keep-alive where the server allows it;
gunicorn's sync workers close each connection) drives 4 connections at each in turn, for
several alternating rounds, over the needs of the facility. Prints requests per second, the
ratio (target: the API at least 60 % of the bare view) and p50/p99 latency.
A benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The server's settings; production settings want a secret key, any one will do on localhost.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_settings"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# The throttle stays on (its cache round trip is part of what is measured), above the load.
os.environ.setdefault("PARTNER_API_RATE", "1000000/minute")
os.environ.setdefault("LOG_LEVEL", "WARNING")

(ROOT / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)  # whitenoise looks there

PARTNER = "Bench anchor"
FILTERS = {"min_score": "40", "status": "suggested"}


def prepare() -> tuple[str, int, list[int]]:
    """A key of a partner scoped to the facility with the most matches, and that facility's
    needs (each request asks for another one)."""
    import django

    django.setup()
    from django.db.models import Count

    from matching.models import Match
    from partners.models import Partner
    from partners.services import api_key_create, partner_ensure
    from schemes.models import Facility, Need

    if not Match.objects.exists():
        print("No matches yet: a full rematch first (in-process, a few minutes).", flush=True)
        env = os.environ | {"REDIS_URL": "", "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
        subprocess.run(
            [sys.executable, "manage.py", "rematch", "--all"], cwd=ROOT, env=env, check=True
        )
    facility = (
        Facility.objects.annotate(needs_count=Count("needs")).order_by("-needs_count", "pk").first()
    )
    Partner.objects.filter(name=PARTNER).delete()  # its keys with it: one key per bench run
    partner = partner_ensure(name=PARTNER, facilities=[facility])
    _api_key, key = api_key_create(partner=partner, name="make bench-api")
    needs = list(
        Need.objects.filter(facility=facility, matches__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    print(
        f"{Match.objects.count():,} matches; facility {facility.slug} "
        f"({Match.objects.filter(need__facility=facility).count():,} matches, "
        f"{len(needs)} needs asked for in turn)",
        flush=True,
    )
    return key, facility.pk, needs


def start_server(port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )


def wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def load(
    port: int, paths: list[str], headers: dict[str, str], seconds: float, connections: int
) -> Result:
    """``connections`` threads, each with its own connection, asking for ``paths`` in turn
    until ``seconds`` have passed."""
    result = Result()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        connection: http.client.HTTPConnection | None = None
        latencies, errors, index = [], 0, offset
        while time.monotonic() < stop:
            path = paths[index % len(paths)]
            index += connections
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = None
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def same_rows(port: int, api: str, bare: str, headers: dict[str, str]) -> None:
    """The two endpoints answer with the same matches, in the same order (or the comparison
    means nothing)."""

    def get(path: str, send: dict[str, str]) -> object:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers=send)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
        return json.loads(body)

    api_ids = [item["id"] for item in get(api, headers)["results"]]
    bare_ids = [row["id"] for row in get(bare, {})]
    if api_ids != bare_ids or not api_ids:
        raise SystemExit(f"the two endpoints differ: {api_ids[:5]}… vs {bare_ids[:5]}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="Per round and endpoint.")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    key, facility_id, needs = prepare()
    query = urllib.parse.urlencode(FILTERS)
    api_paths = [f"/api/v1/matches/?need={n}&{query}&page_size=50" for n in needs]
    bare_paths = [f"/bench/bare-matches/?facility={facility_id}&need={n}&{query}" for n in needs]
    headers = {"Authorization": f"Api-Key {key}", "Accept": "application/json"}

    server = start_server(args.port, args.workers)
    try:
        wait_ready(args.port, server)
        for api_path, bare_path in zip(api_paths[:3], bare_paths[:3], strict=True):
            same_rows(args.port, api_path, bare_path, headers)
        print(
            f"gunicorn: {args.workers} sync workers; {args.connections} connections; "
            f"{args.rounds} rounds of {args.seconds:g} s per endpoint, alternating",
            flush=True,
        )
        load(args.port, bare_paths, {}, 2, args.connections)  # warm both
        load(args.port, api_paths, headers, 2, args.connections)
        results = {"bare": Result(), "api": Result()}
        per_round: dict[str, list[float]] = {"bare": [], "api": []}
        for round_number in range(args.rounds):
            order = ["bare", "api"] if round_number % 2 == 0 else ["api", "bare"]
            for name in order:
                paths, send = (bare_paths, {}) if name == "bare" else (api_paths, headers)
                one = load(args.port, paths, send, args.seconds, args.connections)
                print(
                    f"  round {round_number + 1} {name:4}: {one.rps:7.1f} req/s "
                    f"(p50 {one.percentile(50):.1f} ms, p99 {one.percentile(99):.1f} ms, "
                    f"{one.errors} errors)",
                    flush=True,
                )
                per_round[name].append(one.rps)
                total = results[name]
                total.latencies += one.latencies
                total.seconds += one.seconds
                total.errors += one.errors
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare, api = results["bare"], results["api"]
    print()
    print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, result in (
        ("bare Django view, values() JSON", bare),
        ("partner API /api/v1/matches/", api),
    ):
        print(
            f"{label:34} {result.rps:8.1f} {result.percentile(50):8.1f} "
            f"{result.percentile(99):8.1f} {result.errors:7d}"
        )
    ratio = api.rps / bare.rps if bare.rps else 0.0
    rounds = [a / b for a, b in zip(per_round["api"], per_round["bare"], strict=True) if b]
    print(
        f"API ÷ bare view: {ratio:.0%} (target ≥ 60 %); per round "
        + ", ".join(f"{r:.0%}" for r in rounds)
        + f", median {statistics.median(rounds):.0%}"
    )


if __name__ == "__main__":
    main()
