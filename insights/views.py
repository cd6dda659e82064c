"""The insights pages: thin views over ``pages`` (layout) and ``selectors`` (the snapshot).

Scheme administrators (and superusers): staff holding ``insights.view_snapshot``, which the
"Scheme administrator" group holds with every permission of the project's apps. An anonymous
visitor is sent to log in; a signed-in MSME owner, or a facility manager (staff, scoped to their
own facilities), gets 403: these pages name no supplier, but they map every facility's gaps and
where the supplier base is thin, the scheme's working material (the public cluster pages show an
aggregate-only version).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusters.models import Cluster
from schemes.models import Facility

from . import pages, selectors, tasks
from .models import Snapshot
from .services import DEFAULT_RADIUS_KM, RADII_KM, UNCHANGED_SNAPSHOT_MAX_AGE
from .tables import csv_text

View = Callable[..., HttpResponse]


READ_PERMISSION = "insights.view_snapshot"


def can_read_insights(user: object) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm(READ_PERMISSION))


def staff_required(view: View) -> View:
    """Log in first (anonymous), then scheme administrators only (403 otherwise, never a
    redirect loop: a signed-in user without the permission would only be sent back here)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_insights(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _respond(
    request: HttpRequest,
    page: pages.Page | None,
    template: str,
    table: str | None,
    *,
    name: str,
    context: dict | None = None,
) -> HttpResponse:
    """The page, or one of its tables as CSV when ``table`` is given (404 for an unknown one)."""
    if table is not None:
        if page is None or table not in page.tables:
            raise Http404("No such table.")
        computed = timezone.localtime(page.snapshot.computed_at)
        response = HttpResponse(
            csv_text(page.tables[table]), content_type="text/csv; charset=utf-8"
        )
        filename = f"insights-{name}-{table}-{computed:%Y-%m-%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    snapshot = page.snapshot if page is not None else selectors.snapshot_latest()
    return render(
        request,
        template,
        {
            "page": page,
            "snapshot": snapshot,
            "stale": _stale(snapshot),
            "radii": RADII_KM,
            **(context or {}),
        },
    )


def _stale(snapshot: Snapshot | None) -> bool:
    """Older than an unchanged snapshot is kept, plus three refresh intervals: the beat (or
    its worker) has probably stopped, and the page says so."""
    if snapshot is None:
        return False
    limit = UNCHANGED_SNAPSHOT_MAX_AGE + datetime.timedelta(
        seconds=3 * settings.INSIGHTS_REFRESH_SECONDS
    )
    return timezone.now() - snapshot.computed_at > limit


@staff_required
@require_GET
def overview(request: HttpRequest, table: str | None = None) -> HttpResponse:
    snapshot = selectors.snapshot_latest()
    radius = pages.radius_from(request.GET.get("radius"))
    page = pages.overview(snapshot, radius) if snapshot is not None else None
    return _respond(
        request, page, "insights/overview.html", table, name="india", context={"radius": radius}
    )


@staff_required
@require_GET
def supply(request: HttpRequest, table: str | None = None) -> HttpResponse:
    snapshot = selectors.snapshot_latest()
    radius = pages.radius_from(request.GET.get("radius"))
    page = pages.supply(snapshot, radius) if snapshot is not None else None
    return _respond(
        request,
        page,
        "insights/supply.html",
        table,
        name=f"supply-{radius}km",
        context={"radius": radius},
    )


@staff_required
@require_GET
def cluster(request: HttpRequest, slug: str, table: str | None = None) -> HttpResponse:
    cluster = get_object_or_404(Cluster.objects.select_related("state"), slug=slug)
    snapshot = selectors.snapshot_latest()
    radius = pages.radius_from(request.GET.get("radius"))
    page = pages.cluster(snapshot, cluster, radius) if snapshot is not None else None
    return _respond(
        request,
        page,
        "insights/cluster.html",
        table,
        name=cluster.slug,
        context={"cluster": cluster, "radius": radius},
    )


@staff_required
@require_GET
def facility(request: HttpRequest, slug: str, table: str | None = None) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("cluster"), slug=slug)
    snapshot = selectors.snapshot_latest()
    page = pages.facility(snapshot, facility) if snapshot is not None else None
    return _respond(
        request,
        page,
        "insights/facility.html",
        table,
        name=facility.slug,
        context={"facility": facility, "radius": DEFAULT_RADIUS_KM},
    )


@staff_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Recompute now rather than at the next beat (after an import, say)."""
    tasks.insights_refresh.delay(force=True)
    messages.success(
        request, _("The figures are being recomputed; reload the page in a minute to see them.")
    )
    return redirect("insights:overview")


@require_GET
def public_cluster_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    """The public cluster page's table as CSV: the same counts, no supplier named."""
    cluster = get_object_or_404(Cluster, slug=slug)
    snapshot = selectors.snapshot_latest()
    page = pages.public_cluster(snapshot, cluster) if snapshot is not None else None
    if page is None:
        raise Http404("The figures have not been computed yet.")
    return _respond(request, page, "", table, name=cluster.slug)
