"""Actions on consortia: propose teams for needs, and members' answers.

Proposals belong to the builder until someone answers. A re-proposal (after a full rematch, or
on demand for one need) therefore
  * updates the row of a team found again (same need, same members): its rank, score, shares;
  * deletes a proposal nobody answered that is no longer among the best;
  * never deletes one a member answered: it stays, its status following the answers
    (formed, fallen), and is marked stale once it no longer holds (the need closed or found a
    full match, a member stopped being a candidate, or the members' free capacity no longer
    reaches the need). A stale proposal that holds again is reopened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.capacity import free_for_need
from schemes.models import Need
from taxonomy.formatting import quantity

from . import selectors
from .models import Consortium, ConsortiumMember
from .selectors import NeedForTeams
from .teams import Team, TeamRules, propose

logger = logging.getLogger(__name__)

# Needs proposed for in one transaction: their near misses (up to a few thousand each) are read
# at once, so a batch bounds memory and how long the needs' rows are locked.
BATCH_NEEDS = 50
ONE_PLACE = Decimal("0.1")


@dataclass
class ProposalReport:
    needs: int = 0  # needs looked at
    wanting: int = 0  # of which want a team
    created: int = 0
    updated: int = 0
    deleted: int = 0
    stale: int = 0
    seconds: float = 0.0

    def add(self, other: ProposalReport) -> None:
        for name in ("needs", "wanting", "created", "updated", "deleted", "stale"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _km(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1))).quantize(ONE_PLACE)


def _status_from_answers(members: Iterable[ConsortiumMember], *, holds: bool) -> str:
    responses = [m.response for m in members]
    if ConsortiumMember.Response.DECLINED in responses:
        return Consortium.Status.FALLEN
    if not holds:
        return Consortium.Status.STALE
    if all(r == ConsortiumMember.Response.ACCEPTED for r in responses):
        return Consortium.Status.FORMED
    return Consortium.Status.PROPOSED


def _holds(consortium: Consortium, wanted: NeedForTeams | None) -> bool:
    """Whether an answered consortium is still a valid team for its need."""
    if wanted is None:
        return False
    candidates = wanted.by_supplier
    members = list(consortium.members.all())
    if any(m.supplier_id not in candidates for m in members):
        return False
    together = sum((candidates[m.supplier_id].free for m in members), start=Decimal(0))
    return together >= wanted.quantity


def _figures(consortium: Consortium, team: Team, rank: int, wanted: NeedForTeams) -> None:
    consortium.rank = rank
    consortium.score = team.score
    consortium.quantity = wanted.quantity
    consortium.unit = wanted.unit
    consortium.total_free = team.total_free
    consortium.spread_km = _km(team.spread_km)
    consortium.place = team.lead.place[:80]


def _member_figures(member: ConsortiumMember, team_member: object) -> None:
    member.role = team_member.role
    member.share = team_member.share
    member.free_capacity = team_member.free
    member.match_score = team_member.score
    member.km_to_lead = _km(team_member.km_to_lead)
    member.km_to_site = _km(team_member.km_to_site)


def propose_for_needs(need_ids: Iterable[int], *, rules: TeamRules | None = None) -> ProposalReport:
    """Propose teams for these needs, and settle the proposals they already have."""
    started = time.perf_counter()
    need_ids = sorted(set(need_ids))
    report = ProposalReport()
    for start in range(0, len(need_ids), BATCH_NEEDS):
        report.add(_propose_batch(need_ids[start : start + BATCH_NEEDS], rules or TeamRules()))
    report.seconds = time.perf_counter() - started
    return report


def propose_all(*, rules: TeamRules | None = None) -> ProposalReport:
    """Every need that wants a team, and every need holding proposals (to settle them)."""
    need_ids = set(selectors.needs_wanting_teams().values_list("pk", flat=True))
    need_ids.update(Consortium.objects.order_by().values_list("need_id", flat=True).distinct())
    report = propose_for_needs(need_ids, rules=rules)
    logger.info(
        "Consortia for %s need(s) (%s want a team): %s created, %s updated, %s deleted, "
        "%s stale in %.1f s",
        report.needs, report.wanting, report.created, report.updated, report.deleted,
        report.stale, report.seconds,
    )  # fmt: skip
    return report


@transaction.atomic
def _propose_batch(need_ids: list[int], rules: TeamRules) -> ProposalReport:
    # Lock the needs first, in id order: two proposals for the same need (a full run's and an
    # administrator's) then take turns, and neither inserts a team the other just inserted.
    locked = list(
        Need.objects.filter(pk__in=need_ids)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    report = ProposalReport(needs=len(locked))
    wanted = selectors.teams_wanted(locked)
    report.wanting = len(wanted)
    # Lock the existing proposals too: a member answering now waits, then finds its row as
    # settled here (deleted only if nobody had answered, see member_respond).
    existing: dict[int, dict[str, Consortium]] = {need_id: {} for need_id in locked}
    for consortium in (
        Consortium.objects.filter(need_id__in=locked)
        .select_for_update()
        .prefetch_related("members")
        .order_by("pk")
    ):
        existing[consortium.need_id][consortium.team_key] = consortium
    to_delete: list[int] = []
    to_update: list[Consortium] = []
    members_to_update: list[ConsortiumMember] = []
    to_create: list[tuple[Consortium, Team]] = []
    for need_id in locked:
        need = wanted.get(need_id)
        teams = propose(need.quantity, need.candidates, rules) if need else []
        found = {team.key: (rank, team) for rank, team in enumerate(teams, start=1)}
        for key, consortium in existing[need_id].items():
            members = list(consortium.members.all())
            answered = any(m.response != ConsortiumMember.Response.PENDING for m in members)
            if not answered and key not in found:
                to_delete.append(consortium.pk)
                continue
            if not answered:
                rank, team = found[key]
                _figures(consortium, team, rank, need)
                consortium.status = Consortium.Status.PROPOSED
                by_supplier = {m.supplier_id: m for m in team.members}
                for member in members:
                    _member_figures(member, by_supplier[member.supplier_id])
                    members_to_update.append(member)
                to_update.append(consortium)
                continue
            # Someone answered: keep what they did; only the status follows the facts.
            status = _status_from_answers(members, holds=_holds(consortium, need))
            if key in found:
                consortium.rank = found[key][0]
            if status == Consortium.Status.STALE and consortium.status != status:
                report.stale += 1
            consortium.status = status
            to_update.append(consortium)
        for key, (rank, team) in found.items():
            if key in existing[need_id]:
                continue
            consortium = Consortium(need_id=need_id, team_key=key)
            _figures(consortium, team, rank, need)
            to_create.append((consortium, team))
    if to_delete:
        report.deleted = (
            Consortium.objects.filter(pk__in=to_delete).delete()[1].get(Consortium._meta.label, 0)
        )
    if to_update:
        now = timezone.now()
        for consortium in to_update:
            consortium.updated_at = now
        Consortium.objects.bulk_update(
            to_update,
            ["rank", "score", "quantity", "unit", "total_free", "spread_km", "place", "status",
             "updated_at"],
        )  # fmt: skip
        report.updated = len(to_update)
    if members_to_update:
        ConsortiumMember.objects.bulk_update(
            members_to_update,
            ["role", "share", "free_capacity", "match_score", "km_to_lead", "km_to_site"],
        )
    if to_create:
        created = Consortium.objects.bulk_create([c for c, _team in to_create])
        new_members = []
        for consortium, (_unsaved, team) in zip(created, to_create, strict=True):
            for team_member in team.members:
                member = ConsortiumMember(
                    consortium=consortium, supplier_id=team_member.supplier_id
                )
                _member_figures(member, team_member)
                new_members.append(member)
        ConsortiumMember.objects.bulk_create(new_members)
        report.created = len(created)
    return report


# --- Members' answers ----------------------------------------------------------------------------


class ConsortiumActionRefused(Exception):
    """The answer cannot be taken now; the message says why, in the reader's language."""


@transaction.atomic
def member_respond(*, consortium: Consortium, supplier_id: int, accept: bool) -> Consortium:
    """A member accepts or declines its place. Every member accepting forms the consortium;
    one declining makes it fall through. Refused on a consortium that is stale or has fallen
    through, on a closed need, and for a supplier that is no member."""
    # The row lock orders this against a re-proposal (which locks the same rows) and against
    # another member answering at the same moment: each sees the other's answer.
    locked = (
        Consortium.objects.select_for_update().select_related("need").filter(pk=consortium.pk)
    ).first()
    if locked is None:
        raise ConsortiumActionRefused(
            _("This team proposal has been replaced by a newer one: see your consortia.")
        )
    if locked.status == Consortium.Status.STALE:
        raise ConsortiumActionRefused(
            _(
                "This team no longer works for the need (the need or a member's capacity "
                "changed), so it cannot take answers any more."
            )
        )
    if locked.status == Consortium.Status.FALLEN:
        raise ConsortiumActionRefused(
            _("This team has fallen through: a member declined its place.")
        )
    if locked.need.status != Need.Status.OPEN:
        raise ConsortiumActionRefused(_("The need is closed."))
    members = list(locked.members.order_by("pk"))
    mine = next((m for m in members if m.supplier_id == supplier_id), None)
    if mine is None:
        raise ConsortiumActionRefused(_("Your enterprise has no place in this team."))
    if accept and (free := _free_for(locked.need, supplier_id)) is not None and free < mine.share:
        raise ConsortiumActionRefused(
            _(
                "Your free capacity for this process is now %(free)s a month, less than your "
                "share of %(share)s: it has been promised to other needs since the team was "
                "proposed."
            )
            % {"free": quantity(free, locked.unit), "share": quantity(mine.share, locked.unit)}
        )
    response = ConsortiumMember.Response.ACCEPTED if accept else ConsortiumMember.Response.DECLINED
    if mine.response != response:
        mine.response = response
        mine.responded_at = timezone.now()
        mine.save(update_fields=["response", "responded_at"])
    status = _status_from_answers(members, holds=True)
    if status != locked.status:
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    else:
        locked.save(update_fields=["updated_at"])  # partners' syncs see the answer
    if status == Consortium.Status.FALLEN:
        # The facility is not left with a fallen team: propose anew (a supplier that declined
        # is not proposed for this need again).
        from .tasks import propose_for_needs as propose_task

        need_id = locked.need_id
        transaction.on_commit(lambda: propose_task.delay([need_id]), robust=True)
    return locked


def _free_for(need: Need, supplier_id: int) -> Decimal | None:
    """The supplier's free capacity for this need's process (what it has not promised to other
    needs), its capability locked until the answer commits; None when it cannot be told."""
    line = free_for_need(
        supplier_id=supplier_id, need_id=need.pk, process_id=need.process_id, lock=True
    )
    if line is None or line.capacity is None or line.unit != need.unit:
        return None
    return line.free
