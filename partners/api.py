"""The partner API under ``/api/v1/``: facilities, clusters, capabilities, needs and matches.

Every view is a thin ``PartnerView``: a key in the Authorization header, the partner's scope
(``selectors``), strict query parameters (an unknown or malformed one is a 400), keyset cursors,
an ETag on every GET (a matching ``If-None-Match`` is a 304), a rate per key (429 with
Retry-After). The match list is the hot path: it pages ``values()`` rows, adds the page's
certificates in one more query and renders with orjson; no serializer per row.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db.models import Q, QuerySet
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from clusters.models import Cluster
from matching import services as matching_services
from matching.models import FACILITY_DECISIONS, Match
from schemes.models import Facility, Need
from taxonomy.api_fields import StrictCharField, closed, decimal_input
from taxonomy.models import CapabilityCategory

from . import cursors, selectors
from . import schema as docs
from .auth import ApiKeyAuthentication, PartnerPrincipal
from .filters import MatchFilter, NeedFilter
from .match_rows import MATCH_VALUES, matches_data
from .match_rows import localized as _name
from .models import ApiKey, ChangeKind
from .renderers import OrjsonRenderer, PreRendered, dumps

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = docs.MAX_PAGE_SIZE
PAGING_PARAMS = {"cursor", "page_size"}
PAGE_SIZE = re.compile(r"[0-9]{1,3}")
SYNC_START = -1  # a mark's kind before either kind: a sync from ``since`` takes both at since


class IsPartner(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, PartnerPrincipal)


def _rate(rate: str) -> tuple[int, int]:
    """DRF's rate syntax: "1200/minute" is (1200, 60)."""
    number, period = rate.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def _count(key: str, timeout: int) -> int:
    """Add one to a counter in the cache and return it: one round trip to Redis (INCR and
    EXPIRE, pipelined; Django's ``incr`` asks whether the key exists first), Django's
    ``add`` and ``incr`` on any other cache."""
    default = caches["default"]
    if isinstance(default, RedisCache):
        full_key = default.make_and_validate_key(key)
        pipeline = default._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipeline.incr(full_key)
        pipeline.expire(full_key, timeout)
        return int(pipeline.execute()[0])
    cache.add(key, 0, timeout=timeout)
    return cache.incr(key)


class PartnerKeyThrottle(BaseThrottle):
    """PARTNER_API_RATE requests per key in each window (each minute for "1200/minute"); over
    it, a 429 with Retry-After (the seconds left in the window).

    A counter incremented in the cache, rather than DRF's SimpleRateThrottle, which reads and
    writes the whole list of the window's request times (1,200 of them at the default rate) on
    every request. A fixed window lets a key send up to twice its rate across a boundary."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        limit, period = _rate(settings.PARTNER_API_RATE)
        now = time.time()
        window = int(now // period)
        hits = _count(f"throttle_partner_key_{request.auth.pk}_{window}", period + 1)
        self.retry_after = (window + 1) * period - now
        return hits <= limit

    def wait(self) -> float:
        return self.retry_after


class PartnerView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsPartner]
    throttle_classes = [PartnerKeyThrottle]
    renderer_classes = [OrjsonRenderer]
    # Query parameters this view understands; any other is a 400 (a typo must not widen a sync).
    query_params: frozenset[str] = frozenset()

    @property
    def scope(self) -> selectors.Scope:
        return self.request.user.scope

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permission, throttle first
        self._check_query(request)

    def _check_query(self, request: Request) -> None:
        errors: dict[str, list[str]] = {}
        for name, values in request.query_params.lists():
            if name not in self.query_params:
                errors[name] = [_("Unknown parameter.")]
            elif any("\x00" in value for value in values):
                errors[name] = [_("NUL characters are not allowed.")]
            elif not all(values):  # "?facility=" must not quietly mean "every facility"
                errors[name] = [_("Give a value, or leave the parameter out.")]
            elif len(values) > 1 and name != "status":
                errors[name] = [_("Give this parameter once.")]
        if errors:
            raise ValidationError(errors)

    def page_size(self) -> int:
        raw = self.request.query_params.get("page_size")
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not PAGE_SIZE.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {"page_size": [_("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
            )
        return int(raw)

    def next_url(self, position: cursors.Position | None) -> str | None:
        if position is None:
            return None
        query = self.request.query_params.copy()
        query["cursor"] = cursors.encode(position)
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def respond(self, data: Any) -> Response:
        """A GET's answer with its ETag; a 304 when the client already holds this version."""
        body = dumps(data)
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        if etag in _etags(self.request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ("Authorization", "Accept-Language"))
            return not_modified  # type: ignore[return-value]
        response = Response(PreRendered(body))
        response["ETag"] = etag
        # Answers differ by key and language: shared caches keep none, clients revalidate.
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Authorization",))
        return response

    def filtered(self, filterset_class: type, queryset: QuerySet) -> tuple[QuerySet, dict]:
        given = frozenset(self.request.query_params) & frozenset(filterset_class.base_filters)
        filterset = _with_only(filterset_class, given)(self.request.query_params, queryset=queryset)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs, filterset.form.cleaned_data

    def page_by_id(self, queryset: QuerySet, build: Callable[[Sequence[Any]], list]) -> Response:
        size = self.page_size()
        cursor = self.request.query_params.get("cursor")
        if cursor:
            position = cursors.decode(cursor, "id")
            queryset = queryset.filter(pk__gt=position.id)
        rows = list(queryset.order_by("pk")[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        following = cursors.IdPosition(id=rows[-1].pk) if more else None
        return self.respond({"next": self.next_url(following), "results": build(rows)})


@functools.cache
def _with_only(filterset_class: type, names: frozenset[str]) -> type:
    """The filterset with only the filters a request gives: an absent filter filters nothing,
    and building every filter's form field (a model choice field with its queryset, a label)
    on every request cost more than the rest of the API's own work on the match list."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {})
    narrowed.base_filters = {
        name: field for name, field in filterset_class.base_filters.items() if name in names
    }
    return narrowed


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


# --- Reference lists ---------------------------------------------------------------------------


def _facility_data(facility: Facility) -> dict[str, Any]:
    return {
        "id": facility.pk,
        "slug": facility.slug,
        "number": facility.number,
        "name": _name(facility.name, facility.name_hi),
        "status": facility.status,
        "awardee": facility.awardee,
        "cluster": facility.cluster.slug if facility.cluster_id else None,
        "capacity_mtpa": facility.capacity_mtpa,
        "site": (
            {"latitude": facility.site_latitude, "longitude": facility.site_longitude}
            if facility.site_latitude is not None and facility.site_longitude is not None
            else None
        ),
        "updated_at": facility.updated_at,
    }


class FacilityList(PartnerView):
    """The scheme's integrated facilities (public facts, the same for every partner)."""

    query_params = frozenset(PAGING_PARAMS)

    @extend_schema(
        operation_id="facilities_list",
        parameters=docs.reading_parameters(*docs.PAGING),
        responses=docs.page_of(docs.FacilityOutput, name="Facility"),
    )
    def get(self, request: Request) -> Response:
        facilities = Facility.objects.select_related("cluster")
        return self.page_by_id(facilities, lambda rows: [_facility_data(f) for f in rows])


class ClusterList(PartnerView):
    """Industrial clusters and Rare Earth Corridors."""

    query_params = frozenset(PAGING_PARAMS)

    @extend_schema(
        operation_id="clusters_list",
        parameters=docs.reading_parameters(*docs.PAGING),
        responses=docs.page_of(docs.ClusterOutput, name="Cluster"),
    )
    def get(self, request: Request) -> Response:
        clusters = Cluster.objects.select_related("state")

        def build(rows: Sequence[Cluster]) -> list[dict[str, Any]]:
            return [
                {
                    "id": c.pk,
                    "slug": c.slug,
                    "name": _name(c.name, c.name_hi),
                    "kind": c.kind,
                    "status": c.status,
                    "state": c.state.code,
                    "centre": {"latitude": c.centre_latitude, "longitude": c.centre_longitude},
                }
                for c in rows
            ]

        return self.page_by_id(clusters, build)


class CapabilityList(PartnerView):
    """The capability taxonomy: categories and their processes (slugs used by every filter)."""

    query_params = frozenset(PAGING_PARAMS)

    @extend_schema(
        operation_id="capabilities_list",
        parameters=docs.reading_parameters(*docs.PAGING),
        responses=docs.page_of(docs.CategoryOutput, name="Category"),
    )
    def get(self, request: Request) -> Response:
        categories = CapabilityCategory.objects.prefetch_related("processes")

        def build(rows: Sequence[CapabilityCategory]) -> list[dict[str, Any]]:
            return [
                {
                    "slug": c.slug,
                    "name": _name(c.name, c.name_hi),
                    "processes": [
                        {"slug": p.slug, "name": _name(p.name, p.name_hi)}
                        for p in c.processes.all()
                    ],
                }
                for c in rows
            ]

        return self.page_by_id(categories, build)


# --- Needs -------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _need_data(need: Need) -> dict[str, Any]:
    return {
        "id": need.pk,
        "reference": need.external_ref,
        "facility": need.facility.slug,
        "title": need.title,
        "description": need.description,
        "process": need.process.slug,
        "quantity": _number(need.quantity),
        "unit": need.unit,
        "monthly_capacity_min": _number(need.min_monthly_capacity),
        "max_tolerance_um": _number(need.max_tolerance_um),
        "min_temperature_c": need.min_process_temperature_c,
        "required_certifications": sorted(c.code for c in need.required_certifications.all()),
        "radius_km": need.radius_km,
        "preferred_category": need.preferred_category or None,
        "due_date": need.due_date,
        "status": need.status,
        "updated_at": need.updated_at,
    }


def _needs(queryset: QuerySet[Need]) -> QuerySet[Need]:
    return queryset.select_related("facility", "process").prefetch_related(
        "required_certifications"
    )


class NeedList(PartnerView):
    """The needs of the partner's facilities (every facility's for a read-only partner)."""

    query_params = frozenset({*PAGING_PARAMS, *NeedFilter.base_filters})

    @extend_schema(
        operation_id="needs_list",
        parameters=docs.reading_parameters(*docs.PAGING, *docs.filter_parameters(NeedFilter)),
        responses=docs.page_of(docs.NeedOutput, name="Need"),
    )
    def get(self, request: Request) -> Response:
        needs, _cleaned = self.filtered(NeedFilter, selectors.scoped_needs(self.scope))
        return self.page_by_id(_needs(needs), lambda rows: [_need_data(n) for n in rows])


class NeedDetail(PartnerView):
    @extend_schema(
        operation_id="needs_retrieve",
        parameters=docs.reading_parameters(docs.path_id("need_id", "The need's id.")),
        responses=docs.with_errors(docs.NeedOutput, detail=True),
    )
    def get(self, request: Request, need_id: int) -> Response:
        need = selectors.need_for_partner(self.scope, need_id)
        need = _needs(Need.objects.filter(pk=need.pk)).get()
        return self.respond(_need_data(need))


# --- Matches -----------------------------------------------------------------------------------


class MatchList(PartnerView):
    """Matches of the partner's needs, best first; with ``updated_since``, every change since
    then, oldest first, deleted matches included as ``{"id", "deleted": true}`` tombstones."""

    query_params = frozenset({*PAGING_PARAMS, *MatchFilter.base_filters, "include"})

    @extend_schema(
        operation_id="matches_list",
        parameters=docs.reading_parameters(
            *docs.PAGING,
            *docs.filter_parameters(MatchFilter),
            OpenApiParameter(
                "include",
                {"type": "string", "enum": ["reasons"]},
                description="reasons: each match's reasons, near miss and why it no longer "
                "holds, as code, figures and text in the Accept-Language.",
            ),
        ),
        responses=docs.page_of(docs.MatchChange, name="Match", sync=True),
    )
    def get(self, request: Request) -> Response:
        include = request.query_params.get("include")
        if include not in (None, "reasons"):
            raise ValidationError({"include": [_('Only "reasons".')]})
        size = self.page_size()
        matches, cleaned = self.filtered(MatchFilter, selectors.scoped_matches(self.scope))
        since = cleaned.get("updated_since")
        if since is not None and since < matching_services.tombstones_kept_since():
            raise ValidationError(
                {
                    "updated_since": [
                        _(
                            "Deleted matches are kept for %(days)d days: pull every match "
                            "again without updated_since."
                        )
                        % {"days": settings.MATCH_TOMBSTONE_DAYS}
                    ]
                }
            )
        cursor = request.query_params.get("cursor")
        if since is None:
            rows, following = self._ranked(matches, cursor, size)
            extra: dict[str, Any] = {}
        else:
            rows, following, horizon = self._changes(matches, cleaned, since, cursor, size)
            extra = {"next_updated_since": horizon}
        live = [row for row in rows if not row.get("deleted")]
        data = iter(matches_data(live, reasons=include == "reasons"))
        results = [
            {"id": row["id"], "deleted": True, "deleted_at": row["changed_at"]}
            if row.get("deleted")
            else next(data)
            for row in rows
        ]
        return self.respond({"next": self.next_url(following), **extra, "results": results})

    @staticmethod
    def _ranked(
        matches: QuerySet[Match], cursor: str | None, size: int
    ) -> tuple[list[dict], cursors.Position | None]:
        if cursor:
            at = cursors.decode(cursor, "rank")
            matches = matches.filter(Q(score__lt=at.score) | Q(score=at.score, id__gt=at.id))
        rows = list(matches.order_by("-score", "id").values(*MATCH_VALUES)[: size + 1])
        if len(rows) <= size:
            return rows, None
        last = rows[size - 1]
        return rows[:size], cursors.RankPosition(score=last["score"], id=last["id"])

    def _changes(
        self,
        matches: QuerySet[Match],
        cleaned: dict[str, Any],
        since: datetime.datetime,
        cursor: str | None,
        size: int,
    ) -> tuple[list[dict], cursors.SyncPosition | None, datetime.datetime]:
        """Live matches changed since ``since`` and tombstones of deleted ones, in one order,
        up to the sync's horizon: the newest instant before which every change has committed
        (fixed on page one and carried in the cursor), so a sync misses nothing and the next
        one, from that horizon, repeats nothing.

        Tombstones follow only the facility and need filters (a deleted match's other facts are
        gone): a partner deletes what it holds and ignores ids it never had.
        """
        gone = selectors.scoped_tombstones(self.scope)
        if cleaned.get("facility"):
            gone = gone.filter(facility_id=cleaned["facility"].pk)
        if cleaned.get("need"):
            gone = gone.filter(need_id=cleaned["need"])
        if cursor:
            at = cursors.decode(cursor, "sync")
            mark = selectors.ChangeMark(at.changed_at, at.kind, at.id)
            horizon = at.horizon
        else:
            mark = selectors.ChangeMark(since, SYNC_START, 0)  # everything at or after since
            horizon = selectors.change_horizon()
        changes = selectors.changes_after(
            matches=matches, tombstones=gone, mark=mark, horizon=horizon, limit=size + 1
        )
        more = len(changes) > size
        changes = changes[:size]
        live = {
            row["id"]: row
            for row in matches.filter(
                pk__in=[match_id for mark, match_id in changes if mark.kind == ChangeKind.MATCH]
            )
            .order_by()
            .values(*MATCH_VALUES)
        }
        rows: list[dict[str, Any]] = []
        for change, match_id in changes:
            if change.kind == ChangeKind.DELETION:
                rows.append({"id": match_id, "deleted": True, "changed_at": change.at})
            elif match_id in live:  # deleted between the two queries: its tombstone comes next
                rows.append(live[match_id])
        if not more:
            return rows, None, horizon
        last = changes[-1][0]
        position = cursors.SyncPosition(
            changed_at=last.at, kind=last.kind, id=last.id, horizon=horizon
        )
        return rows, position, horizon


@closed
class MatchDecisionInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s.value for s in FACILITY_DECISIONS])
    note = StrictCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="What the MSME reads with the decision (no NUL characters).",
    )
    committed_quantity = decimal_input(
        maximum=999_999_999_999,
        places=2,
        allow_null=True,
        required=False,
        help_text="What a shortlist or engagement takes of the supplier's monthly capacity, in "
        "the need's unit; null: the need's monthly quantity; omitted: unchanged. Refused (409) "
        "beyond the supplier's free capacity.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        return attrs


class WholeBodySchema(AutoSchema):
    """This PATCH takes the decision whole (``status`` required), not DRF's partial update of
    every field: describe its body as a POST's."""

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        method, self.method = self.method, "POST"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = method


MATCH_ID = docs.path_id("match_id", "The match's id.")


class MatchDetail(PartnerView):
    """One match with its reasons; PATCH records the facility's decision."""

    query_params = frozenset()
    schema = WholeBodySchema()

    def _row(self, match_id: int) -> dict[str, Any]:
        match = selectors.match_for_partner(self.scope, match_id)
        row = Match.objects.filter(pk=match.pk).values(*MATCH_VALUES).get()
        return matches_data([row], reasons=True)[0]

    @extend_schema(
        operation_id="matches_retrieve",
        parameters=docs.reading_parameters(MATCH_ID),
        responses=docs.with_errors(docs.MatchDetailOutput, detail=True),
    )
    def get(self, request: Request, match_id: int) -> Response:
        return self.respond(self._row(match_id))

    @extend_schema(
        operation_id="matches_partial_update",
        parameters=docs.writing_parameters(MATCH_ID),
        request=MatchDecisionInput,
        responses=docs.write_responses(
            docs.MatchDetailOutput,
            {
                403: OpenApiResponse(
                    docs.ErrorOutput, description="A read-only partner (no facility)."
                ),
                409: OpenApiResponse(
                    docs.ErrorOutput,
                    description="Not a decision this match can take now (the MSME withdrew), "
                    "or a commitment beyond the supplier's free capacity.",
                ),
            },
        ),
    )
    def patch(self, request: Request, match_id: int) -> Response:
        match = selectors.match_for_partner(self.scope, match_id)
        if not self.scope.can_write:
            raise PermissionDenied(_("This partner reads every facility and writes none."))
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        decision = MatchDecisionInput(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            matching_services.match_facility_decide(
                match=match,
                status=decision.validated_data["status"],
                note=decision.validated_data["note"],
                committed_quantity=decision.validated_data.get(
                    "committed_quantity", matching_services.UNCHANGED
                ),
                partner_name=self.scope.partner.name,
            )
        except matching_services.MatchActionRefused as refused:
            return Response(
                {
                    "type": "client_error",
                    "errors": [{"code": "conflict", "detail": str(refused), "attr": refused.field}],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self._row(match.pk))
