"""A supplier's and a need's matches on their admin pages (best first, near misses said in
words, bounded queries), and a facility's page with its needs and a matches summary."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from matching.models import Match
from matching.selectors import facility_match_summary
from schemes.models import Facility, Need
from tests import factories as f
from vendors.models import Supplier

pytestmark = pytest.mark.django_db


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_a_needs_page_lists_its_matches_best_first_with_the_near_miss_in_words(
    admin_client: Client,
) -> None:
    need = f.NeedFactory(min_monthly_capacity=Decimal("10000"))
    best = f.MatchFactory(need=need, score=Decimal("91.25"))
    near = f.MatchFactory(need=need, score=Decimal("64"), near_miss_rule="capacity")
    f.SupplierCapabilityFactory(
        supplier=near.supplier, process=need.process, monthly_capacity=Decimal("8000")
    )
    f.MatchFactory(score=Decimal("99"))  # another need's

    page = admin_client.get(admin_url(Need, "change", need.pk)).content.decode()

    panel = page[page.index('id="matches"') :]
    assert "Matches (2)" in panel
    assert panel.index(best.supplier.name) < panel.index(near.supplier.name)
    assert "91.25" in panel
    assert "capacity 8,000 pieces/month, need ≥ 10,000" in panel
    assert f"?need__id__exact={need.pk}" in panel


def test_a_needs_page_shows_the_supplier_it_engaged_before_better_scored_suggestions(
    admin_client: Client,
) -> None:
    from matching.selectors import PANEL_ROWS

    need = f.NeedFactory()
    for _ in range(PANEL_ROWS):
        f.MatchFactory(need=need, score=Decimal("95"))
    engaged = f.MatchFactory(need=need, score=Decimal("40"), status=Match.Status.ENGAGED)

    page = admin_client.get(admin_url(Need, "change", need.pk)).content.decode()

    panel = page[page.index('id="matches"') :]
    assert engaged.supplier.name in panel
    assert panel.index(engaged.supplier.name) < panel.index("95")


def test_a_suppliers_page_lists_its_matches_and_links_to_all_of_them(
    admin_client: Client,
) -> None:
    supplier = f.SupplierFactory()
    for score in range(25):
        f.MatchFactory(supplier=supplier, score=Decimal(50 + score))

    page = admin_client.get(admin_url(Supplier, "change", supplier.pk)).content.decode()
    panel = page[page.index('id="matches"') :]

    assert "Matches (25)" in panel
    assert len(re.findall(r'href="/admin/matching/match/\d+/change/"', panel)) == 20
    assert "Showing the best 20." in panel
    assert f'href="/admin/matching/match/?supplier__id__exact={supplier.pk}"' in panel
    assert panel.index(">74<") < panel.index(">55<")  # best first
    listed = admin_client.get(f"/admin/matching/match/?supplier__id__exact={supplier.pk}")
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 25


@pytest.mark.parametrize("matches", [3, 30])
def test_a_needs_and_a_suppliers_page_cost_the_same_queries_however_many_matches(
    admin_client: Client, django_assert_max_num_queries: Any, matches: int
) -> None:
    need = f.NeedFactory()
    for _ in range(matches):
        f.MatchFactory(need=need)

    supplier = f.SupplierFactory()
    for _ in range(matches):
        f.MatchFactory(supplier=supplier)

    # The need: session, user, the need, the panel (its rows, count, and five for the
    # explanations), the form's choices (facilities, process, certificates, chosen ones), the
    # panel's recommended marks (allocation.admin, one query) and the need's consortia
    # (consortia.admin's panel; their members only when there are some).
    with django_assert_max_num_queries(16):
        assert admin_client.get(admin_url(Need, "change", need.pk)).status_code == 200
    # The supplier: the same panel, the supplier (who verified it joined), its certificates
    # awaiting verification (their buttons' forms), sectors, its inlines' rows and choices,
    # and the recommended marks.
    with django_assert_max_num_queries(19):
        assert admin_client.get(admin_url(Supplier, "change", supplier.pk)).status_code == 200


def test_a_facilitys_page_shows_its_needs_read_only_and_a_matches_summary(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    facility = f.FacilityFactory()
    matched = f.NeedFactory(facility=facility, title="Slicing lot A")
    f.NeedFactory(facility=facility, title="Plating lot B")  # open, no match: a gap
    f.NeedFactory(facility=facility, title="Closed lot C", status=Need.Status.CLOSED)
    f.MatchFactory(need=matched)
    f.MatchFactory(need=matched, near_miss_rule="radius")
    f.MatchFactory(need=matched, status=Match.Status.SHORTLISTED)
    for _ in range(10):
        f.NeedFactory(facility=facility)

    # Session, user, the summary (an aggregate, the gaps, the open needs and the gaps counted),
    # the facility, its stages and managers, its needs (process joined), the content type, the
    # form's choices (schemes, clusters, stages): as many for 13 needs as for one.
    with django_assert_max_num_queries(14):
        response = admin_client.get(admin_url(Facility, "change", facility.pk))

    page = response.content.decode()
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission
    assert "Slicing lot A" in page and "50,000 pieces" in page
    summary = page[page.index('id="matches-summary"') :]
    assert "<strong>12</strong> open needs" in summary
    assert "<strong>2</strong> matches" in summary
    assert "<strong>1</strong> near misses" in summary
    assert "<strong>1</strong> shortlisted" in summary
    assert "11</strong> open needs without a full match" in summary
    assert "Plating lot B" in summary


def test_the_facility_summary_counts_what_a_recount_finds() -> None:
    facility = f.FacilityFactory()
    needs = [f.NeedFactory(facility=facility) for _ in range(3)]
    f.MatchFactory(need=needs[0])
    f.MatchFactory(need=needs[0], near_miss_rule="certificates", status="interested")
    f.MatchFactory(need=needs[1], near_miss_rule="radius")
    f.MatchFactory()  # another facility's

    summary = facility_match_summary(facility.pk)

    mine = Match.objects.filter(need__facility=facility)
    assert summary.matches == mine.filter(near_miss_rule="").count() == 1
    assert summary.near_misses == mine.exclude(near_miss_rule="").count() == 2
    assert summary.by_status["interested"] == 1
    assert summary.open_needs == 3
    assert sorted(pk for pk, _title in summary.unmatched_needs) == sorted(
        [needs[1].pk, needs[2].pk]
    )


def test_the_match_list_finds_a_suppliers_matches_by_gstin_pan_or_udyam(
    admin_client: Client,
) -> None:
    wanted, other = f.MatchFactory(), f.MatchFactory()

    for term in (wanted.supplier.gstin, wanted.supplier.pan, wanted.supplier.udyam_number):
        response = admin_client.get(admin_url(Match, "changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [wanted], term
    assert other.supplier.gstin != wanted.supplier.gstin
