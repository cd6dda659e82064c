"""The insights pages' cells and the public cluster page's aggregate panel.

``{% load insights_figures %}`` gives ``{{ value|cell }}`` (a table cell, typed: figures in
Indian grouping, dates as "15 Dec 2025", units) and ``{{ snapshot.computed_at|as_of }}``, and
``{% cluster_supply_demand cluster %}``, which the public cluster page (a room below insights,
so it cannot import it) includes: demand and supply around the cluster, aggregates only, no
supplier named.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from insights import pages, selectors
from insights.tables import Table, Value, cell_html, rows_html
from taxonomy.formatting import indian_date

register = template.Library()


@register.filter
def cell(value: Value) -> SafeString:
    return cell_html(value)


@register.filter
def body_rows(table: Table) -> SafeString:
    return rows_html(table)


@register.filter
def as_of(moment: datetime.datetime) -> str:
    """ "15 Dec 2025, 14:05" in India's time."""
    local = timezone.localtime(moment)
    return f"{indian_date(local)}, {local:%H:%M}"


@register.inclusion_tag("insights/includes/public_cluster.html", takes_context=True)
def cluster_supply_demand(context: template.Context, cluster: object) -> dict:
    snapshot = selectors.snapshot_latest()
    page = pages.public_cluster(snapshot, cluster) if snapshot is not None else None
    return {
        "page": page,
        "snapshot": snapshot,
        "cluster": cluster,
        "request": context.get("request"),
    }
