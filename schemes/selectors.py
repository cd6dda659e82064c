"""Read queries for the scheme pages, each with the joins its callers need."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Facility, Milestone, Need, Scheme


def scheme_current() -> Scheme | None:
    """The scheme the site is about (the product serves one scheme; the first one loaded)."""
    return (
        Scheme.objects.prefetch_related(
            "milestones", "net_worth_slabs", "figure_sources__source"
        )
        .order_by("id")
        .first()
    )


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
        .order_by("due_date", "id")
    )
    return facility_list().prefetch_related(Prefetch("needs", queryset=open_needs, to_attr="open_need_list"))


def milestone_timeline(scheme: Scheme) -> list[Milestone]:
    return list(scheme.milestones.select_related("source").order_by("order"))
