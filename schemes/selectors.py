"""Read queries for the scheme pages, each with the joins its callers need."""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q, QuerySet

from clusters import selectors as cluster_selectors
from clusters.models import Cluster

from .models import Facility, Milestone, Need, Scheme, SchemeFigureSource, Source
from .timeline import Timeline

OPEN_NEEDS = Count("needs", filter=Q(needs__status=Need.Status.OPEN))


def scheme_current() -> Scheme | None:
    """The scheme the site is about (the product serves one scheme; the first one loaded).

    Milestones and figure sources come with their Source joined, so rendering the timeline and
    each figure's source costs no query per row.
    """
    return (
        Scheme.objects.prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("source").order_by("order"),
            ),
            "net_worth_slabs",
            Prefetch(
                "figure_sources",
                queryset=SchemeFigureSource.objects.select_related("source").order_by("id"),
            ),
        )
        .order_by("id")
        .first()
    )


def scheme_timeline(scheme_id: int, day: datetime.date | None) -> Timeline:
    """The scheme's milestones in order, and where ``day`` falls among them (one query)."""
    return Timeline(list(Milestone.objects.filter(scheme_id=scheme_id).order_by("order")), day)


def scheme_sources_by_field(scheme: Scheme) -> dict[str, list[Source]]:
    """The sources backing each scheme field, read from ``SchemeFigureSource.fields``.

    Pass a scheme from ``scheme_current()``: its figure sources come prefetched with their
    source, so this costs no query.
    """
    by_field: dict[str, list[Source]] = defaultdict(list)
    for figure_source in scheme.figure_sources.all():
        for field in figure_source.fields.split(","):
            if field.strip():
                by_field[field.strip()].append(figure_source.source)
    return dict(by_field)


def facility_list() -> QuerySet[Facility]:
    return (
        Facility.objects.select_related("cluster__state")
        .prefetch_related("stages")
        .annotate(open_needs=OPEN_NEEDS)
        .order_by("number")
    )


def facility_detail_queryset() -> QuerySet[Facility]:
    open_needs = (
        Need.objects.open()
        .select_related("process__category")
        .prefetch_related("required_certifications")
        # Soonest first on every database (SQLite and PostgreSQL disagree on where NULLs go).
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    return facility_list().prefetch_related(
        Prefetch("needs", queryset=open_needs, to_attr="open_need_list")
    )


# Cluster pages list each cluster's facilities, so their queries live here, a room above
# clusters, and build on its selectors.


def cluster_list_with_facility_counts() -> QuerySet[Cluster]:
    return cluster_selectors.cluster_list().annotate(
        facility_count=Count("facilities", distinct=True)
    )


def cluster_page_queryset() -> QuerySet[Cluster]:
    """A cluster's page: its assets, districts and facilities, each facility with its open-needs
    count, so the page links MSMEs to live demand without a query per facility."""
    facilities = Facility.objects.annotate(open_needs=OPEN_NEEDS).order_by("number")
    return cluster_selectors.cluster_detail_queryset().prefetch_related(
        Prefetch("facilities", queryset=facilities)
    )
