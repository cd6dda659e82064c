"""Time a 50,000-row supplier import against a COPY of the same rows into the same tables.

    make bench-import          # creates repm_bench_import, runs this, drops it

or by hand, on a scratch database that has reference data (`manage.py seed_reference`) and no
suppliers:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/repm_bench_import \\
        .venv/bin/python bench/imports.py --rows 50000 --seed 1

It generates a supplier file (Faker en_IN and one seeded random.Random: the same file for a
seed), then times, in one run on one database:

- a dry run of the file (read, parse, check every row; nothing written);
- the import (the same, then every row written, with history) — the target is <= 120 s;
- a second import of the same file (every supplier unchanged: read, check, write nothing);
- the baseline: the rows the import wrote (suppliers, capabilities, certificates and their
  history rows), copied out, the tables emptied, and COPY'd back in.

The matcher's rematch, which the import queues once committed, is not part of the import's time
(bench/matcher.py times the matcher); the one signal the import sends is counted. A benchmark,
not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Processes a supplier offers: most offer one to three.
PROCESS_COUNTS = (1, 2, 2, 3, 3, 3, 4)
LEGAL_SUFFIXES = ("Engineering", "Industries", "Precision Works", "Magnetics", "Components")


def generate(rows: int, seed: int) -> bytes:
    """A supplier file of ``rows`` rows (one per supplier × process), deterministic for a seed."""
    from faker import Faker

    from clusters.models import District
    from taxonomy.models import CertificationType, Process
    from vendors.identifiers import make_gstin, make_pan, make_udyam_number
    from vendors.imports import COLUMNS

    rng = random.Random(seed)
    fake = Faker("en_IN")
    fake.seed_instance(seed)
    districts = list(District.objects.select_related("state").order_by("state__code", "code"))
    processes = list(Process.objects.order_by("slug").values_list("slug", flat=True))
    codes = list(CertificationType.objects.order_by("code").values_list("code", flat=True))
    # Name parts drawn from Faker once: Faker per row would dominate generation.
    surnames = sorted({fake.last_name() for _ in range(800)})
    towns = sorted({fake.city() for _ in range(300)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    written, serial = 0, 0
    while written < rows:
        serial += 1
        district = rng.choice(districts)
        state = district.state
        pan = make_pan(rng)
        investment = int(math.exp(rng.uniform(math.log(5e5), math.log(4e8))))
        turnover = int(investment * rng.uniform(1.5, 6))
        certificates = ";".join(
            f"{code}:{datetime.date(2027, 1, 1) + datetime.timedelta(days=rng.randrange(900))}"
            for code in rng.sample(codes, rng.choice((0, 1, 1, 2)))
        )
        own = [
            make_udyam_number(state_code=state.code, district_code=district.code, serial=serial),
            f"{rng.choice(surnames)} {rng.choice(towns)} {rng.choice(LEGAL_SUFFIXES)}",
            make_gstin(gst_state_code=state.gst_code, pan=pan) if rng.random() < 0.9 else "",
            state.code,
            district.name,
            f"{rng.randint(1, 9)}{rng.randint(0, 99999):05d}",
            investment,
            turnover,
            rng.randint(3, 400),
            rng.randint(1975, 2024),
            f"contact{serial}@example.in",
            f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}",
        ]
        offered = rng.sample(processes, min(rng.choice(PROCESS_COUNTS), rows - written))
        for index, process in enumerate(offered):
            cells = own if index == 0 else [own[0], *[""] * (len(own) - 1)]
            writer.writerow(
                [
                    *cells,
                    process,
                    rng.randrange(100, 200_000, 100),
                    rng.choice(("pieces", "pieces", "kg", "sets")),
                    rng.choice(("", "2", "5", "10", "25.5")),
                    rng.choice(("", "", "600", "1100")),
                    certificates if index == 0 else "",
                ]
            )
        written += len(offered)
    return out.getvalue().encode()


WRITTEN_TABLES = (
    "vendors_supplier",
    "vendors_suppliercapability",
    "vendors_certification",
)
HISTORY_TABLES = (
    "vendors_historicalsupplier",
    "vendors_historicalsuppliercapability",
    "vendors_historicalcertification",
)


def copy_baseline(connection: object) -> tuple[float, float, dict[str, int]]:
    """COPY the rows the import wrote back into the same (emptied) tables.

    Returns the seconds for the data tables, for their history tables, and the rows per table.
    """
    from django.db import transaction

    dumps: dict[str, io.StringIO] = {}
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in (*WRITTEN_TABLES, *HISTORY_TABLES):
            dumps[table] = io.StringIO()
            cursor.copy_expert(f"COPY {table} TO STDOUT", dumps[table])
            counts[table] = dumps[table].getvalue().count("\n")
    seconds = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join((*WRITTEN_TABLES, *HISTORY_TABLES)) + " CASCADE")
        for tables in (WRITTEN_TABLES, HISTORY_TABLES):
            started = time.perf_counter()
            for table in tables:
                dumps[table].seek(0)
                cursor.copy_expert(f"COPY {table} FROM STDIN", dumps[table])
            seconds.append(time.perf_counter() - started)
    return seconds[0], seconds[1], counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from matching import signals as matching_signals
    from vendors.imports import SUPPLIER_TABLE
    from vendors.models import Supplier
    from vendors.signals import suppliers_imported

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if connection.vendor != "postgresql":
        sys.exit("bench/imports.py compares with COPY: run it on PostgreSQL (DATABASE_URL).")
    if Supplier.objects.exists():
        sys.exit("The database already has suppliers: run this on a scratch database.")

    started = time.perf_counter()
    data = generate(args.rows, args.seed)
    print(
        f"generated {args.rows:,} rows ({len(data) / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    # The matcher's rematch is timed by bench/matcher.py: count the import's signal instead.
    suppliers_imported.disconnect(matching_signals.suppliers_imported_rematch)
    signals: list[int] = []
    suppliers_imported.connect(
        lambda sender, supplier_ids, **kwargs: signals.append(len(supplier_ids)), weak=False
    )

    def timed(label: str, *, dry_run: bool) -> float:
        started = time.perf_counter()
        report = SUPPLIER_TABLE.import_file(data, name="bench.csv", dry_run=dry_run)
        seconds = time.perf_counter() - started
        if report.rejected:
            sys.exit(f"{label}: rejected: {report.issues[:5]}")
        print(f"{label}: {seconds:.1f} s; " + "; ".join(report.entity_lines()))
        return seconds

    dry = timed("dry run", dry_run=True)
    imported = timed("import", dry_run=False)
    print(f"rematch signals sent by the import: {len(signals)} (for {sum(signals):,} suppliers)")
    again = timed("second import, nothing changed", dry_run=False)
    data_copy, history_copy, counts = copy_baseline(connection)
    copy = data_copy + history_copy
    print("rows written: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    print(
        f"COPY of the same rows into the same tables: {copy:.1f} s "
        f"({data_copy:.1f} s data tables, {history_copy:.1f} s history tables)"
    )
    print(f"import {imported:.1f} s for {args.rows:,} rows (target <= 120 s)")
    print(f"ratio import / COPY: {imported / copy:.1f}x")
    print(f"(dry run {dry:.1f} s, second import {again:.1f} s)")


if __name__ == "__main__":
    main()
