"""Drawing demo MSMEs: name, identifiers, size, place, capabilities, certificates, sectors.

One seeded ``random.Random`` drives every choice, reference rows come in a fixed order and dates
are fixed, so a seed gives the same suppliers on any day and any database. Each supplier is a
plain tuple in ``SUPPLIER_FIELDS`` order (with its children), ready for the COPY writer; the
derived fields ``save()`` would set are computed by the same functions it calls.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from faker import Faker

from clusters.geo import (
    INDIA_MAX_LATITUDE,
    INDIA_MAX_LONGITUDE,
    INDIA_MIN_LATITUDE,
    INDIA_MIN_LONGITUDE,
)
from taxonomy.choices import Material, MsmeCategory
from vendors.identifiers import make_gstin, make_pan, make_udyam_number
from vendors.models import district_coordinates
from vendors.validators import pan_from_gstin

from .catalogue import (
    ANCHOR_YEAR,
    ARCHETYPES,
    CAPACITY_SCALE,
    CERTIFICATION_BODIES,
    COORDINATE_JITTER,
    EMPLOYEES,
    EXPIRED_CERTIFICATE_SHARE,
    EXPIRED_FROM,
    EXPIRED_TO,
    FIXED_MATERIALS,
    LAKH,
    LEGAL_FORMS,
    MATERIAL_ODDS,
    PIN_PREFIXES,
    POLLUTION_CONTROL_BOARDS,
    SIZE_TIERS,
    SOUTH_STATES,
    VALID_FROM,
    VALID_TO,
    WEST_STATES,
    Archetype,
)
from .draws import day_between, log_uniform, round_figure
from .reference import DistrictRef, Reference


@dataclass(frozen=True)
class NamePools:
    """Name parts drawn from Faker once per run (Faker per row would dominate the run time)."""

    last_names: list[str]
    first_names: list[str]
    streets: list[str]

    @classmethod
    def from_faker(cls, seed: int) -> NamePools:
        fake = Faker("en_IN")
        fake.seed_instance(seed)
        # Sorted and de-duplicated so the pools do not depend on draw order quirks.
        last_names = sorted({fake.last_name() for _ in range(1_500)})
        first_names = sorted({fake.first_name() for _ in range(1_500)})
        streets = sorted({fake.street_name() for _ in range(800)})
        return cls(last_names=last_names, first_names=first_names, streets=streets)


SUPPLIER_FIELDS = [
    "name",
    "udyam_number",
    "gstin",
    "pan",
    "state_id",
    "district_id",
    "address",
    "pin_code",
    "latitude",
    "longitude",
    "investment_rupees",
    "turnover_rupees",
    "category",
    "employees",
    "year_established",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "is_verified",
    "is_active",
    "is_demo",
    "created_at",
    "updated_at",
]
CAPABILITY_FIELDS = [
    "supplier_id",
    "process_id",
    "monthly_capacity",
    "capacity_unit",
    "best_tolerance_um",
    "max_temperature_c",
    "materials",
    "years_experience",
    "updated_at",
]
CERTIFICATION_FIELDS = [
    "supplier_id",
    "certification_type_id",
    "number",
    "issuer",
    "valid_until",
    "is_verified",
    "updated_at",
]


@dataclass
class SupplierDraft:
    row: tuple
    capabilities: list[tuple]  # without supplier_id
    certifications: list[tuple]  # without supplier_id
    sector_ids: list[int]


class SupplierGenerator:
    """Draws suppliers from one seeded random stream; keeps Udyam numbers and GSTINs unique."""

    def __init__(
        self,
        *,
        reference: Reference,
        rng: random.Random,
        pools: NamePools,
        now: datetime.datetime,
        taken_udyam: set[str],
        taken_gstin: set[str],
    ) -> None:
        self.ref = reference
        self.rng = rng
        self.pools = pools
        self.now = now
        self.taken_udyam = taken_udyam
        self.taken_gstin = taken_gstin
        self.archetypes = [a for a in ARCHETYPES if any(s in reference.processes for s in a.core)]
        self.archetype_cum = list(accumulate([a.weight for a in self.archetypes]))
        self.tier_cum = list(accumulate([share for share, _ in SIZE_TIERS]))
        self.legal_cum = list(accumulate([share for *_, share in LEGAL_FORMS]))
        self.sector_slugs = list(reference.sectors)
        by_category = {limit.category: limit for limit in reference.classification.limits}
        # Tier bands (investment, turnover) from the limits in force: micro up to its limits,
        # small up to its, and so on; "above medium" runs to three times the medium limits.
        ceilings = [
            (by_category[c].max_investment_rupees, by_category[c].max_turnover_rupees)
            for c in (MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM)
            if c in by_category
        ]
        floors = [(10 * LAKH, 20 * LAKH), *ceilings]
        ceilings.append((ceilings[-1][0] * 3, ceilings[-1][1] * 3))
        self.bands = list(zip(floors, ceilings, strict=False))

    def _pick(self, cum_weights: list[float], items: Sequence[Any]) -> Any:
        return self.rng.choices(items, cum_weights=cum_weights)[0]

    def draft(self) -> SupplierDraft:
        rng = self.rng
        archetype: Archetype = self._pick(self.archetype_cum, self.archetypes)
        district: DistrictRef = self._pick(self.ref.district_cum_weights, self.ref.districts)
        trading_name, name, holder = self._name(archetype, district)
        udyam = self._udyam(district)
        gstin = self._gstin(district, name, holder)

        tier = self._pick(self.tier_cum, [tier for _, tier in SIZE_TIERS])
        tier = min(tier, len(self.bands) - 1)
        (inv_floor, turn_floor), (inv_ceiling, turn_ceiling) = self.bands[tier]
        investment = log_uniform(rng, inv_floor * 1.02, inv_ceiling)
        investment = min(round_figure(investment, 3), inv_ceiling)
        # Turnover follows investment (asset turns of 1.5–6×), mostly inside the tier's band,
        # so some firms cross into the next category on turnover alone.
        turnover = investment * log_uniform(rng, 1.5, 6.0)
        turnover = round_figure(min(max(turnover, turn_floor * 1.02), turn_ceiling * 1.15), 3)
        category = self.ref.classification.category_for(investment=investment, turnover=turnover)
        employees = rng.randint(*EMPLOYEES[min(tier, 3)])
        year_established = int(rng.triangular(1985, 2025, 2012))

        # Around the district's headquarters, where save() would place a supplier without
        # coordinates, jittered so a district's suppliers do not all sit on one point.
        home_latitude, home_longitude = district_coordinates(district)
        latitude = min(
            max(
                home_latitude + rng.uniform(-COORDINATE_JITTER, COORDINATE_JITTER),
                INDIA_MIN_LATITUDE,
            ),
            INDIA_MAX_LATITUDE,
        )
        longitude = min(
            max(
                home_longitude + rng.uniform(-COORDINATE_JITTER, COORDINATE_JITTER),
                INDIA_MIN_LONGITUDE,
            ),
            INDIA_MAX_LONGITUDE,
        )
        pin_code = self._pin_code(district.state_code)
        street = rng.choice(self.pools.streets)
        address = f"Plot No. {rng.randint(1, 480)}, {street}, {district.headquarters}"
        contact_first = rng.choice(self.pools.first_names)
        contact_last = rng.choice(self.pools.last_names)
        handle = "".join(ch for ch in trading_name.lower() if ch.isalnum())[:40]
        # The reserved .example top-level domain (RFC 2606): demo data never mails anyone real.
        domain = f"{handle}.example"
        contact_email = f"{contact_first.lower()}.{contact_last.lower()}@{domain}".replace(" ", "")
        contact_phone = f"+91 {rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
        website = f"https://www.{domain}/" if rng.random() < 0.6 else ""

        row = (
            name,
            udyam,
            gstin,
            pan_from_gstin(gstin),
            district.state_id,
            district.id,
            address,
            pin_code,
            round(latitude, 5),
            round(longitude, 5),
            investment,
            turnover,
            category,
            employees,
            year_established,
            f"{contact_first} {contact_last}",
            contact_email,
            contact_phone,
            website,
            rng.random() < 0.40,
            rng.random() < 0.95,
            True,
            self.now,
            self.now,
        )
        sector_slugs = self._sectors(archetype)
        return SupplierDraft(
            row=row,
            capabilities=self._capabilities(archetype, category, year_established),
            certifications=self._certifications(
                archetype, district, sector_slugs, year_established
            ),
            sector_ids=[self.ref.sectors[slug] for slug in sector_slugs],
        )

    def _name(self, archetype: Archetype, district: DistrictRef) -> tuple[str, str, str]:
        """(trading name, registered name with its legal form, PAN holder type)."""
        rng = self.rng
        trade = rng.choice(archetype.trades)
        roll = rng.random()
        if roll < 0.5:
            stem = rng.choice(self.pools.last_names)
        elif roll < 0.75:
            stem = district.headquarters
        elif roll < 0.87:
            honorific = (
                "Sri "
                if district.state_code in SOUTH_STATES
                else "Shree "
                if district.state_code in WEST_STATES
                else ""
            )
            stem = honorific + rng.choice(self.pools.last_names)
        else:
            stem = rng.choice(self.pools.first_names)
        suffix, holder = self._pick(self.legal_cum, [(s, h) for s, h, _ in LEGAL_FORMS])
        trading_name = f"{stem} {trade}"
        return trading_name, f"{trading_name} {suffix}".strip(), holder

    def _udyam(self, district: DistrictRef) -> str:
        while True:
            # Udyam serials run per district; the busiest have issued a few lakh.
            udyam = make_udyam_number(
                state_code=district.state_code,
                district_code=district.code,
                serial=self.rng.randint(1, 1_999_999),
            )
            if udyam not in self.taken_udyam:
                self.taken_udyam.add(udyam)
                return udyam

    def _gstin(self, district: DistrictRef, name: str, holder: str) -> str:
        while True:
            pan = make_pan(self.rng, initial=name[0])
            pan = pan[:3] + holder + pan[4:]  # 4th character: company, firm or person
            gstin = make_gstin(gst_state_code=district.gst_code, pan=pan)
            if gstin not in self.taken_gstin:
                self.taken_gstin.add(gstin)
                return gstin

    def _pin_code(self, state_code: str) -> str:
        prefix = self.rng.choice(
            PIN_PREFIXES.get(state_code, ("1", "2", "3", "4", "5", "6", "7", "8", "9"))
        )
        rest = 6 - len(prefix)
        return prefix + f"{self.rng.randint(0, 10**rest - 1):0{rest}d}"

    def _sectors(self, archetype: Archetype) -> list[str]:
        rng = self.rng
        count = rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
        weights = [4 if slug in archetype.sectors else 1 for slug in self.sector_slugs]
        chosen: list[str] = []
        slugs = list(self.sector_slugs)
        while slugs and len(chosen) < count:
            index = rng.choices(range(len(slugs)), weights=weights)[0]
            chosen.append(slugs.pop(index))
            weights.pop(index)
        return sorted(chosen)

    def _capabilities(self, archetype: Archetype, category: str, since: int) -> list[tuple]:
        rng = self.rng
        core = [slug for slug in archetype.core if slug in self.ref.processes]
        count = min(rng.randint(*archetype.core_count), len(set(core)))
        slugs: list[str] = []
        while len(slugs) < count:
            slug = rng.choice(core)  # duplicates in ``core`` weight the common processes
            if slug not in slugs:
                slugs.append(slug)
        for slug, odds in archetype.extras:
            if rng.random() < odds and slug in self.ref.processes and slug not in slugs:
                slugs.append(slug)
        rows = []
        max_years = max(ANCHOR_YEAR - since, 1)
        for slug in slugs[:5]:
            process = self.ref.processes[slug]
            spec = process.spec
            low, high = spec.capacity
            capacity = round_figure(log_uniform(rng, low, high) * CAPACITY_SCALE[category])
            tolerance = None
            if spec.tolerance_um:
                fine, coarse = spec.tolerance_um
                tolerance = Decimal(str(round(rng.uniform(fine, coarse) * 2) / 2)).quantize(
                    Decimal("0.01")
                )
            temperature = None
            if spec.temperature_c:
                temperature = int(round(rng.uniform(*spec.temperature_c), -1))
            rows.append(
                (
                    process.id,
                    Decimal(capacity),
                    process.unit,
                    tolerance,
                    temperature,
                    self._materials(slug),
                    rng.randint(1, max_years),
                    self.now,
                )
            )
        return rows

    def _materials(self, slug: str) -> list[str]:
        if slug in FIXED_MATERIALS:
            return [str(m) for m in FIXED_MATERIALS[slug]]
        chosen = [str(m) for m, odds in MATERIAL_ODDS if self.rng.random() < odds]
        return chosen or [str(Material.NDFEB_SINTERED)]

    def _certifications(
        self, archetype: Archetype, district: DistrictRef, sectors: list[str], since: int
    ) -> list[tuple]:
        rng = self.rng
        key = archetype.key
        codes: list[str] = []
        if key == "lab":
            if rng.random() < 0.85:
                codes.append("NABL")
            if rng.random() < 0.3:
                codes.append("ISO_9001")
        elif rng.random() < 0.6:
            codes.append("ISO_9001")
        # IATF 16949 is the automotive standard: shops serving e-mobility; AS9100 for aerospace.
        serves_evs = "electric-mobility" in sectors
        if key in {"machining", "coater", "motors"} and serves_evs and rng.random() < 0.5:
            codes.append("IATF_16949")
        serves_aerospace = bool({"defence", "aerospace"} & set(sectors))
        if key in {"machining", "lab"} and serves_aerospace and rng.random() < 0.35:
            codes.append("AS9100")
        if key == "instruments" and rng.random() < 0.2:
            codes.append("NABL")
        spcb_odds = {"coater": 0.85, "recycler": 0.9, "heat-treater": 0.3}.get(key, 0.0)
        if rng.random() < spcb_odds:
            codes.append("SPCB_CONSENT")
        if rng.random() < 0.3:
            codes.append(rng.choices(("ZED_BRONZE", "ZED_SILVER", "ZED_GOLD"), (6, 3, 1))[0])
        if rng.random() < 0.12:
            codes.append("ISO_14001")
        if rng.random() < 0.08:
            codes.append("ISO_45001")
        rows = []
        for code in codes[:4]:
            type_id = self.ref.certification_types.get(code)
            if type_id is None:
                continue
            number, issuer = self._certificate_number(code, district, since)
            if rng.random() < EXPIRED_CERTIFICATE_SHARE:
                valid_until = day_between(rng, EXPIRED_FROM, EXPIRED_TO)
            else:
                valid_until = day_between(rng, VALID_FROM, VALID_TO)
            rows.append((type_id, number, issuer, valid_until, rng.random() < 0.5, self.now))
        return rows

    def _certificate_number(self, code: str, district: DistrictRef, since: int) -> tuple[str, str]:
        rng = self.rng
        year = rng.randint(max(since, 2016), ANCHOR_YEAR - 1)
        if code == "NABL":
            return f"TC-{rng.randint(1000, 15999)}", "NABL"
        if code.startswith("ZED_"):
            return (
                f"ZED/{district.state_code}/{year}/{rng.randint(1, 99_999):05d}",
                "Quality Council of India (QCI)",
            )
        if code == "SPCB_CONSENT":
            board = POLLUTION_CONTROL_BOARDS.get(
                district.state_code, f"{district.state_name} State Pollution Control Board"
            )
            return f"CTO/{district.state_code}/{year}/{rng.randint(1, 999_999):06d}", board
        if code == "IATF_16949":
            return f"IATF-0{rng.randint(100_000, 599_999)}", rng.choice(CERTIFICATION_BODIES)
        prefix = {"ISO_9001": "QMS", "AS9100": "AQMS", "ISO_14001": "EMS", "ISO_45001": "OHS"}
        return (
            f"IN-{prefix.get(code, 'CERT')}-{year}-{rng.randint(1, 999_999):06d}",
            rng.choice(CERTIFICATION_BODIES),
        )
