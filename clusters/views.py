"""Public pages about the clusters."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    return render(request, "clusters/cluster_list.html", {"clusters": selectors.cluster_list()})


@require_GET
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = get_object_or_404(selectors.cluster_detail_queryset(), slug=slug)
    return render(request, "clusters/cluster_detail.html", {"cluster": cluster})
