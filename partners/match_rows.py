"""A match as the partner API and the webhooks carry it, built from ``values()`` rows: no
serializer per row (the list is the API's hot path), one more query for a page's certificates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from matching.capacity import commitment_of
from matching.models import COMPONENT_FIELDS, CONTACT_VISIBLE, Match
from matching.selectors import match_explanations
from taxonomy.localized import reading_hindi
from vendors.models import Certification


def localized(en: str, hi: str) -> str:
    """A name in the reader's language (Accept-Language): Hindi where one is written."""
    return hi if hi and reading_hindi() else en


MATCH_VALUES = (
    "id",
    "need_id",
    "supplier_id",
    "score",
    *COMPONENT_FIELDS,
    "near_miss_rule",
    "no_longer_meets_rules",
    "status",
    "status_changed_at",
    "interest_message",
    "facility_note",
    "committed_quantity",
    "created_at",
    "updated_at",
    "need__external_ref",
    "need__min_monthly_capacity",
    "need__title",
    "need__facility__slug",
    "need__process__slug",
    "supplier__name",
    "supplier__category",
    "supplier__district__slug",
    "supplier__district__name",
    "supplier__district__name_hi",
    "supplier__state__code",
    "supplier__is_verified",
    "supplier__contact_name",
    "supplier__contact_email",
    "supplier__contact_phone",
)


def _certificates_of(supplier_ids: Iterable[int], today: datetime.date) -> dict[int, list[dict]]:
    """The certificates each supplier holds today, in one query for the page."""
    held: dict[int, list[dict]] = {}
    rows = (
        Certification.objects.filter(supplier_id__in=set(supplier_ids), valid_until__gte=today)
        .order_by("supplier_id", "certification_type__code")
        .values_list("supplier_id", "certification_type__code", "valid_until", "is_verified")
    )
    for supplier_id, code, valid_until, verified in rows:
        held.setdefault(supplier_id, []).append(
            {"code": code, "valid_until": valid_until, "verified": verified}
        )
    return held


def need_summary(need: Any) -> dict[str, Any]:
    """A need as a match, a consortium or a recommendation names it (facility and process
    joined)."""
    return {
        "id": need.pk,
        "reference": need.external_ref,
        "title": need.title,
        "facility": need.facility.slug,
        "process": need.process.slug,
    }


def supplier_place(supplier: Any) -> dict[str, Any]:
    """A supplier with where it is (district and state joined), for a team or a
    recommendation."""
    return {
        "id": supplier.pk,
        "name": supplier.name,
        "district": {
            "slug": supplier.district.slug,
            "name": localized(supplier.district.name, supplier.district.name_hi),
        },
        "state": supplier.state.code,
    }


def _committed(row: dict[str, Any]) -> float | None:
    """What the match takes of the supplier's capacity while shortlisted or engaged; else
    None. A number, as the API's other quantities are."""
    taken = commitment_of(
        status=row["status"],
        committed_quantity=row["committed_quantity"],
        need_quantity=row["need__min_monthly_capacity"],
    )
    return None if taken is None else float(taken)


def match_data(row: dict[str, Any], certificates: list[dict]) -> dict[str, Any]:
    """One match as the API (and the webhooks) carry it, from a ``MATCH_VALUES`` row."""
    contact_visible = row["status"] in CONTACT_VISIBLE
    return {
        "id": row["id"],
        "deleted": False,
        "need": {
            "id": row["need_id"],
            "reference": row["need__external_ref"],
            "title": row["need__title"],
            "facility": row["need__facility__slug"],
            "process": row["need__process__slug"],
        },
        "supplier": {
            "id": row["supplier_id"],
            "name": row["supplier__name"],
            "category": row["supplier__category"],
            "district": {
                "slug": row["supplier__district__slug"],
                "name": localized(
                    row["supplier__district__name"], row["supplier__district__name_hi"]
                ),
            },
            "state": row["supplier__state__code"],
            "verified": row["supplier__is_verified"],
            "certifications": certificates,
            "contact": (
                {
                    "name": row["supplier__contact_name"],
                    "email": row["supplier__contact_email"],
                    "phone": row["supplier__contact_phone"],
                }
                if contact_visible
                else None
            ),
        },
        "score": float(row["score"]),
        "components": {
            field.removesuffix("_component"): float(row[field]) for field in COMPONENT_FIELDS
        },
        "near_miss_rule": row["near_miss_rule"] or None,
        "no_longer_meets": row["no_longer_meets_rules"].split(",")
        if row["no_longer_meets_rules"]
        else [],
        "status": row["status"],
        "status_changed_at": row["status_changed_at"],
        "interest_message": row["interest_message"] if contact_visible else "",
        "facility_note": row["facility_note"],
        "committed_quantity": _committed(row),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def matches_data(rows: Sequence[dict[str, Any]], *, reasons: bool = False) -> list[dict]:
    today = timezone.localdate()
    certificates = _certificates_of((row["supplier_id"] for row in rows), today)
    data = [match_data(row, certificates.get(row["supplier_id"], [])) for row in rows]
    if reasons and rows:
        explained = match_explanations(
            [
                Match(
                    id=row["id"],
                    need_id=row["need_id"],
                    supplier_id=row["supplier_id"],
                    near_miss_rule=row["near_miss_rule"],
                    no_longer_meets_rules=row["no_longer_meets_rules"],
                )
                for row in rows
            ],
            today=today,
        )
        for item in data:
            explanation = explained[item["id"]]
            item["reasons"] = [reason.as_data() for reason in explanation.reasons]
            item["near_miss"] = explanation.near_miss.as_data() if explanation.near_miss else None
            item["no_longer_meets_reasons"] = [r.as_data() for r in explanation.no_longer_meets]
    return data
