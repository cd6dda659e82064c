"""Public pages of the scheme: the home page, the facilities, and the cluster pages.

The cluster pages list each cluster's facilities, so they live here, a room above clusters, and
take the cluster's own data from ``clusters.selectors`` (through ``selectors.cluster_*``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors

from . import selectors
from .citations import cite_each
from .formatting import headline_figures


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scheme = selectors.scheme_current()
    # Each section cites each of its sources once, numbered, however many figures share one.
    figures, figure_sources = cite_each(
        headline_figures(scheme) if scheme else [], lambda figure: figure.sources
    )
    milestones, milestone_sources = cite_each(
        scheme.milestones.all() if scheme else [],
        lambda milestone: [milestone.source] if milestone.source else [],
    )
    context = {
        "scheme": scheme,
        "figures": figures,
        "figure_sources": figure_sources,
        "milestones": milestones,
        "milestone_sources": milestone_sources,
        "facilities": selectors.facility_list(),
        "clusters": cluster_selectors.cluster_list(),
    }
    return render(request, "schemes/home.html", context)


@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "schemes/facility_list.html",
        {"scheme": selectors.scheme_current(), "facilities": selectors.facility_list()},
    )


@require_GET
def facility_detail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(selectors.facility_detail_queryset(), slug=slug)
    return render(request, "schemes/facility_detail.html", {"facility": facility})


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.cluster_list_with_facility_counts()
    return render(request, "clusters/cluster_list.html", {"clusters": clusters})


@require_GET
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = get_object_or_404(selectors.cluster_page_queryset(), slug=slug)
    return render(request, "clusters/cluster_detail.html", {"cluster": cluster})
