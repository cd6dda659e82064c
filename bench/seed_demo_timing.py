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

    from vendors.demo import demo_clear, demo_seed

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    report = demo_seed(
        suppliers=args.suppliers, needs=args.needs, seed=args.seed, clear=True, progress=print
    )
    for line in report.lines():
        print(line)
    if not args.keep:
        started = time.perf_counter()
        cleared = demo_clear()
        print(
            f"clear: {cleared.suppliers:,} suppliers, {cleared.needs:,} needs, "
            f"{sum(cleared.deleted.values()):,} rows in {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
