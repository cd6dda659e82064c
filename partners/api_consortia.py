"""``/api/v1/consortia/``: teams of suppliers proposed for the partner's needs, with the
members' answers. Scoped as needs and matches are (another partner's consortium is a 404);
a page costs the same queries whatever its size (the consortia, then their members)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from consortia.models import Consortium, ConsortiumMember
from consortia.selectors import explained

from . import schema as docs
from . import selectors
from .api import PAGING_PARAMS, PartnerView
from .filters import ConsortiumFilter
from .match_rows import need_summary, supplier_place


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _with_members(consortia: QuerySet[Consortium]) -> QuerySet[Consortium]:
    members = ConsortiumMember.objects.select_related("supplier__district", "supplier__state")
    return consortia.select_related("need__facility", "need__process").prefetch_related(
        Prefetch("members", queryset=members.order_by("-share", "supplier_id"))
    )


def _consortium_data(consortium: Consortium) -> dict[str, Any]:
    need = consortium.need
    return {
        "id": consortium.pk,
        "need": need_summary(need),
        "rank": consortium.rank,
        "score": float(consortium.score),
        "status": consortium.status,
        "quantity": float(consortium.quantity),
        "unit": consortium.unit,
        "total_free": float(consortium.total_free),
        "spread_km": float(consortium.spread_km),
        "explanation": explained(consortium).as_data(),
        "members": [
            {
                "supplier": supplier_place(m.supplier),
                "role": m.role,
                "share": float(m.share),
                "free_capacity": float(m.free_capacity),
                "match_score": float(m.match_score),
                "km_to_lead": float(m.km_to_lead),
                "km_to_site": _number(m.km_to_site),
                "response": m.response,
                "responded_at": m.responded_at,
            }
            for m in consortium.members.all()
        ],
        "created_at": consortium.created_at,
        "updated_at": consortium.updated_at,
    }


def _build(rows: Sequence[Consortium]) -> list[dict[str, Any]]:
    return [_consortium_data(c) for c in rows]


class ConsortiumList(PartnerView):
    """Consortia proposed for the partner's needs (every facility's for a read-only partner),
    by id."""

    query_params = frozenset({*PAGING_PARAMS, *ConsortiumFilter.base_filters})

    @extend_schema(
        operation_id="consortia_list",
        parameters=docs.reading_parameters(*docs.PAGING, *docs.filter_parameters(ConsortiumFilter)),
        responses=docs.page_of(docs.ConsortiumOutput, name="Consortium"),
    )
    def get(self, request: Request) -> Response:
        consortia, _cleaned = self.filtered(
            ConsortiumFilter, selectors.scoped_consortia(self.scope)
        )
        return self.page_by_id(_with_members(consortia), _build)


class ConsortiumDetail(PartnerView):
    @extend_schema(
        operation_id="consortia_retrieve",
        parameters=docs.reading_parameters(docs.path_id("consortium_id", "The consortium's id.")),
        responses=docs.with_errors(docs.ConsortiumOutput, detail=True),
    )
    def get(self, request: Request, consortium_id: int) -> Response:
        consortium = selectors.consortium_for_partner(self.scope, consortium_id)
        consortium = _with_members(Consortium.objects.filter(pk=consortium.pk)).get()
        return self.respond(_consortium_data(consortium))
