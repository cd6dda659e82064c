"""Read queries for the scheme pages, each with the joins its callers need."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q, QuerySet

from .models import Facility, Milestone, Need, Scheme, SchemeFigureSource, Source


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


def scheme_sources_by_field(scheme: Scheme) -> dict[str, list[Source]]:
    """The sources backing each scheme field, read from ``SchemeFigureSource.fields``.

    Free for a scheme from ``scheme_current()`` (figure sources prefetched); otherwise one query.
    """
    by_field: dict[str, list[Source]] = defaultdict(list)
    figure_sources = scheme.figure_sources.all()
    if "figure_sources" not in getattr(scheme, "_prefetched_objects_cache", {}):
        figure_sources = figure_sources.select_related("source").order_by("id")
    for figure_source in figure_sources:
        for field in figure_source.fields.split(","):
            if field.strip():
                by_field[field.strip()].append(figure_source.source)
    return dict(by_field)


def facility_list() -> QuerySet[Facility]:
    return (
        Facility.objects.select_related("cluster__state")
        .prefetch_related("stages")
        .annotate(open_needs=Count("needs", filter=Q(needs__status=Need.Status.OPEN)))
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


def milestone_timeline(scheme: Scheme) -> list[Milestone]:
    """The scheme's milestones in order, with their sources.

    Free for a scheme from ``scheme_current()``; a scheme loaded elsewhere costs one query (never
    one per milestone, since the source is joined).
    """
    if "milestones" in getattr(scheme, "_prefetched_objects_cache", {}):
        return list(scheme.milestones.all())
    return list(scheme.milestones.select_related("source").order_by("order"))
