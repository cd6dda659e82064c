"""Read queries for clusters and geography, each with the joins its callers need."""

from django.db.models import Prefetch, QuerySet

from .models import Cluster, ClusterAsset, District


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("state").order_by("kind", "name")


def cluster_detail_queryset() -> QuerySet[Cluster]:
    """Clusters with their assets and districts, in page order (two queries for any cluster)."""
    return cluster_list().prefetch_related(
        Prefetch("assets", queryset=ClusterAsset.objects.order_by("kind", "name")),
        Prefetch("districts", queryset=District.objects.order_by("name")),
    )
