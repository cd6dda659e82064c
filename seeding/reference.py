"""Load every app's reference data idempotently: a second run changes nothing.

The facts live with the room they describe (``schemes/reference_data.py``, ``clusters/data/``,
``taxonomy/reference_data.py``); loading them into every room is seeding's job.

Every row is matched on its natural key and written only if a field differs, so the command
is safe to run on every deploy and reports exactly what it changed.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from clusters import reference_data as cluster_data
from clusters.models import Cluster, District, State
from eligibility import reference_data as eligibility_data
from eligibility.models import Criterion, RuleExample, RuleSet
from eligibility.services import rule_set_publish
from schemes import reference_data as scheme_data
from schemes.models import (
    Facility,
    Milestone,
    NetWorthSlab,
    Scheme,
    SchemeFigureSource,
    Source,
    ValueChainStage,
)
from taxonomy import reference_data as taxonomy_data
from taxonomy.models import (
    CapabilityCategory,
    CertificationType,
    MsmeLimit,
    Process,
    StrategicSector,
)


@dataclass
class ReferenceLoadReport:
    """How many rows of each model were created, updated or left unchanged."""

    counts: Counter = field(default_factory=Counter)

    def record(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def lines(self) -> list[str]:
        names = sorted({name for name, _ in self.counts})
        return [
            f"{name}: {self.counts[(name, 'created')]} created, "
            f"{self.counts[(name, 'updated')]} updated, "
            f"{self.counts[(name, 'unchanged')]} unchanged"
            for name in names
        ]


def _upsert(
    report: ReferenceLoadReport,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
) -> models.Model:
    """Create the row, or update only the fields that differ (no write when nothing does)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.record(model, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.record(model, "updated")
    else:
        report.record(model, "unchanged")
    return obj


def _set_m2m(manager: Any, objects: list[models.Model]) -> None:
    """Replace an M2M set only when it differs, so an unchanged run writes nothing."""
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


def _read_csv(path: Any) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_geography(report: ReferenceLoadReport) -> dict[str, State]:
    states: dict[str, State] = {}
    for row in _read_csv(cluster_data.STATES_CSV):
        states[row["code"]] = _upsert(
            report,
            State,
            {"code": row["code"]},
            {
                "name": row["name"],
                "name_hi": cluster_data.STATE_NAMES_HI.get(row["code"], ""),
                "slug": row["name"].lower().replace(" & ", "-").replace(" ", "-"),
                "gst_code": row["gst_code"],
                "geonames_admin1": row["geonames_admin1"],
                "capital": row["capital"],
            },
        )
    for row in _read_csv(cluster_data.DISTRICTS_CSV):
        _upsert(
            report,
            District,
            {"slug": row["slug"]},
            {
                "state": states[row["state_code"]],
                "code": row["district_code"],
                "name": row["name"],
                "headquarters": row["headquarters"],
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "geonameid": int(row["geonameid"]) if row["geonameid"] else None,
                "location_basis": row["location_basis"],
                "industrial_note": row.get("industrial_note", ""),
            },
        )
    return states


def load_sources(report: ReferenceLoadReport) -> dict[str, Source]:
    return {
        item["key"]: _upsert(
            report, Source, {"key": item["key"]}, {k: v for k, v in item.items() if k != "key"}
        )
        for item in scheme_data.SOURCES
    }


def load_clusters(
    report: ReferenceLoadReport, states: dict[str, State], sources: dict[str, Source]
) -> None:
    for item in cluster_data.CLUSTERS:
        districts = list(District.objects.filter(slug__in=item["districts"]).order_by("slug"))
        missing = set(item["districts"]) - {d.slug for d in districts}
        if missing:
            raise ValueError(f"Cluster {item['slug']} names unknown districts: {sorted(missing)}")
        source = sources[item["source"]]
        cluster = _upsert(
            report,
            Cluster,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "name_hi": item["name_hi"],
                "kind": item["kind"],
                "state": states[item["state"]],
                # Mean of the districts' headquarters: computed, never typed in.
                "centre_latitude": round(sum(d.latitude for d in districts) / len(districts), 5),
                "centre_longitude": round(sum(d.longitude for d in districts) / len(districts), 5),
                "summary": item["summary"],
                "summary_hi": item["summary_hi"],
                "source_title": source.title,
                "source_url": source.url,
            },
        )
        _set_m2m(cluster.districts, districts)


def load_taxonomy(report: ReferenceLoadReport) -> None:
    taxonomy = taxonomy_data.CAPABILITY_TAXONOMY
    for category_order, (slug, name, name_hi, processes) in enumerate(taxonomy):
        category = _upsert(
            report,
            CapabilityCategory,
            {"slug": slug},
            {"name": name, "name_hi": name_hi, "order": category_order},
        )
        for order, (process_slug, process_name, process_name_hi) in enumerate(processes):
            _upsert(
                report,
                Process,
                {"slug": process_slug},
                {
                    "category": category,
                    "name": process_name,
                    "name_hi": process_name_hi,
                    "order": order,
                },
            )
    for code, name, name_hi, description, zed_level in taxonomy_data.CERTIFICATION_TYPES:
        _upsert(
            report,
            CertificationType,
            {"code": code},
            {
                "name": name,
                "name_hi": name_hi,
                "description": description,
                "zed_level": zed_level,
            },
        )
    for order, (slug, name, name_hi, headline) in enumerate(taxonomy_data.STRATEGIC_SECTORS):
        _upsert(
            report,
            StrategicSector,
            {"slug": slug},
            {"name": name, "name_hi": name_hi, "is_headline": headline, "order": order},
        )


def load_scheme(report: ReferenceLoadReport, sources: dict[str, Source]) -> Scheme:
    values = {k: v for k, v in scheme_data.SCHEME.items() if k != "slug"}
    scheme = _upsert(report, Scheme, {"slug": scheme_data.SCHEME["slug"]}, values)
    for key, fields in scheme_data.FIGURE_SOURCES.items():
        _upsert(
            report,
            SchemeFigureSource,
            {"scheme": scheme, "source": sources[key]},
            {"fields": ", ".join(fields)},
        )
    for low, high, net_worth in scheme_data.NET_WORTH_SLABS:
        _upsert(
            report,
            NetWorthSlab,
            {"scheme": scheme, "min_capacity_mtpa": low},
            {
                "max_capacity_mtpa": high,
                "net_worth_crore": net_worth,
                "source": sources["notified-terms-2025-12"],
            },
        )
    for kind, order, date, note, note_hi, source_key in scheme_data.MILESTONES:
        existing = Milestone.objects.filter(scheme=scheme, kind=kind).first()
        values = {
            "order": order,
            "note": note,
            "note_hi": note_hi,
            "source": sources.get(source_key),
        }
        # A date an administrator entered (e.g. the award) is newer than ours: keep it.
        if date is not None or existing is None:
            values["date"] = date
        _upsert(report, Milestone, {"scheme": scheme, "kind": kind}, values)
    for slug, name, name_hi, order, description in scheme_data.VALUE_CHAIN_STAGES:
        _upsert(
            report,
            ValueChainStage,
            {"slug": slug},
            {"name": name, "name_hi": name_hi, "order": order, "description": description},
        )
    return scheme


def load_facilities(report: ReferenceLoadReport, scheme: Scheme) -> None:
    """Five facilities in bidding; what administrators set later (awardee, site) is kept.

    A facility loaded before Hindi texts shipped gets them, each only while its English text is
    still the shipped one and its Hindi is empty: a renamed facility's Hindi name is the
    administrator's to write.
    """
    stages = list(ValueChainStage.objects.order_by("order"))
    for number in range(1, scheme_data.FACILITY_COUNT + 1):
        lookup = {"scheme": scheme, "number": number}
        shipped = {
            "name": (
                scheme_data.FACILITY_NAME.format(number=number),
                scheme_data.FACILITY_NAME_HI.format(number=number),
            ),
            "summary": (scheme_data.FACILITY_SUMMARY, scheme_data.FACILITY_SUMMARY_HI),
        }
        existing = Facility.objects.filter(**lookup).first()
        if existing is not None:
            hindi = {
                f"{field}_hi": hindi
                for field, (english, hindi) in shipped.items()
                if getattr(existing, field) == english and not getattr(existing, f"{field}_hi")
            }
            _upsert(report, Facility, lookup, hindi)
            continue
        facility = _upsert(
            report,
            Facility,
            lookup,
            {
                **{field: english for field, (english, _) in shipped.items()},
                **{f"{field}_hi": hindi for field, (_, hindi) in shipped.items()},
                "slug": f"integrated-repm-facility-{number}",
                "status": Facility.Status.BIDDING,
            },
        )
        facility.stages.set(stages)


def load_all() -> ReferenceLoadReport:
    """Every loader in dependency order; ``services.reference_load`` runs it in a transaction."""
    report = ReferenceLoadReport()
    sources = load_sources(report)
    states = load_geography(report)
    load_clusters(report, states, sources)
    load_taxonomy(report)
    scheme = load_scheme(report, sources)
    load_facilities(report, scheme)
    if not MsmeLimit.objects.exists():
        raise RuntimeError("MSME limits are missing: run `python manage.py migrate` first.")
    load_eligibility_rules(report, scheme, sources)
    return report


CRITERION_DEFAULTS = {
    "requirement": Criterion.Requirement.REQUIRED,
    "basis": Criterion.Basis.ILLUSTRATIVE,
    "condition_fact": "",
    "condition_operator": "",
    "condition_value": None,
}


def load_eligibility_rules(
    report: ReferenceLoadReport, scheme: Scheme, sources: dict[str, Source]
) -> None:
    """Each shipped rule set as a published version. A version already there is never touched
    (published versions are immutable; administrators publish the next ones in the admin), and
    a new one goes through the same publishing service, so its examples must pass."""
    for item in eligibility_data.RULE_SETS:
        lookup = {"scheme": scheme, "role": item["role"], "version": item["version"]}
        if RuleSet.objects.filter(**lookup).exists():
            report.record(RuleSet, "unchanged")
            continue
        rule_set = RuleSet.objects.create(
            **lookup,
            summary_en=item["summary_en"],
            summary_hi=item["summary_hi"],
            effective_from=item["effective_from"],
            source=sources.get(item["source"]) if item["source"] else None,
        )
        for order, criterion in enumerate(item["criteria"], start=1):
            values = CRITERION_DEFAULTS | criterion
            values["source"] = sources[values["source"]] if values["source"] else None
            Criterion.objects.create(rule_set=rule_set, order=order, **values)
            report.record(Criterion, "created")
        for example in item["examples"]:
            RuleExample.objects.create(rule_set=rule_set, **example)
            report.record(RuleExample, "created")
        rule_set_publish(rule_set=rule_set)
        report.record(RuleSet, "created")
