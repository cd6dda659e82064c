"""Public pages about the scheme and its facilities, and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clusters.selectors import cluster_list

from . import selectors
from .formatting import headline_figures
from .health import services_status


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scheme = selectors.scheme_current()
    context = {
        "scheme": scheme,
        "figures": headline_figures(scheme) if scheme else [],
        "milestones": selectors.milestone_timeline(scheme) if scheme else [],
        "facilities": selectors.facility_list(),
        "clusters": cluster_list(),
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and (if configured) Redis answer; 503 naming what failed."""
    status = services_status(connection)
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **status}, status=200 if healthy else 503
    )
