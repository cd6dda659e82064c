"""Time `seed_demo` on the configured database: generation, each table's write, commit, clear.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/repm_demo \\
        .venv/bin/python bench/seed_demo_timing.py --suppliers 100000 --needs 1000

Needs reference data (`manage.py seed_reference`). It clears all demo rows before and after, so
run it against a scratch database. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Leave the demo rows in place.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from seeding.services import demo_clear, demo_seed

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    report = demo_seed(
        suppliers=args.suppliers,
        needs=args.needs,
        seed=args.seed,
        clear=True,
        progress=print,
        rematch=False,  # this times seeding; bench/matcher.py times the matcher
    )
    seeded = time.perf_counter() - started
    for line in report.lines():
        print(line)
    baseline = copy_baseline_seconds(connection)
    print(f"seed_demo: {seeded:.1f} s for {args.suppliers:,} suppliers (target <= 120 s)")
    print(f"baseline: {baseline:.1f} s to copy the same rows into tables of the same shape")
    print(f"ratio seed_demo / baseline: {seeded / baseline:.1f}x")
    if not args.keep:
        started = time.perf_counter()
        cleared = demo_clear(rematch=False)
        print(
            f"clear: {cleared.suppliers:,} suppliers, {cleared.needs:,} needs, "
            f"{sum(cleared.deleted.values()):,} rows in {time.perf_counter() - started:.1f} s"
        )


OF_DEMO_SUPPLIERS = "supplier_id IN (SELECT id FROM vendors_supplier WHERE is_demo)"
DEMO_TABLES = [
    ("vendors_supplier", "is_demo"),
    ("vendors_suppliercapability", OF_DEMO_SUPPLIERS),
    ("vendors_certification", OF_DEMO_SUPPLIERS),
    ("vendors_supplier_sectors", OF_DEMO_SUPPLIERS),
]


def copy_baseline_seconds(connection: object) -> float:
    """The floor for the same output: copy the generated rows into empty same-shaped tables.

    Measured in the same run on the same database, so the ratio is comparable across machines.
    """
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, condition in DEMO_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TEMP TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            else:
                cursor.execute(f"CREATE TEMP TABLE bench_{table} AS SELECT * FROM {table} WHERE 0")
            cursor.execute(f"INSERT INTO bench_{table} SELECT * FROM {table} WHERE {condition}")
        for table, _ in DEMO_TABLES:
            cursor.execute(f"DROP TABLE bench_{table}")
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
