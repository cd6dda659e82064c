"""``POST /api/v1/eligibility/check/``: the self-check's questions in, the same result out.

The input takes the questionnaire's fields (amounts as numbers of rupees or as typed: "2.5
crore"); ``forms.answers_from_cleaned`` turns them into the same ``Answers`` the page judges, and
the one engine judges them. Words come in the language ``Accept-Language`` asks for.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from clusters.models import District
from taxonomy.amounts import ABSURD_RUPEES, MAX_TYPED, parse_rupees
from taxonomy.api_errors import ACCEPT_LANGUAGE, RETRY_AFTER, error
from taxonomy.api_fields import (
    StrictBooleanField,
    StrictDateField,
    StrictIntegerField,
    decimal_input,
    slug_input,
    slug_list_input,
)
from taxonomy.choices import MsmeCategory
from taxonomy.models import CertificationType, Process, StrategicSector

from . import selectors, services
from .engine import CheckResult
from .forms import (
    MAX_CAPACITY_MTPA,
    MAX_NET_WORTH_CRORE,
    answers_from_cleaned,
    bidder_answer_errors,
)
from .models import EligibilityCheck


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": int(ABSURD_RUPEES)},
            {"type": "string", "minLength": 1, "maxLength": MAX_TYPED},
        ]
    }
)
class RupeesInput(serializers.Field):
    """Rupees: a number, or a string as people type it ("2.5 crore", "2,50,00,000")."""

    def to_internal_value(self, data: Any) -> int:
        try:
            return parse_rupees(data)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value: int) -> int:
        return value


class CheckInput(serializers.Serializer):
    udyam_registered = StrictBooleanField()
    investment_rupees = RupeesInput(
        help_text='Rupees: a number, or typed as people write it ("2.5 crore", "25 lakh", '
        '"2,50,00,000"; at most 40 characters).'
    )
    turnover_rupees = RupeesInput(help_text="Rupees, last financial year; as investment_rupees.")
    district = slug_input(District.objects.all(), help_text="District slug, e.g. rajkot.")
    processes = slug_list_input(
        Process.objects.all(), required=False, help_text="Process slugs (the taxonomy)."
    )
    certifications = slug_list_input(
        CertificationType.objects.all(),
        "code",
        required=False,
        help_text="Certificate codes held, e.g. ZED_BRONZE.",
    )
    sectors = slug_list_input(
        StrategicSector.objects.all(), required=False, help_text="Strategic sector slugs."
    )
    exports = StrictBooleanField(required=False, allow_null=True, default=None)
    bidding = StrictBooleanField(
        required=False,
        default=False,
        help_text="True: judge the bidder role too; capacity_sought_mtpa, net_worth_crore and "
        "consortium are then needed, and lead_equity_percent for a consortium.",
    )
    capacity_sought_mtpa = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_CAPACITY_MTPA
    )
    net_worth_crore = decimal_input(
        maximum=int(MAX_NET_WORTH_CRORE), places=2, required=False, allow_null=True
    )
    consortium = StrictBooleanField(
        required=False, default=False, help_text="False: the company bids alone."
    )
    lead_equity_percent = decimal_input(maximum=100, places=2, required=False, allow_null=True)
    as_of = StrictDateField(
        required=False, allow_null=True, help_text="Judge by the rules in force on this date."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = bidder_answer_errors(attrs)
        if errors:
            raise serializers.ValidationError({name: [message] for name, message in errors.items()})
        return attrs


class SourceOutput(serializers.Serializer):
    title = serializers.CharField()
    publisher = serializers.CharField()
    reference = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="Empty where the document's own address is not known.")


class CriterionOutput(serializers.Serializer):
    code = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")
    outcome = serializers.ChoiceField(choices=["pass", "fail", "unknown", "not_applicable"])
    required = serializers.BooleanField(source="criterion.is_required")
    illustrative = serializers.BooleanField(source="criterion.is_illustrative")
    explanation = serializers.CharField(source="criterion.explanation")
    how_to_qualify = serializers.CharField(source="criterion.how_to_qualify")
    source = SourceOutput(source="criterion.source", allow_null=True)


class RuleSetOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField()
    effective_from = serializers.DateField()
    source = SourceOutput(allow_null=True)


class RoleOutput(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField(source="role_label")
    summary = serializers.CharField(source="rule_set.summary")
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    illustrative = serializers.BooleanField(source="is_illustrative")
    rule_set = RuleSetOutput()
    criteria = CriterionOutput(many=True)
    to_do = serializers.SerializerMethodField()

    def get_to_do(self, role: Any) -> list[str]:
        return [str(criterion.how_to_qualify) for criterion in role.to_do]


class ResultOutput(serializers.Serializer):
    as_of = serializers.DateField(source="on")
    msme_category = serializers.SerializerMethodField()
    roles = RoleOutput(many=True)
    illustrative = serializers.BooleanField(
        source="is_illustrative",
        help_text="True when any role shown is REPM Connect's guidance, not the notified text.",
    )
    needs = inline_serializer(
        "NeedsOutput",
        {
            "candidates": serializers.IntegerField(),
            "matches": serializers.IntegerField(),
            "near_misses": serializers.IntegerField(),
        },
        allow_null=True,
    )
    bidder = inline_serializer(
        "BidderOutput",
        {
            "largest_capacity_mtpa": serializers.IntegerField(allow_null=True),
            "next_capacity_mtpa": serializers.IntegerField(allow_null=True),
            "next_net_worth_crore": serializers.DecimalField(
                max_digits=12, decimal_places=2, allow_null=True
            ),
        },
        allow_null=True,
    )
    result_url = serializers.SerializerMethodField()

    @extend_schema(
        responses=inline_serializer(
            "MsmeCategoryOutput",
            {
                "code": serializers.CharField(allow_null=True),
                "label": serializers.CharField(),
                "notification": serializers.CharField(),
                "limits": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get_msme_category(self, result: CheckResult) -> dict[str, Any]:
        return {
            "code": result.category,
            "label": selectors.category_label(result.category),
            "notification": result.limits_notification,
            "limits": [
                {
                    "category": code,
                    "label": str(MsmeCategory(code).label),
                    "max_investment_rupees": investment,
                    "max_turnover_rupees": turnover,
                }
                for code, investment, turnover in result.limits
            ],
        }

    def get_result_url(self, result: CheckResult) -> str:
        return self.context["result_url"]


class EligibilityAnonThrottle(AnonRateThrottle):
    """Anonymous callers share a modest rate (ELIGIBILITY_API_ANON_RATE, per address)."""

    scope = "eligibility_anon"

    def get_rate(self) -> str:
        return settings.ELIGIBILITY_API_ANON_RATE


class EligibilityCheckApi(APIView):
    """Judge an enterprise's answers by the rules in force, exactly as /eligibility/ does."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [EligibilityAnonThrottle]

    @extend_schema(
        operation_id="eligibility_check",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        request=CheckInput,
        responses={
            200: ResultOutput,
            400: error("Field errors, each with its field in attr."),
            406: error("Only application/json is served."),
            415: error("Send application/json."),
            429: error("Too many checks: retry after Retry-After seconds."),
        },
        tags=["eligibility"],
    )
    def post(self, request: Request) -> Response:
        data = CheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        answers = answers_from_cleaned(data.validated_data)
        saved, result = services.check_save(
            answers=answers,
            on=data.validated_data.get("as_of"),
            channel=EligibilityCheck.Channel.API,
        )
        url = request.build_absolute_uri(selectors.result_path(saved))
        return Response(
            ResultOutput(result, context={"result_url": url}).data, status=status.HTTP_200_OK
        )
