"""What the OpenAPI schema says the partner API answers, including every error.

The hot views build their JSON without serializers (``api.py``); these serializers only
describe it. One error shape everywhere: ``taxonomy.api_errors``. Every parameter carries the
constraints the view enforces (a value the schema allows is accepted, one it forbids is a 400),
every answer its status codes and headers; ``tests/partners/test_contract.py`` holds the API to
it with Schemathesis.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from allocation.models import Recommendation
from clusters.models import Cluster
from consortia.models import Consortium, ConsortiumMember
from matching.models import COMPONENT_FIELDS, Match
from schemes.models import Facility, Need
from taxonomy.api_errors import ACCEPT_LANGUAGE, RETRY_AFTER, ErrorOutput
from taxonomy.choices import MsmeCategory

from .cursors import MAX_CURSOR_LENGTH, MAX_ID
from .filters import IdFilter, Rfc3339Filter, SlugFilter

__all__ = ["ErrorOutput", "FacilityOutput", "MatchOutput", "NeedOutput", "page_of", "with_errors"]

MAX_PAGE_SIZE = 200
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
CURSOR_SCHEMA = {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": MAX_CURSOR_LENGTH}

PAGING = [
    OpenApiParameter(
        "cursor",
        CURSOR_SCHEMA,
        description="The `next` link's cursor, as given; omit for page one. A cursor the API "
        "did not give, or one of another ordering, is a 400.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"1–{MAX_PAGE_SIZE}; 50 if omitted.",
    ),
]

# Headers a GET takes and gives (an ETag on every answer; If-None-Match makes it a 304).
CONDITIONAL = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="The ETag of the copy you hold: a 304 with no body if it is still current.",
    ),
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
        description="This answer's version, for If-None-Match.",
    ),
]
LANGUAGE = ACCEPT_LANGUAGE
# Headers of the error answers (described once here, added to every operation that can give them).
ERROR_HEADERS = [
    OpenApiParameter(
        "WWW-Authenticate",
        {"type": "string", "enum": ["Api-Key"]},
        location=OpenApiParameter.HEADER,
        response=[401],
        required=True,
        description="How to authenticate: `Authorization: Api-Key <key>`.",
    ),
    RETRY_AFTER,
]


def reading_parameters(*parameters: OpenApiParameter) -> list[OpenApiParameter]:
    """A GET's parameters: its own, the conditional and language headers, the error headers."""
    return [*parameters, *CONDITIONAL, LANGUAGE, *ERROR_HEADERS]


def writing_parameters(*parameters: OpenApiParameter) -> list[OpenApiParameter]:
    return [*parameters, LANGUAGE, *ERROR_HEADERS]


def path_id(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, ID_SCHEMA, location=OpenApiParameter.PATH, required=True, description=description
    )


def filter_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The filters as the view checks them: each value's type, range, pattern or choices."""
    parameters = []
    for name, field in filterset.base_filters.items():
        many = False
        schema: dict[str, Any]
        if isinstance(field, IdFilter):
            schema = dict(ID_SCHEMA)
        elif isinstance(field, SlugFilter):
            schema = {"type": "string", "pattern": field.pattern, "maxLength": field.max_length}
        elif isinstance(field, django_filters.NumberFilter):
            schema = {"type": "number"}
            if "min_value" in field.extra:
                schema["minimum"] = field.extra["min_value"]
            if "max_value" in field.extra:
                schema["maximum"] = field.extra["max_value"]
        elif isinstance(field, Rfc3339Filter):
            schema = {
                "anyOf": [
                    {"type": "string", "format": "date-time"},
                    {"type": "string", "format": "date"},
                ]
            }
        elif isinstance(field, django_filters.MultipleChoiceFilter):
            many = True
            choices = [v for v, _label in field.extra["choices"]]
            schema = {"type": "array", "items": {"type": "string", "enum": choices}}
        elif isinstance(field, django_filters.ChoiceFilter | django_filters.TypedChoiceFilter):
            schema = {"type": "string", "enum": [v for v, _label in field.extra["choices"]]}
        else:  # pragma: no cover - a new filter kind must be described here first
            raise TypeError(f"Describe the filter {name!r} ({type(field).__name__}).")
        parameters.append(
            OpenApiParameter(
                name,
                schema,
                explode=True if many else None,
                description=str(field.extra.get("help_text", "")),
            )
        )
    return parameters


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutput, description=description)


BAD_REQUEST = _error("Bad parameters or body: one error per field (`attr` names it).")
UNAUTHORIZED = _error("No key, or an invalid, revoked or expired key.")
NOT_FOUND = _error("Not found, or outside the key's scope.")
NOT_ACCEPTABLE = _error("The Accept header asks for something other than application/json.")
UNSUPPORTED = _error("The body is not application/json.")
THROTTLED = _error("Too many requests for this key: wait Retry-After seconds.")
NOT_MODIFIED = OpenApiResponse(description="Not modified: the If-None-Match ETag is current.")


def with_errors(
    ok: Any, extra: dict[int, OpenApiResponse] | None = None, *, detail: bool = False
) -> dict[int, Any]:
    """A GET's answers: 200, 304 and the errors it can give (404 only for one object)."""
    responses: dict[int, Any] = {
        200: ok,
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
        401: UNAUTHORIZED,
        406: NOT_ACCEPTABLE,
        429: THROTTLED,
    }
    if detail:
        responses[404] = NOT_FOUND
    return responses | (extra or {})


def write_responses(ok: Any, extra: dict[int, OpenApiResponse]) -> dict[int, Any]:
    """A write's answers: no 304, but 404 (the object), 415 (the body) and what ``extra`` adds."""
    return {
        200: ok,
        400: BAD_REQUEST,
        401: UNAUTHORIZED,
        404: NOT_FOUND,
        406: NOT_ACCEPTABLE,
        415: UNSUPPORTED,
        429: THROTTLED,
    } | extra


def page_of(item: Any, *, name: str, sync: bool = False) -> dict[int, Any]:
    fields: dict[str, serializers.Field] = {
        "next": serializers.URLField(allow_null=True, help_text="The next page; null at the end."),
        "results": item(many=True) if isinstance(item, type) else item,
    }
    if sync:
        fields["next_updated_since"] = serializers.DateTimeField(
            required=False,
            help_text="With updated_since: pass this as updated_since in the next sync, once "
            "every page is read: the sync reaches up to it, and the next one starts there.",
        )
    return with_errors(inline_serializer(f"{name}Page", fields))


def _choices(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, **kwargs)


class SiteOutput(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class FacilityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    number = serializers.IntegerField()
    name = serializers.CharField(help_text="In the Accept-Language where a Hindi name exists.")
    status = _choices(Facility.Status.choices)
    awardee = serializers.CharField(help_text="Empty until the facility is awarded.")
    cluster = serializers.SlugField(allow_null=True)
    capacity_mtpa = serializers.IntegerField(allow_null=True)
    site = SiteOutput(allow_null=True)
    updated_at = serializers.DateTimeField()


class ClusterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = _choices(Cluster.Kind.choices)
    status = _choices(Cluster.Status.choices)
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
    description = serializers.CharField(help_text="May be empty.")
    process = serializers.SlugField()
    quantity = serializers.FloatField()
    unit = _choices(Need._meta.get_field("unit").choices)
    monthly_capacity_min = serializers.FloatField(allow_null=True)
    max_tolerance_um = serializers.FloatField(allow_null=True)
    min_temperature_c = serializers.IntegerField(allow_null=True)
    required_certifications = serializers.ListField(child=serializers.CharField())
    radius_km = serializers.IntegerField(allow_null=True)
    preferred_category = _choices(MsmeCategory.choices, allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    status = _choices(Need.Status.choices)
    updated_at = serializers.DateTimeField()


class MatchNeedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="May be empty.")
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
    category = _choices(MsmeCategory.choices)
    district = DistrictOutput()
    state = serializers.CharField()
    verified = serializers.BooleanField()
    certifications = HeldCertificateOutput(many=True)
    contact = ContactOutput(allow_null=True, help_text="Only once the MSME has expressed interest.")


class ReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    figures = serializers.DictField()
    text = serializers.CharField(help_text="In the Accept-Language (English or Hindi).")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            field.removesuffix("_component"): {"type": "number", "minimum": 0, "maximum": 1}
            for field in COMPONENT_FIELDS
        },
        "required": [field.removesuffix("_component") for field in COMPONENT_FIELDS],
    }
)
class ComponentsField(serializers.DictField):
    """The score's parts, each from 0 to 1."""


class MatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="false: a match (a deleted one is a tombstone).")
    need = MatchNeedOutput()
    supplier = SupplierSummaryOutput()
    score = serializers.FloatField(min_value=0, max_value=100)
    components = ComponentsField()
    near_miss_rule = serializers.CharField(allow_null=True)
    no_longer_meets = serializers.ListField(child=serializers.CharField())
    status = _choices(Match.Status.choices)
    status_changed_at = serializers.DateTimeField(allow_null=True)
    interest_message = serializers.CharField(help_text="Empty until the MSME raised its hand.")
    facility_note = serializers.CharField(help_text="May be empty.")
    committed_quantity = serializers.FloatField(
        allow_null=True,
        help_text="While shortlisted or engaged: what the match takes of the supplier's monthly "
        "capacity, in the need's unit; else null.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reasons = ReasonOutput(many=True, required=False, help_text="With include=reasons.")
    near_miss = ReasonOutput(allow_null=True, required=False, help_text="With include=reasons.")
    no_longer_meets_reasons = ReasonOutput(
        many=True, required=False, help_text="With include=reasons."
    )


class MatchTombstoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField(help_text="true: the match is gone; delete your copy.")
    deleted_at = serializers.DateTimeField()


class MatchDetailOutput(MatchOutput):
    reasons = ReasonOutput(many=True)
    near_miss = ReasonOutput(allow_null=True)
    no_longer_meets_reasons = ReasonOutput(many=True)


MatchChange = PolymorphicProxySerializer(
    component_name="MatchChange",
    serializers=[MatchOutput, MatchTombstoneOutput],
    resource_type_field_name=None,
    many=True,
)


class ConsortiumSupplierOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    district = DistrictOutput()
    state = serializers.CharField(help_text="Two-letter state code.")


class ConsortiumMemberOutput(serializers.Serializer):
    supplier = ConsortiumSupplierOutput()
    role = _choices(ConsortiumMember.Role.choices, help_text="One lead, the others partners.")
    share = serializers.FloatField(help_text="Its monthly share of the need, in the need's unit.")
    free_capacity = serializers.FloatField(help_text="Its free monthly capacity when proposed.")
    match_score = serializers.FloatField(min_value=0, max_value=100)
    km_to_lead = serializers.FloatField()
    km_to_site = serializers.FloatField(allow_null=True)
    response = _choices(ConsortiumMember.Response.choices)
    responded_at = serializers.DateTimeField(allow_null=True)


class ConsortiumOutput(serializers.Serializer):
    id = serializers.IntegerField()
    need = MatchNeedOutput()
    rank = serializers.IntegerField(help_text="1 is the best team proposed for the need.")
    score = serializers.FloatField(min_value=0, max_value=100)
    status = _choices(Consortium.Status.choices)
    quantity = serializers.FloatField(help_text="The monthly quantity the team serves.")
    unit = _choices(Consortium._meta.get_field("unit").choices)
    total_free = serializers.FloatField(help_text="The members' free capacity together.")
    spread_km = serializers.FloatField(help_text="The farthest partner from the lead.")
    explanation = ReasonOutput()
    members = ConsortiumMemberOutput(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RecommendationSupplierOutput(ConsortiumSupplierOutput):
    """The recommended supplier."""


class RecommendationOutput(serializers.Serializer):
    need = MatchNeedOutput()
    match = serializers.IntegerField(help_text="The recommended match's id.")
    supplier = RecommendationSupplierOutput()
    score = serializers.FloatField(min_value=0, max_value=100)
    quantity = serializers.FloatField(help_text="The need's monthly quantity it takes.")
    unit = _choices(Recommendation._meta.get_field("unit").choices)
    rank_for_need = serializers.IntegerField(help_text="1: the need's best match.")
    higher_scoring_elsewhere = serializers.IntegerField(
        help_text="Higher-scoring suppliers of this need recommended for other needs instead."
    )
    reason = _choices(Recommendation.Reason.choices)
    text = serializers.CharField(help_text="Why, in the Accept-Language (English or Hindi).")
    free_before = serializers.FloatField(
        allow_null=True, help_text="The supplier's free monthly capacity before this need."
    )
    computed_at = serializers.DateTimeField(help_text="When the allocation was computed.")
