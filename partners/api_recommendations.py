"""``/api/v1/recommendations/``: the recommended allocation for the partner's open needs, one
supplier per need, with why. Scoped as needs are. The allocation is recomputed after rematches,
so this is read whole (by need id), not synced with ``updated_since``: a need missing from it
has no recommendation now (in hand, no candidate, or closed). A page costs the same queries
whatever its size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from allocation.models import Recommendation
from allocation.selectors import recommendations_for_matches

from . import cursors, selectors
from . import schema as docs
from .api import PAGING_PARAMS, PartnerView
from .filters import RecommendationFilter
from .match_rows import need_summary, supplier_place


def _with_rows(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return recommendations.select_related(
        "need__facility", "need__process", "supplier__district", "supplier__state", "run"
    )


def _build(rows: Sequence[Recommendation]) -> list[dict[str, Any]]:
    notes = recommendations_for_matches(r.match_id for r in rows)
    data = []
    for recommendation in rows:
        note = notes.get(recommendation.match_id)
        data.append(
            {
                "need": need_summary(recommendation.need),
                "match": recommendation.match_id,
                "supplier": supplier_place(recommendation.supplier),
                "score": float(recommendation.score),
                "quantity": float(recommendation.quantity),
                "unit": recommendation.unit,
                "rank_for_need": recommendation.rank_for_need,
                "higher_scoring_elsewhere": recommendation.higher_elsewhere,
                "reason": recommendation.reason,
                "text": note.text if note else "",
                "free_before": None
                if recommendation.free_before is None
                else float(recommendation.free_before),
                "computed_at": recommendation.run.finished_at or recommendation.created_at,
            }
        )
    return data


class RecommendationList(PartnerView):
    """The recommended supplier of each of the partner's open needs (every facility's for a
    read-only partner), by need id."""

    query_params = frozenset({*PAGING_PARAMS, *RecommendationFilter.base_filters})

    @extend_schema(
        operation_id="recommendations_list",
        parameters=docs.reading_parameters(
            *docs.PAGING, *docs.filter_parameters(RecommendationFilter)
        ),
        responses=docs.page_of(docs.RecommendationOutput, name="Recommendation"),
    )
    def get(self, request: Request) -> Response:
        recommendations, _cleaned = self.filtered(
            RecommendationFilter, selectors.scoped_recommendations(self.scope)
        )
        # By need, not by row: a re-allocation replaces the rows (new ids) but a need keeps
        # its place, so paging through a recomputation skips and repeats no need.
        size = self.page_size()
        if cursor := request.query_params.get("cursor"):
            after = cursors.decode(cursor, "id").id
            recommendations = recommendations.filter(need_id__gt=after)
        rows = list(_with_rows(recommendations).order_by("need_id")[: size + 1])
        following = cursors.IdPosition(id=rows[size - 1].need_id) if len(rows) > size else None
        return self.respond({"next": self.next_url(following), "results": _build(rows[:size])})
