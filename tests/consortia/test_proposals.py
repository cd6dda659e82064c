"""Proposals through the real matcher: who may be in a team, what is kept on re-proposal, and
members' answers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from consortia import selectors
from consortia.models import Consortium, ConsortiumMember
from consortia.services import ConsortiumActionRefused, member_respond, propose_for_needs
from matching.engine import evaluate_needs
from matching.models import Match, MatchRun
from matching.services import match_facility_decide, rematch_need
from schemes.models import Need
from tests import factories as f

from .conftest import Area, big_need, shop

Accepted = ConsortiumMember.Response.ACCEPTED


def proposals(need: Need) -> list[Consortium]:
    return list(Consortium.objects.filter(need=need).prefetch_related("members").order_by("rank"))


def test_members_each_pass_every_rule_but_capacity(area: Area) -> None:
    propose_for_needs([area.need.pk])
    consortia = proposals(area.need)
    assert consortia
    member_ids = {m.supplier_id for c in consortia for m in c.members.all()}
    verdicts = {e.supplier_id: e for e in evaluate_needs([area.need.pk], supplier_ids=member_ids)}
    for supplier_id in member_ids:
        assert verdicts[supplier_id].failures == ("capacity",)
    shop_ids = {s.pk for s in area.shops.values()}
    assert member_ids <= shop_ids
    assert not member_ids & {area.too_far.pk, area.too_coarse.pk, area.other_unit.pk}


def test_capacities_sum_to_the_need_and_shares_fit(area: Area) -> None:
    propose_for_needs([area.need.pk])
    for consortium in proposals(area.need):
        members = list(consortium.members.all())
        assert 2 <= len(members) <= 6
        assert sum(m.free_capacity for m in members) >= Decimal(60000)
        assert consortium.total_free == sum(m.free_capacity for m in members)
        assert sum(m.share for m in members) == Decimal(60000)
        assert all(m.share <= m.free_capacity for m in members)
        lead = [m for m in members if m.role == ConsortiumMember.Role.LEAD]
        assert len(lead) == 1
        assert all(lead[0].share >= m.share for m in members)
    ranks = [c.rank for c in proposals(area.need)]
    assert ranks == list(range(1, len(ranks) + 1))


def test_the_explanation_speaks_of_the_team(area: Area) -> None:
    propose_for_needs([area.need.pk])
    best = selectors.with_members(Consortium.objects.filter(need=area.need, rank=1)).get()
    text = selectors.explained(best).text
    count = best.members.count()
    assert text.startswith(f"{count} shops within ")
    assert "km of Hosur" in text
    assert "pieces/month together" in text


def test_ranking_is_deterministic(area: Area) -> None:
    propose_for_needs([area.need.pk])
    first = [(c.team_key, c.rank, c.score) for c in proposals(area.need)]
    Consortium.objects.all().delete()
    propose_for_needs([area.need.pk])
    assert [(c.team_key, c.rank, c.score) for c in proposals(area.need)] == first
    wanted = selectors.teams_wanted([area.need.pk])[area.need.pk]
    from consortia.teams import propose

    shuffled = list(wanted.candidates)
    random.Random(3).shuffle(shuffled)
    assert [t.key for t in propose(wanted.quantity, shuffled)] == [k for k, _r, _s in first]


def test_a_need_a_single_shop_can_serve_gets_no_consortium(area: Area) -> None:
    shop(70000, km_north=3)
    rematch_need(need_id=area.need.pk)
    propose_for_needs([area.need.pk])
    assert not Consortium.objects.filter(need=area.need).exists()


def test_committed_capacity_elsewhere_is_not_free(area: Area) -> None:
    biggest = area.shops[25000]
    other = big_need(min_monthly_capacity=Decimal(20000), max_tolerance_um=None)
    rematch_need(need_id=other.pk)
    match = Match.objects.get(need=other, supplier=biggest)
    match_facility_decide(match=match, status=Match.Status.SHORTLISTED, note="")
    wanted = selectors.teams_wanted([area.need.pk])[area.need.pk]
    assert wanted.by_supplier[biggest.pk].free == Decimal(5000)  # 25,000 less the 20,000
    propose_for_needs([area.need.pk])
    places = ConsortiumMember.objects.filter(supplier=biggest, consortium__need=area.need)
    assert all(member.free_capacity == Decimal(5000) for member in places)
    assert all(member.share <= Decimal(5000) for member in places)


def test_re_proposal_updates_the_same_team_and_replaces_the_unanswered(area: Area) -> None:
    propose_for_needs([area.need.pk])
    before = {c.team_key: c.pk for c in proposals(area.need)}
    report = propose_for_needs([area.need.pk])
    assert {c.team_key: c.pk for c in proposals(area.need)} == before
    assert report.created == 0 and report.deleted == 0
    # Close the need: every unanswered proposal goes.
    Need.objects.filter(pk=area.need.pk).update(status=Need.Status.CLOSED)
    propose_for_needs([area.need.pk])
    assert not Consortium.objects.filter(need=area.need).exists()


def test_an_answered_proposal_is_kept_and_marked_stale_when_it_no_longer_holds(area: Area) -> None:
    propose_for_needs([area.need.pk])
    best = proposals(area.need)[0]
    lead = best.members.get(role="lead")
    member_respond(consortium=best, supplier_id=lead.supplier_id, accept=True)
    Need.objects.filter(pk=area.need.pk).update(status=Need.Status.CLOSED)
    report = propose_for_needs([area.need.pk])
    best.refresh_from_db()
    assert best.status == Consortium.Status.STALE
    assert report.stale == 1
    assert Consortium.objects.filter(need=area.need).count() == 1
    lead.refresh_from_db()
    assert lead.response == Accepted  # what the MSME did stays
    with pytest.raises(ConsortiumActionRefused):
        member_respond(consortium=best, supplier_id=lead.supplier_id, accept=True)
    # Reopened once it holds again.
    Need.objects.filter(pk=area.need.pk).update(status=Need.Status.OPEN)
    propose_for_needs([area.need.pk])
    best.refresh_from_db()
    assert best.status == Consortium.Status.PROPOSED


def test_all_members_accepting_forms_the_consortium(area: Area) -> None:
    propose_for_needs([area.need.pk])
    best = proposals(area.need)[0]
    members = list(best.members.all())
    for member in members[:-1]:
        assert (
            member_respond(consortium=best, supplier_id=member.supplier_id, accept=True).status
            == "proposed"
        )
    formed = member_respond(consortium=best, supplier_id=members[-1].supplier_id, accept=True)
    assert formed.status == Consortium.Status.FORMED
    assert ConsortiumMember.objects.filter(
        consortium=best, responded_at__isnull=False
    ).count() == len(members)


def test_one_member_declining_makes_it_fall_through_and_it_is_not_proposed_again(
    area: Area,
) -> None:
    propose_for_needs([area.need.pk])
    best = proposals(area.need)[0]
    partner = best.members.filter(role="partner").first()
    assert (
        member_respond(consortium=best, supplier_id=partner.supplier_id, accept=False).status
        == "fallen"
    )
    lead = best.members.get(role="lead")
    with pytest.raises(ConsortiumActionRefused, match="fallen through"):
        member_respond(consortium=best, supplier_id=lead.supplier_id, accept=True)
    propose_for_needs([area.need.pk])
    best.refresh_from_db()
    assert best.status == Consortium.Status.FALLEN
    others = Consortium.objects.filter(need=area.need).exclude(pk=best.pk)
    assert not ConsortiumMember.objects.filter(
        consortium__in=others, supplier_id=partner.supplier_id
    ).exists()


def test_accepting_a_share_no_longer_free_is_refused(area: Area) -> None:
    """A place is accepted only while the member has its share free: promised elsewhere since
    the proposal, the answer is refused and nothing is recorded."""
    propose_for_needs([area.need.pk])
    best = proposals(area.need)[0]
    lead = best.members.get(role="lead")
    other = big_need(min_monthly_capacity=Decimal(1000), max_tolerance_um=None)
    rematch_need(need_id=other.pk)
    elsewhere = lead.free_capacity - lead.share + 1  # leaves one piece too few
    match_facility_decide(
        match=Match.objects.get(need=other, supplier_id=lead.supplier_id),
        status=Match.Status.ENGAGED,
        committed_quantity=elsewhere,
    )

    with pytest.raises(ConsortiumActionRefused, match="promised to other needs"):
        member_respond(consortium=best, supplier_id=lead.supplier_id, accept=True)
    lead.refresh_from_db()
    assert lead.response == ConsortiumMember.Response.PENDING


@pytest.mark.django_db(transaction=True)
def test_a_team_that_falls_through_is_followed_by_new_proposals(task_runner: None) -> None:
    from tests.conftest import matcher_settled
    from tests.test_celery_worker import wait_until

    need = big_need()
    for capacity, km in ((25000, 0), (20000, 20), (15000, 30), (12000, 25), (8000, 10)):
        shop(capacity, km_north=km)
    assert wait_until(matcher_settled, timeout=60)
    rematch_need(need_id=need.pk)
    propose_for_needs([need.pk])
    best = proposals(need)[0]
    partner = best.members.filter(role="partner").first()
    before = set(Consortium.objects.filter(need=need).values_list("pk", flat=True))

    member_respond(consortium=best, supplier_id=partner.supplier_id, accept=False)

    def proposed_anew() -> bool:
        now = set(Consortium.objects.filter(need=need).values_list("pk", "updated_at"))
        return any(pk not in before or at > best.updated_at for pk, at in now if pk != best.pk)

    assert wait_until(proposed_anew, timeout=60)
    assert (
        not ConsortiumMember.objects.filter(consortium__need=need, supplier_id=partner.supplier_id)
        .exclude(consortium=best)
        .exists()
    )


def test_a_supplier_outside_the_team_cannot_answer(area: Area) -> None:
    propose_for_needs([area.need.pk])
    best = proposals(area.need)[0]
    with pytest.raises(ConsortiumActionRefused):
        member_respond(consortium=best, supplier_id=area.too_far.pk, accept=True)


@pytest.mark.django_db(transaction=True)
def test_a_full_rematch_proposes_once_it_finishes(task_runner: None, area: Area) -> None:
    """Through every path: the run (in-process on the embedded default, on a real worker with
    Redis), its finishing signal, the queued task, the service."""
    from matching.services import match_run_start_full
    from tests.conftest import matcher_settled
    from tests.test_celery_worker import wait_until

    # Creating the area already proposed (each supplier's own rematch does): start clean.
    assert wait_until(matcher_settled, timeout=60)
    Consortium.objects.all().delete()
    run = match_run_start_full(started_by=None)
    assert wait_until(
        lambda: matcher_settled() and Consortium.objects.filter(need=area.need).exists(),
        timeout=60,
    )
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE


def test_a_run_of_one_need_proposes_for_it(area: Area) -> None:
    from consortia.tasks import propose_after_run

    run = f.MatchRunFactory(
        status=MatchRun.Status.DONE, scope=MatchRun.Scope.NEED, target_id=area.need.pk
    )
    assert propose_after_run(run.pk) == 1
    assert Consortium.objects.filter(need=area.need).exists()


@pytest.mark.django_db(transaction=True)
def test_a_shortlist_elsewhere_that_leaves_a_need_without_a_single_supplier_proposes_teams(
    task_runner: None,
) -> None:
    """Committed capacity reaches consortia on its own: the shortlist (a service) rematches the
    supplier, whose rematch re-proposes for its needs (a real worker with Redis)."""
    from tests.conftest import matcher_settled
    from tests.test_celery_worker import wait_until

    need = big_need(min_monthly_capacity=Decimal(30000))
    big = shop(40000)
    for capacity, km in ((20000, 10), (15000, 20)):
        shop(capacity, km_north=km)
    other = big_need(min_monthly_capacity=Decimal(20000), max_tolerance_um=None)
    assert wait_until(matcher_settled, timeout=60)
    rematch_need(need_id=need.pk)
    rematch_need(need_id=other.pk)
    assert Match.objects.get(need=need, supplier=big).near_miss_rule == ""
    assert not Consortium.objects.filter(need=need).exists()

    match_facility_decide(
        match=Match.objects.get(need=other, supplier=big), status=Match.Status.ENGAGED
    )

    assert wait_until(lambda: Consortium.objects.filter(need=need).exists(), timeout=60)
    assert Match.objects.get(need=need, supplier=big).near_miss_rule == "capacity"
