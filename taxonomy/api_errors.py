"""The API's one error body (drf-standardized-errors), described once for the OpenAPI schema:
``{"type": "validation_error" | "client_error" | "server_error", "errors": [{"code", "detail",
"attr"}]}``; ``attr`` names the field or parameter (``processes.0`` inside a list)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorItem(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text="The field or parameter, if any.")


class ErrorOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    errors = ErrorItem(many=True)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutput, description=description)


# Headers every API operation may take or give, described once.
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="`hi` for Hindi names and words; English otherwise.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    {"type": "integer", "minimum": 0},
    location=OpenApiParameter.HEADER,
    response=[429],
    required=True,
    description="Seconds to wait before the next request.",
)
