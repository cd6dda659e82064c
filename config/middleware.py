"""Languages: the browser's preferred one on a first visit to a page, and the API's.

English lives unprefixed and Hindi under /hi/ (``i18n_patterns`` with
``prefix_default_language=False``), so Django's LocaleMiddleware serves an unprefixed path in
English whatever the browser asks for, and never redirects. This middleware adds one thing: a
first visit (no language cookie yet) to an unprefixed page whose Accept-Language prefers Hindi
is redirected to the same page under /hi/. Every page served then sets the language cookie to
the page's language, so choosing "English" in the switcher sticks: the cookie is there, and no
later request is redirected.

Only GET and HEAD of the pages under ``i18n_patterns``; never the admin, the API, /healthz,
static files or certificate documents.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_urlconf, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

from taxonomy.history import ChangePath, changed_via

NOT_PAGES = ("/admin/", "/api/", "/healthz", "/static/", "/media/", "/me/documents/")
SAFE_METHODS = {"GET", "HEAD"}


class PreferredLanguageMiddleware:
    """After LocaleMiddleware (it sets ``request.LANGUAGE_CODE`` from the path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_page(request):
            return self.get_response(request)
        unprefixed = translation.get_language_from_path(request.path_info) is None
        if unprefixed and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            preferred = translation.get_language_from_request(request)  # Accept-Language
            prefixed = f"/{preferred}{request.path_info}"
            if preferred != settings.LANGUAGE_CODE and _resolves(prefixed, preferred):
                response = HttpResponseRedirect(_with_query(request, prefixed))
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if 200 <= response.status_code < 300:  # a page served, not a redirect or an error
            _remember(request, response)
        if unprefixed:  # the same URL answers a first visit with a redirect
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _is_page(request: HttpRequest) -> bool:
        """A GET or HEAD of a page that exists in every language (under i18n_patterns)."""
        if request.method not in SAFE_METHODS or request.path_info.startswith(NOT_PAGES):
            return False
        if translation.get_language_from_path(request.path_info) is not None:
            return True
        other = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        return _resolves(f"/{other}{request.path_info}", other)


def _resolves(path: str, language: str) -> bool:
    # i18n_patterns match the prefix of the active language only.
    with translation.override(language):
        return bool(is_valid_path(path, get_urlconf()))


def _with_query(request: HttpRequest, path_info: str) -> str:
    script_prefix = request.path[: len(request.path) - len(request.path_info)]
    query = request.META.get("QUERY_STRING", "")
    return f"{script_prefix}{path_info}" + (f"?{query}" if query else "")


def _remember(request: HttpRequest, response: HttpResponse) -> None:
    """Set the language cookie to the language of the page served, when it differs."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language is None or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == language:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class ApiLanguageMiddleware:
    """API answers in the language Accept-Language asks for (English or Hindi).

    Pages take their language from the URL (/hi/…); the API lives outside i18n_patterns, where
    LocaleMiddleware falls back to English, so this reads the header instead. It runs after
    LocaleMiddleware and touches nothing but /api/.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response


class HistoryPathMiddleware:
    """Record changes made while serving a request as made through the admin, the partner API
    or the MSME pages (``taxonomy.history``), by the request's path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with changed_via(history_path_of(request.path_info)):
            return self.get_response(request)


def history_path_of(path_info: str) -> str:
    if path_info.startswith("/admin/"):
        return ChangePath.ADMIN
    if path_info.startswith("/api/"):
        return ChangePath.API
    return ChangePath.MSME
