"""What the OpenAPI schema says the partner API answers, including every error.

The hot views build their JSON without serializers (``api.py``); these serializers only
describe it. One error shape everywhere: ``taxonomy.api_errors``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from matching.models import Match
from taxonomy.api_errors import ErrorOutput

from .filters import IdFilter

__all__ = ["ErrorOutput", "FacilityOutput", "MatchOutput", "NeedOutput", "page_of", "with_errors"]

PAGING = [
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="The `next` link's cursor; omit for page one."
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description="1–200; 50 if omitted.", many=False
    ),
]


def filter_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    parameters = []
    for name, field in filterset.base_filters.items():
        kind: Any = OpenApiTypes.STR
        enum = None
        many = False
        if isinstance(field, IdFilter):
            kind = OpenApiTypes.INT64
        elif isinstance(field, django_filters.NumberFilter):
            kind = OpenApiTypes.NUMBER
        elif isinstance(field, django_filters.IsoDateTimeFilter):
            kind = OpenApiTypes.DATETIME
        if isinstance(field, django_filters.ModelChoiceFilter):
            pass  # a slug or code: checked against the table, 400 if unknown
        elif isinstance(field, django_filters.MultipleChoiceFilter):
            many = True
            enum = [value for value, _label in field.extra["choices"]]
        elif isinstance(field, django_filters.ChoiceFilter):
            enum = [value for value, _label in field.extra["choices"]]
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                enum=enum,
                many=many,
                explode=True if many else None,
                description=str(field.extra.get("help_text", "")),
            )
        )
    return parameters


def _errors(write: bool = False) -> dict[int, OpenApiResponse]:
    responses = {
        400: OpenApiResponse(ErrorOutput, description="Bad parameters or body: field errors."),
        401: OpenApiResponse(
            ErrorOutput,
            description="No key, or an invalid, revoked or "
            "expired key (`WWW-Authenticate: Api-Key`).",
        ),
        404: OpenApiResponse(ErrorOutput, description="Not found, or outside the key's scope."),
        406: OpenApiResponse(ErrorOutput, description="Only application/json is served."),
        429: OpenApiResponse(ErrorOutput, description="Too many requests: see Retry-After."),
    }
    if write:
        responses[415] = OpenApiResponse(ErrorOutput, description="Send application/json.")
    return responses


def with_errors(
    ok: Any, extra: dict[int, OpenApiResponse] | None = None, *, write: bool = False
) -> dict[int, Any]:
    return {200: ok, 304: OpenApiResponse(description="Not modified (If-None-Match).")} | (
        _errors(write) | (extra or {})
    )


def page_of(item: type[serializers.Serializer], *, sync: bool = False) -> dict[int, Any]:
    fields: dict[str, serializers.Field] = {
        "next": serializers.URLField(allow_null=True, help_text="The next page; null at the end."),
        "results": item(many=True),
    }
    if sync:
        fields["next_updated_since"] = serializers.DateTimeField(
            required=False,
            help_text="With updated_since: pass this as updated_since in the next sync, once "
            "every page is read: the sync reaches up to it, and the next one starts there.",
        )
    return with_errors(inline_serializer(f"{item.__name__.removesuffix('Output')}Page", fields))


class SiteOutput(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class FacilityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    number = serializers.IntegerField()
    name = serializers.CharField(help_text="In the Accept-Language where a Hindi name exists.")
    status = serializers.CharField()
    awardee = serializers.CharField()
    cluster = serializers.SlugField(allow_null=True)
    capacity_mtpa = serializers.IntegerField(allow_null=True)
    site = SiteOutput(allow_null=True)
    updated_at = serializers.DateTimeField()


class ClusterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    state = serializers.CharField(help_text="Two-letter state code.")
    centre = SiteOutput()


class ProcessOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CategoryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    processes = ProcessOutput(many=True)


class NeedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The facility's own reference; may be empty.")
    facility = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField()
    process = serializers.SlugField()
    quantity = serializers.FloatField()
    unit = serializers.CharField()
    monthly_capacity_min = serializers.FloatField(allow_null=True)
    max_tolerance_um = serializers.FloatField(allow_null=True)
    min_temperature_c = serializers.IntegerField(allow_null=True)
    required_certifications = serializers.ListField(child=serializers.CharField())
    radius_km = serializers.IntegerField(allow_null=True)
    preferred_category = serializers.CharField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    updated_at = serializers.DateTimeField()


class MatchNeedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    facility = serializers.SlugField()
    process = serializers.SlugField()


class HeldCertificateOutput(serializers.Serializer):
    code = serializers.CharField()
    valid_until = serializers.DateField()
    verified = serializers.BooleanField()


class ContactOutput(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class DistrictOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class SupplierSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    district = DistrictOutput()
    state = serializers.CharField()
    verified = serializers.BooleanField()
    certifications = HeldCertificateOutput(many=True)
    contact = ContactOutput(allow_null=True, help_text="Only once the MSME has expressed interest.")


class ReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    figures = serializers.DictField()
    text = serializers.CharField(help_text="In the Accept-Language (English or Hindi).")


class MatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="true: a tombstone (only id and deleted_at).")
    deleted_at = serializers.DateTimeField(required=False)
    need = MatchNeedOutput(required=False)
    supplier = SupplierSummaryOutput(required=False)
    score = serializers.FloatField(required=False)
    components = serializers.DictField(child=serializers.FloatField(), required=False)
    near_miss_rule = serializers.CharField(allow_null=True, required=False)
    no_longer_meets = serializers.ListField(child=serializers.CharField(), required=False)
    status = serializers.ChoiceField(choices=Match.Status.choices, required=False)
    status_changed_at = serializers.DateTimeField(allow_null=True, required=False)
    interest_message = serializers.CharField(required=False)
    facility_note = serializers.CharField(required=False)
    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)
    reasons = ReasonOutput(many=True, required=False)
    near_miss = ReasonOutput(allow_null=True, required=False)
    no_longer_meets_reasons = ReasonOutput(many=True, required=False)


class MatchDetailOutput(MatchOutput):
    pass
