"""The allocation in the admin: "Recommended" and why beside matches (facility managers see
their own), the runs' log and its controls; bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from allocation import services
from allocation.models import AllocationRun
from tests.factories import MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


def need_url(need_id: int) -> str:
    return reverse("admin:schemes_need_change", args=[need_id])


def test_a_facility_manager_sees_recommended_and_why_beside_the_needs_matches(
    shop, managed_facility, facility_manager: Client, django_assert_max_num_queries: Any
) -> None:
    need = shop.need_b
    need.facility = managed_facility
    need.save()
    services.allocate_process(process_id=shop.process.pk)

    # Session, user, permissions, the need, the panel (rows, count, four explanations), the
    # form's choices, the recommended marks (one): as many whatever the number of matches.
    with django_assert_max_num_queries(20):
        page = facility_manager.get(need_url(need.pk)).content.decode()
    panel = page[page.index('id="matches"') :]
    assert panel.count("Recommended") == 1
    # Big Works scores higher for this need but is recommended for the other one.
    assert panel.index("Big Works") < panel.index("Small Works") < panel.index("Recommended")
    assert "The best total for CNC turning" in panel
    assert "its 5,000 pieces a month free cover this need (5,000 pieces)" in panel
    assert "1 higher-scoring supplier is recommended for another need of the process" in panel


def test_another_facilitys_need_and_its_recommendation_stay_hidden(
    shop, facility_manager: Client
) -> None:
    services.allocate_process(process_id=shop.process.pk)
    assert facility_manager.get(need_url(shop.need_a.pk)).status_code == 404


@pytest.mark.parametrize("extra", [2, 25])
def test_the_match_list_marks_recommended_matches_in_a_flat_number_of_queries(
    shop, admin_client: Client, django_assert_max_num_queries: Any, extra: int
) -> None:
    for _ in range(extra):  # needs asking no monthly quantity: each goes to spare
        MatchFactory(need=NeedFactory(process=shop.process), supplier=shop.spare, score=40)
    services.allocate_process(process_id=shop.process.pk)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:matching_match_changelist"))
    recommended = {m.pk for m in response.context["cl"].result_list if m.is_recommended}
    assert shop.matches[("a", "big")].pk in recommended
    assert len(recommended) == 2 + extra  # every other need has a single candidate
    filtered = admin_client.get(reverse("admin:matching_match_changelist") + "?recommended=yes")
    assert {m.pk for m in filtered.context["cl"].result_list} == recommended


def test_a_matchs_page_says_why_it_is_recommended(shop, admin_client: Client) -> None:
    services.allocate_process(process_id=shop.process.pk)
    match = shop.matches[("a", "big")]
    page = admin_client.get(reverse("admin:matching_match_change", args=[match.pk]))
    assert "Recommended: its best match for CNC turning" in page.content.decode()


def test_the_runs_list_shows_counts_and_a_scheme_admin_recomputes_a_process(
    shop, scheme_admin: Client, django_assert_max_num_queries: Any
) -> None:
    run = services.allocate_process(process_id=shop.process.pk)
    with django_assert_max_num_queries(12):
        page = scheme_admin.get(reverse("admin:allocation_allocationrun_changelist"))
    assert page.status_code == 200
    assert "Compute the allocation for all processes" in page.content.decode()

    response = scheme_admin.post(
        reverse("admin:allocation_allocationrun_changelist"),
        {"action": "recompute", "_selected_action": [run.pk]},
    )
    assert response.status_code == 302
    newest = AllocationRun.objects.order_by("-pk").first()
    assert newest.pk != run.pk and newest.process_id == shop.process.pk


def test_starting_every_process_from_the_admin_runs_the_allocation(
    shop, scheme_admin: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = scheme_admin.post(reverse("admin:allocation_allocationrun_start"))
    assert response.status_code == 302
    run = AllocationRun.objects.get()
    # Queued for a worker (with Redis) or already run in-process: either way it runs once.
    run = services.allocation_run_execute(run_id=run.pk)
    assert (run.process_id, run.status, run.recommended) == (None, "done", 2)


def test_a_facility_manager_cannot_start_runs(facility_manager: Client) -> None:
    response = facility_manager.post(reverse("admin:allocation_allocationrun_start"))
    assert response.status_code == 403
    assert not AllocationRun.objects.exists()
