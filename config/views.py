"""Views of the deployment itself, not of any room: the health check and the error pages."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error

from .health import services_status

DATABASE_DOWN = (OperationalError, InterfaceError)


def _api_error(status: int, code: str, detail: str, **headers: str) -> JsonResponse:
    """The API's one error shape (taxonomy.api_errors), for errors outside its views."""
    body = {"type": "server_error" if status >= 500 else "client_error"}
    body["errors"] = [{"code": code, "detail": detail, "attr": None}]
    return JsonResponse(body, status=status, headers=headers)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON in the API's error shape under /api/, the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return _api_error(404, "not_found", "Not found.")
    return django_page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with "back in a moment" when the database is what failed.

    Django calls this while handling the exception, so it is still ``sys.exc_info()``; the
    page renders without a request context (nothing in it may need the database).
    """
    database_down = isinstance(sys.exc_info()[1], DATABASE_DOWN)
    if request.path_info.startswith("/api/"):
        if database_down:
            return _api_error(503, "unavailable", "Back in a moment.", **{"Retry-After": "60"})
        return _api_error(500, "error", "A server error occurred.")
    if database_down:
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers={"Retry-After": "60"})
    return django_server_error(request)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and (if configured) Redis answer; 503 naming what failed."""
    status = services_status(connection)
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **status}, status=200 if healthy else 503
    )
