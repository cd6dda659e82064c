"""What each insights page shows, assembled from the snapshot's rows: its tables and charts.

The figures are the snapshot's (aggregated by the database); this module only lays them out,
in the reader's language. Each page's tables are built by one function whose result both the
page and its CSV download render (``tables.Table``), so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clusters.models import Cluster
from matching import rules
from matching.reasons import RULE_LABELS
from schemes.models import Facility
from taxonomy.formatting import number
from taxonomy.localized import Name

from . import selectors
from .charts import Bar, Panel, butterfly
from .models import ProcessFigure, Snapshot
from .services import DEFAULT_RADIUS_KM, RADII_KM
from .tables import Column, Flag, Link, Measure, Row, Table

Level = ProcessFigure.Level

NEAR_MISS_COLUMNS = [
    Column(
        f"near_misses_{rule.code}",
        format_lazy("{}: {}", gettext_lazy("Near misses"), RULE_LABELS[rule.code]),
        numeric=True,
    )
    for rule in rules.RULES
]


@dataclass
class Page:
    snapshot: Snapshot | None
    tables: dict[str, Table] = field(default_factory=dict)
    charts: list[Panel] = field(default_factory=list)
    context: dict[str, object] = field(default_factory=dict)


def radius_from(value: str | None) -> int:
    """The radius a page was asked for, if it is one the snapshot counts; else the default."""
    try:
        radius = int(value or DEFAULT_RADIUS_KM)
    except ValueError:
        return DEFAULT_RADIUS_KM
    return radius if radius in RADII_KM else DEFAULT_RADIUS_KM


def _gap_flag(without_match: int, few_matches: int) -> Flag:
    """A group's gap in words, the worse first: needs no supplier matches, then needs few do."""
    if without_match:
        text = ngettext("%(count)s need unmatched", "%(count)s needs unmatched", without_match) % {
            "count": number(without_match)
        }
        return Flag("gap", text)
    if few_matches:
        text = ngettext(
            "%(count)s need with few matches", "%(count)s needs with few matches", few_matches
        ) % {"count": number(few_matches)}
        return Flag("few", text)
    return Flag("")


def _flag(figure: ProcessFigure) -> Flag:
    return _gap_flag(figure.needs_without_match, figure.needs_with_few_matches)


def _cluster_name(cluster: Cluster | None) -> Name | str:
    return cluster.bilingual_name if cluster is not None else _("No cluster yet")


def _cluster_link(cluster: Cluster | None) -> Link | str:
    if cluster is None:
        return _("No cluster yet")
    return Link(cluster.bilingual_name, reverse("insights:cluster", args=[cluster.slug]))


def _facility_link(facility: Facility) -> Link:
    return Link(facility.bilingual_name, reverse("insights:facility", args=[facility.slug]))


def _within(radius_km: int) -> str:
    return _("Suppliers within %(radius)s km") % {"radius": radius_km}


def _figure_columns(first: list[Column], *, supply_label: str | None) -> list[Column]:
    return [
        *first,
        Column("open_needs", gettext_lazy("Open needs"), numeric=True),
        Column("needs_without_match", gettext_lazy("Needs with no match"), numeric=True),
        Column("needs_with_few_matches", gettext_lazy("Needs with few matches"), numeric=True),
        Column("matching_suppliers", gettext_lazy("Matching suppliers"), numeric=True),
        Column("near_miss_suppliers", gettext_lazy("Near-miss suppliers"), numeric=True),
        *NEAR_MISS_COLUMNS,
        *([Column("supply", supply_label, numeric=True)] if supply_label else []),
        Column("gap", gettext_lazy("Gap")),
    ]


def _figure_values(figure: ProcessFigure, supply: int | None) -> tuple:
    return (
        figure.open_needs,
        figure.needs_without_match,
        figure.needs_with_few_matches,
        figure.matching_suppliers,
        figure.near_miss_suppliers,
        *figure.near_misses.values(),
        *(() if supply is None else (supply,)),
        _flag(figure),
    )


def _process_table(
    key: str,
    caption: str,
    figures: Iterable[ProcessFigure],
    supply: dict[tuple[int | None, int], int] | None,
    *,
    supply_label: str | None,
    with_cluster: bool = False,
) -> Table:
    """Demand, matches and near misses by process; ``supply`` is keyed (cluster id, process id)
    for the cluster rows and (None, process id) for national ones, None for no supply column."""
    first = [Column("process", gettext_lazy("Process"))]
    if with_cluster:
        first.insert(0, Column("cluster", gettext_lazy("Cluster")))
    table = Table(
        key,
        caption,
        _figure_columns(first, supply_label=supply_label),
        empty=gettext_lazy("No open needs."),
    )
    for figure in figures:
        name = figure.process.bilingual_name
        supply_key = (figure.cluster_id if with_cluster else None, figure.process_id)
        head = (_cluster_link(figure.cluster), name) if with_cluster else (name,)
        suppliers = None if supply is None else supply.get(supply_key, 0)
        table.rows.append(Row((*head, *_figure_values(figure, suppliers)), flag=_flag(figure).code))
    return table


def _chart(key: str, title: str, figures: Iterable[ProcessFigure]) -> list[Panel]:
    bars = [
        Bar(
            label=str(figure.process.bilingual_name),
            demand=figure.open_needs,
            supply=figure.matching_suppliers,
            flag=_flag(figure).code,
            flag_text=str(_flag(figure).text),
        )
        for figure in figures
    ]
    return butterfly(
        bars,
        key=key,
        title=title,
        description=_(
            "For each process, the open needs (bars to the left) against the suppliers that "
            "match them (bars to the right). Processes with a need that no supplier matches, "
            "or few do, are marked."
        ),
        demand_label=_("Open needs"),
        supply_label=_("Matching suppliers"),
    )


def overview(snapshot: Snapshot, radius_km: int) -> Page:
    """India: demand and supply by process, each cluster's and facility's gaps."""
    national = list(selectors.process_figures(snapshot, Level.NATIONAL))
    by_cluster = list(selectors.process_figures(snapshot, Level.CLUSTER))
    supply_anywhere = selectors.supply(snapshot, None)
    supply_near = selectors.supply(snapshot, radius_km)
    process_count = len(selectors.processes())
    page = Page(snapshot)
    page.context["totals"] = selectors.national_totals(snapshot)
    page.charts = _chart("india", _("Supply against demand in India"), national)
    page.tables["processes"] = _process_table(
        "processes",
        _("India, by process"),
        national,
        supply_anywhere,
        supply_label=_("Suppliers anywhere"),
    )

    clusters = page.tables["clusters"] = Table(
        "clusters",
        _("Clusters"),
        [
            Column("cluster", gettext_lazy("Cluster")),
            Column("open_needs", gettext_lazy("Open needs"), numeric=True),
            Column("needs_without_match", gettext_lazy("Needs with no match"), numeric=True),
            Column("needs_with_few_matches", gettext_lazy("Needs with few matches"), numeric=True),
            Column("processes", gettext_lazy("Processes asked for"), numeric=True),
            Column(
                "processes_lacking",
                _("Processes with no supplier within %(radius)s km") % {"radius": radius_km},
                numeric=True,
            ),
            Column("gap", gettext_lazy("Gap")),
        ],
    )
    totals = {row["cluster_id"]: row for row in selectors.group_totals(snapshot, Level.CLUSTER)}
    present: dict[int, int] = {}
    for cluster_id, _process_id in supply_near:
        present[cluster_id] = present.get(cluster_id, 0) + 1
    for cluster in [*selectors.clusters(), *([None] if None in totals else [])]:
        cluster_id = cluster.pk if cluster is not None else None
        row = totals.get(cluster_id, {})
        flag = _gap_flag(row.get("needs_without_match", 0), row.get("needs_with_few_matches", 0))
        clusters.rows.append(
            Row(
                (
                    _cluster_link(cluster),
                    row.get("open_needs", 0),
                    row.get("needs_without_match", 0),
                    row.get("needs_with_few_matches", 0),
                    row.get("processes", 0),
                    process_count - present.get(cluster_id, 0) if cluster is not None else None,
                    flag,
                ),
                flag=flag.code,
            )
        )

    facilities = page.tables["facilities"] = Table(
        "facilities",
        _("Facilities"),
        [
            Column("facility", gettext_lazy("Facility")),
            Column("cluster", gettext_lazy("Cluster")),
            Column("open_needs", gettext_lazy("Open needs"), numeric=True),
            Column("needs_without_match", gettext_lazy("Needs with no match"), numeric=True),
            Column("needs_with_few_matches", gettext_lazy("Needs with few matches"), numeric=True),
            Column("processes", gettext_lazy("Processes asked for"), numeric=True),
            Column("gap", gettext_lazy("Gap")),
        ],
        empty=gettext_lazy("No facilities have been entered yet."),
    )
    totals = {row["facility_id"]: row for row in selectors.group_totals(snapshot, Level.FACILITY)}
    for facility in selectors.facilities():
        row = totals.get(facility.pk, {})
        flag = _gap_flag(row.get("needs_without_match", 0), row.get("needs_with_few_matches", 0))
        facilities.rows.append(
            Row(
                (
                    _facility_link(facility),
                    _cluster_name(facility.cluster),
                    row.get("open_needs", 0),
                    row.get("needs_without_match", 0),
                    row.get("needs_with_few_matches", 0),
                    row.get("processes", 0),
                    flag,
                ),
                flag=flag.code,
            )
        )

    # Every cluster × process row downloads; the page shows the gaps among them (each
    # cluster's page shows all of its rows).
    page.tables["cluster_processes"] = _process_table(
        "cluster_processes",
        _("Clusters by process"),
        by_cluster,
        supply_near,
        supply_label=_within(radius_km),
        with_cluster=True,
    )
    page.tables["gaps"] = _process_table(
        "gaps",
        _("Gaps: clusters and processes with a need that has no match, or few"),
        [figure for figure in by_cluster if _flag(figure).code],
        supply_near,
        supply_label=_within(radius_km),
        with_cluster=True,
    )
    page.tables["gaps"].empty = gettext_lazy("Every open need has enough matches.")
    return page


def cluster(snapshot: Snapshot, cluster: Cluster, radius_km: int) -> Page:
    """One cluster: its facilities' needs by process, and the supply around it."""
    figures = list(selectors.process_figures(snapshot, Level.CLUSTER, cluster=cluster))
    supply = selectors.supply_for_cluster(snapshot, cluster)
    page = Page(snapshot)
    page.charts = _chart(
        f"cluster-{cluster.pk}",
        _("Supply against demand in %(cluster)s") % {"cluster": cluster.localized_name},
        figures,
    )
    page.tables["processes"] = _process_table(
        "processes",
        _("Needs and matches by process"),
        figures,
        {(cluster.pk, process_id): n for (km, process_id), n in supply.items() if km == radius_km},
        supply_label=_within(radius_km),
        with_cluster=False,
    )
    few = snapshot.few_matches
    table = page.tables["supply"] = Table(
        "supply",
        _("Suppliers around the cluster, by process"),
        [
            Column("process", gettext_lazy("Process")),
            *(Column(f"within_{km}_km", _within(km), numeric=True) for km in RADII_KM),
            Column("gap", gettext_lazy("Gap")),
        ],
    )
    for process in selectors.processes():
        counts = tuple(supply.get((km, process.pk), 0) for km in RADII_KM)
        near = supply.get((radius_km, process.pk), 0)
        flag = _supply_flag(near, few, radius_km)
        table.rows.append(Row((process.bilingual_name, *counts, flag), flag=flag.code))
    return page


def _supply_flag(suppliers: int, few: int, radius_km: int) -> Flag:
    if not suppliers:
        return Flag("lacks", _("None within %(radius)s km") % {"radius": radius_km})
    if suppliers < few:
        return Flag("thin", _("Few within %(radius)s km") % {"radius": radius_km})
    return Flag("")


def supply(snapshot: Snapshot, radius_km: int) -> Page:
    """India's clusters: the processes each lacks within a radius, and the whole matrix."""
    clusters = selectors.clusters()
    processes = selectors.processes()
    near = selectors.supply(snapshot, radius_km)
    few = snapshot.few_matches
    page = Page(snapshot)
    lacking = page.tables["lacking"] = Table(
        "lacking",
        _("Processes each cluster lacks within %(radius)s km") % {"radius": radius_km},
        [
            Column("cluster", gettext_lazy("Cluster")),
            Column("lacking", gettext_lazy("Processes with no supplier"), numeric=True),
            Column("lacking_processes", gettext_lazy("Lacking")),
            Column(
                "thin_processes",
                _("Fewer than %(few)s suppliers") % {"few": few},
            ),
        ],
        empty=gettext_lazy("No clusters have been entered yet."),
    )
    for cluster in clusters:
        absent = [p for p in processes if not near.get((cluster.pk, p.pk))]
        thin = [p for p in processes if 0 < near.get((cluster.pk, p.pk), 0) < few]
        lacking.rows.append(
            Row(
                (
                    _cluster_link(cluster),
                    len(absent),
                    ", ".join(p.localized_name for p in absent),
                    ", ".join(p.localized_name for p in thin),
                ),
                flag="lacks" if absent else "",
            )
        )
    matrix = page.tables["matrix"] = Table(
        "matrix",
        _("Suppliers within %(radius)s km of each cluster, by process") % {"radius": radius_km},
        [
            Column("process", gettext_lazy("Process")),
            *(Column(cluster.slug, cluster.localized_name, numeric=True) for cluster in clusters),
        ],
    )
    for process in processes:
        counts = [near.get((cluster.pk, process.pk), 0) for cluster in clusters]
        matrix.rows.append(
            Row((process.bilingual_name, *counts), flag="lacks" if 0 in counts else "")
        )
    page.context["clusters"] = clusters
    return page


def facility(snapshot: Snapshot, facility: Facility) -> Page:
    """One facility: its open needs, fewest matches first, and its figures by process."""
    figures = list(selectors.process_figures(snapshot, Level.FACILITY, facility=facility))
    page = Page(snapshot)
    page.charts = _chart(
        f"facility-{facility.pk}",
        _("Supply against demand at %(facility)s") % {"facility": facility.localized_name},
        figures,
    )
    # Supply around a facility is its needs' own radius, counted in the matches.
    page.tables["processes"] = _process_table(
        "processes", _("Needs and matches by process"), figures, None, supply_label=None
    )

    few = snapshot.few_matches
    needs = page.tables["needs"] = Table(
        "needs",
        _("Open needs, fewest matches first"),
        [
            Column("need", gettext_lazy("Need")),
            Column("reference", gettext_lazy("Reference")),
            Column("process", gettext_lazy("Process")),
            Column("due_date", gettext_lazy("Due date")),
            Column("radius_km", gettext_lazy("Radius")),
            Column("matches", gettext_lazy("Matches"), numeric=True),
            *NEAR_MISS_COLUMNS,
            Column("gap", gettext_lazy("Gap")),
        ],
        empty=gettext_lazy("No open needs."),
    )
    for figure in selectors.need_figures(snapshot, facility):
        need = figure.need
        flag = (
            Flag("gap", _("No match"))
            if not figure.matches
            else Flag("few", _("Few matches"))
            if figure.matches < few
            else Flag("")
        )
        needs.rows.append(
            Row(
                (
                    Link(need.title, reverse("admin:schemes_need_change", args=[need.pk])),
                    need.external_ref,
                    figure.process.bilingual_name,
                    need.due_date,
                    Measure(need.radius_km, "km") if need.radius_km else _("No limit"),
                    figure.matches,
                    *figure.near_misses.values(),
                    flag,
                ),
                flag=flag.code,
            )
        )
    return page


def public_cluster(snapshot: Snapshot, cluster: Cluster) -> Page:
    """The public cluster page's panel: demand and supply around the cluster, counts only.

    Nothing here names a supplier (the figures are counts), and nothing links to the staff
    pages; near misses are one total, the opportunity an MSME nearby can act on.
    """
    radius_km = DEFAULT_RADIUS_KM
    figures = list(selectors.process_figures(snapshot, Level.CLUSTER, cluster=cluster))
    supply = {
        process_id: n
        for (km, process_id), n in selectors.supply_for_cluster(snapshot, cluster).items()
        if km == radius_km
    }
    page = Page(snapshot)
    page.charts = _chart(
        f"public-cluster-{cluster.pk}",
        _("Supply against demand in %(cluster)s") % {"cluster": cluster.localized_name},
        figures,
    )
    table = page.tables["supply_demand"] = Table(
        "supply_demand",
        _("Open needs and suppliers by process"),
        [
            Column("process", gettext_lazy("Process")),
            Column("open_needs", gettext_lazy("Open needs"), numeric=True),
            Column("matching_suppliers", gettext_lazy("Matching suppliers"), numeric=True),
            Column("near_miss_suppliers", gettext_lazy("Near-miss suppliers"), numeric=True),
            Column("supply", _within(radius_km), numeric=True),
            Column("gap", gettext_lazy("Gap")),
        ],
    )
    for figure in figures:
        flag = _flag(figure)
        table.rows.append(
            Row(
                (
                    figure.process.bilingual_name,
                    figure.open_needs,
                    figure.matching_suppliers,
                    figure.near_miss_suppliers,
                    supply.get(figure.process_id, 0),
                    flag,
                ),
                flag=flag.code,
            )
        )
    page.context["lacking"] = [p for p in selectors.processes() if not supply.get(p.pk)]
    page.context["radius"] = radius_km
    return page
