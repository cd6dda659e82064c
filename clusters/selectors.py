"""Read queries for cluster pages."""

from django.db.models import Count, Prefetch, Q, QuerySet

from schemes.models import Facility, Need

from .models import Cluster, ClusterAsset, District


def cluster_list() -> QuerySet[Cluster]:
    return (
        Cluster.objects.select_related("state")
        .annotate(facility_count=Count("facilities", distinct=True))
        .order_by("kind", "name")
    )


def cluster_detail_queryset() -> QuerySet[Cluster]:
    # Each facility carries its open-needs count, so the page links MSMEs to live demand without
    # a query per facility.
    facilities = Facility.objects.annotate(
        open_needs=Count("needs", filter=Q(needs__status=Need.Status.OPEN))
    ).order_by("number")
    return cluster_list().prefetch_related(
        Prefetch("assets", queryset=ClusterAsset.objects.order_by("kind", "name")),
        Prefetch("districts", queryset=District.objects.order_by("name")),
        Prefetch("facilities", queryset=facilities),
    )
