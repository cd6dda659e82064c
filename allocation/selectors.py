"""Read queries for the recommended allocation: set-based, one query for a page of matches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from taxonomy.formatting import quantity
from taxonomy.localized import Name

from .models import Recommendation

NOTE_FIELDS = (
    "match_id",
    "need_id",
    "supplier_id",
    "process__name",
    "process__name_hi",
    "rank_for_need",
    "higher_elsewhere",
    "reason",
    "quantity",
    "unit",
    "free_before",
    "run_id",
)


@dataclass(frozen=True)
class RecommendationNote:
    """That a match is recommended, and why, as a facility manager reads it."""

    match_id: int
    need_id: int
    supplier_id: int
    process_name_en: str
    process_name_hi: str
    rank_for_need: int
    higher_elsewhere: int
    reason: str
    quantity: Decimal
    unit: str
    free_before: Decimal | None
    run_id: int

    @property
    def process_name(self) -> str:
        """In the reader's language."""
        return str(Name(self.process_name_en, self.process_name_hi))

    def as_data(self) -> dict[str, object]:
        """For the partner API: the reason's code, its figures and the sentence."""
        return {
            "reason": self.reason,
            "rank_for_need": self.rank_for_need,
            "higher_scoring_elsewhere": self.higher_elsewhere,
            "quantity": f"{self.quantity:.2f}",
            "free_before": None if self.free_before is None else f"{self.free_before:.2f}",
            "text": self.text,
        }

    @property
    def why(self) -> str:
        """E.g. "the best total for CNC turning — its 5,000 pieces a month free cover this
        need (5,000 pieces); 2 higher-scoring suppliers are recommended for other needs of the
        process"."""
        if self.free_before is not None and self.quantity:
            covers = _("its %(free)s a month free cover this need (%(needed)s)") % {
                "free": quantity(self.free_before, self.unit),
                "needed": quantity(self.quantity, self.unit),
            }
        else:
            covers = _("this need asks no monthly quantity")
        if self.rank_for_need == 1:
            return _("its best match for %(process)s; %(covers)s") % {
                "process": self.process_name,
                "covers": covers,
            }
        if self.reason == Recommendation.Reason.CAPACITY_ELSEWHERE:
            elsewhere = ngettext(
                "%(count)s higher-scoring supplier is recommended for another need of the process",
                "%(count)s higher-scoring suppliers are recommended for other needs of the process",
                self.higher_elsewhere,
            ) % {"count": self.higher_elsewhere}
            return _("the best total for %(process)s — %(covers)s; %(elsewhere)s") % {
                "process": self.process_name,
                "covers": covers,
                "elsewhere": elsewhere,
            }
        return _("the best allocation for %(process)s found in the time allowed") % {
            "process": self.process_name
        }

    @property
    def text(self) -> str:
        return _("Recommended: %(why)s.") % {"why": self.why}


def _notes(recommendations: QuerySet[Recommendation]) -> list[RecommendationNote]:
    return [
        RecommendationNote(*row) for row in recommendations.order_by().values_list(*NOTE_FIELDS)
    ]


def recommendations_for_matches(match_ids: Iterable[int]) -> dict[int, RecommendationNote]:
    """The recommended ones among these matches, by match id: one query whatever their number."""
    ids = list(match_ids)
    if not ids:
        return {}
    found = _notes(Recommendation.objects.filter(match_id__in=ids))
    return {note.match_id: note for note in found}


def recommendation_for_need(need_id: int) -> RecommendationNote | None:
    """The need's recommendation, if it has one (one query)."""
    found = _notes(Recommendation.objects.filter(need_id=need_id))
    return found[0] if found else None
