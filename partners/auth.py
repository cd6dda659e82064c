"""``Authorization: Api-Key <key>``: the partner API's only way in.

A key in the query string is refused outright (it would land in logs and browser history).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from . import selectors, services
from .models import ApiKey, Partner

KEYWORD = "Api-Key"
QUERY_KEY_NAMES = {"api_key", "apikey", "key", "api-key", "token", "access_token"}


class PartnerPrincipal:
    """``request.user`` of an API call: the partner, with its scope."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, api_key: ApiKey, scope: selectors.Scope) -> None:
        self.api_key = api_key
        self.partner: Partner = api_key.partner
        self.scope = scope
        self.pk = self.id = None  # not a user: nothing may store it as one

    def __str__(self) -> str:
        return f"partner {self.partner}"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, ApiKey] | None:
        if QUERY_KEY_NAMES & {name.lower() for name in request.query_params}:
            raise exceptions.AuthenticationFailed(
                _("Send the key in the Authorization header, never in the address.")
            )
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Use: Authorization: Api-Key <key>."))
        try:
            raw_key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from error
        credentials = selectors.credentials_for(raw_key)
        if credentials is None:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired API key."))
        api_key, scope = credentials
        services.api_key_mark_used(api_key=api_key)
        return PartnerPrincipal(api_key, scope), api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD  # a 401, with WWW-Authenticate, rather than a 403


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "partners.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; keys are made by administrators "
            "(`manage.py create_partner_key`).",
        }
