"""The site's URLs plus the benchmark's baseline: a bare Django view that returns the same 50
matches the partner API's list returns, as ``values()`` rows in JSON. Bench-only (loaded by
``bench.api_settings``); production URLs never include it."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from matching.models import Match
from partners.api import MATCH_VALUES


def bare_matches(request: HttpRequest) -> JsonResponse:
    """No key, scope, validation, throttle, ETag or shaping: the same query, the same rows."""
    rows = (
        Match.objects.filter(
            need__facility_id=int(request.GET["facility"]),
            need_id=int(request.GET["need"]),
            score__gte=request.GET["min_score"],
            status__in=request.GET.getlist("status"),
        )
        .order_by("-score", "id")
        .values(*MATCH_VALUES)[:50]
    )
    return JsonResponse(list(rows), safe=False)


urlpatterns = [path("bench/bare-matches/", bare_matches), *site_urlpatterns]
