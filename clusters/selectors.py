"""Read queries for cluster pages."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Cluster, ClusterAsset, District


def cluster_list() -> QuerySet[Cluster]:
    return (
        Cluster.objects.select_related("state")
        .annotate(facility_count=Count("facilities", distinct=True))
        .order_by("kind", "name")
    )


def cluster_detail_queryset() -> QuerySet[Cluster]:
    return cluster_list().prefetch_related(
        Prefetch("assets", queryset=ClusterAsset.objects.order_by("kind", "name")),
        Prefetch("districts", queryset=District.objects.order_by("name")),
        "facilities",
    )
