"""Read queries for the scheme pages, each with the joins its callers need."""

import datetime
from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from clusters import selectors as cluster_selectors
from clusters.models import Cluster

from .models import Facility, Milestone, Need, Scheme, SchemeFigureSource, Source
from .timeline import Timeline

OPEN_NEEDS = Count("needs", filter=Q(needs__status=Need.Status.OPEN))

# --- Who manages which facility -----------------------------------------------------------------
# The one access rule for facilities' needs and matches (the admin, the partner API): a user
# with ``schemes.manage_every_facility`` (scheme administrators, superusers) sees every
# facility; anyone else only the facilities they are a manager of.

MANAGE_EVERY_FACILITY = "schemes.manage_every_facility"


def sees_every_facility(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_active and user.has_perm(MANAGE_EVERY_FACILITY))


def managed_facility_ids(user: AbstractBaseUser | AnonymousUser) -> frozenset[int]:
    """The facilities this user is a manager of (one query, then kept on the user object, so
    a request's checks ask once)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_managed_facility_ids", None)
    if cached is None:
        cached = frozenset(
            Facility.managers.through.objects.filter(user_id=user.pk).values_list(
                "facility_id", flat=True
            )
        )
        user._managed_facility_ids = cached  # type: ignore[union-attr]
    return cached


def facility_scope(user: AbstractBaseUser | AnonymousUser, path: str = "") -> Q:
    """A filter keeping the rows of the facilities this user may work on; ``path`` leads from
    the rows to their facility ("facility" for needs, "need__facility" for matches, "" for
    facilities themselves). Matches nothing for a user who manages none."""
    if sees_every_facility(user):
        return Q()
    return Q(**{f"{path}__pk__in" if path else "pk__in": managed_facility_ids(user)})


def facility_in_scope(user: AbstractBaseUser | AnonymousUser, facility_id: int | None) -> bool:
    return sees_every_facility(user) or facility_id in managed_facility_ids(user)


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
