"""Operating the matcher from the admin: start a full rematch (refused while one runs), watch a
run's progress, see failed and stale runs with their reasons and resume them; and new scoring
weights saved only after a preview of what they would do."""

from __future__ import annotations

import datetime
import random
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching.models import (
    COMPONENT_FIELDS,
    SCORE_COMPONENTS,
    Match,
    MatchRun,
    MatchRunChunk,
    ScoringProfile,
)
from matching.rules import HIGH_SCORE, weighted_score
from matching.selectors import ScoringPreview, scoring_preview
from matching.services import matches_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/matching/matchrun/"
START = "/admin/matching/matchrun/start/"


def run_page(run: MatchRun) -> str:
    return reverse("admin:matching_matchrun_change", args=[run.pk])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def matched_need() -> Any:
    need = f.NeedFactory()
    f.SupplierCapabilityFactory(process=need.process)
    return need


# --- Start a full rematch ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_scheme_administrator_starts_a_full_rematch_and_it_runs(
    scheme_admin: Client, scheme_admin_user: Any, matched_need: Any
) -> None:
    response = scheme_admin.post(START, follow=True)

    run = MatchRun.objects.get()
    assert (run.scope, run.trigger, run.started_by) == ("full", "admin", scheme_admin_user)
    assert response.redirect_chain[-1][0] == run_page(run)
    assert f"Full rematch started: run #{run.pk}." in messages_of(response)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE  # in-process here; on workers with a broker
    assert Match.objects.filter(need=matched_need).count() == 1


def test_a_second_full_rematch_is_refused_while_one_is_unfinished(scheme_admin: Client) -> None:
    running = f.MatchRunFactory(status=MatchRun.Status.RUNNING, chunks_total=10, chunks_done=4)

    page = scheme_admin.get(CHANGELIST).content.decode()
    response = scheme_admin.post(START, follow=True)

    assert re.search(r"<button type=\"submit\" disabled[^>]*>Start a full rematch</button>", page)
    assert MatchRun.objects.get() == running
    assert messages_of(response) == [
        f"Run #{running.pk}, a full rematch, has not finished (4 of 10 chunks): watch it, or "
        "resume it if it is stuck."
    ]


def test_starting_takes_a_post_from_someone_allowed_to_operate_runs(
    scheme_admin: Client, facility_manager: Client
) -> None:
    assert scheme_admin.get(START).status_code == 405
    assert facility_manager.post(START).status_code == 403
    assert not MatchRun.objects.exists()
    page = scheme_admin.get(CHANGELIST).content.decode()
    assert 'action="/admin/matching/matchrun/start/"' in page


# --- Watch progress ------------------------------------------------------------------------------


def test_an_unfinished_run_shows_a_progress_bar_and_reloads_itself(scheme_admin: Client) -> None:
    run = f.MatchRunFactory(status=MatchRun.Status.RUNNING, chunks_total=10, chunks_done=3)
    done = f.MatchRunFactory(status=MatchRun.Status.DONE, chunks_total=4, chunks_done=4)
    done.finished_at = timezone.now()
    done.save()

    page = scheme_admin.get(run_page(run)).content.decode()
    finished = scheme_admin.get(run_page(done)).content.decode()
    listing = scheme_admin.get(CHANGELIST).content.decode()

    assert '<meta http-equiv="refresh" content="5">' in page
    assert '<progress class="run-progress" max="10" value="3">30%</progress>' in page
    assert "3 / 10 chunks (30%)" in listing
    assert 'http-equiv="refresh"' not in finished


# --- Failed and stale runs, resumed --------------------------------------------------------------


@pytest.fixture
def stale_run(matched_need: Any) -> MatchRun:
    """A full run whose worker vanished: a chunk pending, no progress for longer than a chunk."""
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.MATCH_RUN_STALE_SECONDS + 60)
    run = f.MatchRunFactory(status=MatchRun.Status.RUNNING, chunks_total=1, chunks_done=0)
    MatchRun.objects.filter(pk=run.pk).update(created_at=long_ago, last_progress_at=long_ago)
    MatchRunChunk.objects.create(run=run, index=0, need_ids=[matched_need.pk], queued_at=long_ago)
    run.refresh_from_db()
    return run


@pytest.fixture
def failed_run(matched_need: Any) -> MatchRun:
    run = f.MatchRunFactory(
        status=MatchRun.Status.FAILED,
        chunks_total=1,
        failure_reason="1 chunk(s) failed; chunk 0: OperationalError('server closed')",
        finished_at=timezone.now(),
    )
    MatchRunChunk.objects.create(
        run=run, index=0, need_ids=[matched_need.pk], status="failed", error="server closed"
    )
    return run


def test_failed_and_stale_runs_are_listed_with_their_reasons(
    scheme_admin: Client, stale_run: MatchRun, failed_run: MatchRun
) -> None:
    healthy = f.MatchRunFactory(status=MatchRun.Status.RUNNING)

    response = scheme_admin.get(CHANGELIST, {"health": "attention"})

    shown = {run.pk for run in response.context["cl"].result_list}
    assert shown == {stale_run.pk, failed_run.pk}
    assert healthy.pk not in shown
    page = response.content.decode()
    assert "Failed: 1 chunk(s) failed; chunk 0: OperationalError(&#x27;server closed&#x27;)" in page
    assert "Stale: no progress since " in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("which", ["stale_run", "failed_run"])
def test_a_stuck_run_is_resumed_from_its_page_and_finishes(
    scheme_admin: Client, request: pytest.FixtureRequest, which: str
) -> None:
    run = request.getfixturevalue(which)
    page = scheme_admin.get(run_page(run)).content.decode()
    resume = reverse("admin:matching_matchrun_resume", args=[run.pk])
    assert f'action="{resume}"' in page

    response = scheme_admin.post(resume, follow=True)

    assert f"Resumed run #{run.pk} (1 chunk)." in messages_of(response)
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.failure_reason) == ("done", 1, "")
    assert Match.objects.count() == 1


def test_a_run_making_progress_is_not_resumed(scheme_admin: Client, matched_need: Any) -> None:
    run = f.MatchRunFactory(status=MatchRun.Status.RUNNING, last_progress_at=timezone.now())
    chunk = MatchRunChunk.objects.create(run=run, index=0, need_ids=[matched_need.pk], attempts=2)

    page = scheme_admin.get(run_page(run)).content.decode()
    response = scheme_admin.post(
        CHANGELIST, {"action": "resume_runs", "_selected_action": [run.pk]}, follow=True
    )

    assert "/resume/" not in page
    assert messages_of(response) == [
        f"Run #{run.pk} is making progress: it is resumed only once it fails or stalls."
    ]
    chunk.refresh_from_db()
    assert chunk.attempts == 2


# --- Scoring weights: the preview before saving --------------------------------------------------

DEFAULTS = {
    name: ScoringProfile._meta.get_field(f"{name}_weight").default for name in SCORE_COMPONENTS
}


def random_matches(seed: int = 7) -> None:
    """Needs with matches and near misses whose stored components vary and whose stored
    scores are the default weights' (as the matcher writes them)."""
    rng = random.Random(seed)
    for _ in range(4):
        need = f.NeedFactory()
        for _ in range(rng.randint(3, 8)):
            components = {
                field: Decimal(rng.randint(0, 10000)) / 10000 for field in COMPONENT_FIELDS
            }
            named = {name: components[f"{name}_component"] for name in SCORE_COMPONENTS}
            f.MatchFactory(
                need=need,
                score=weighted_score(named, DEFAULTS),
                near_miss_rule=rng.choice(["", "", "radius", "capacity"]),
                **components,
            )


def recount(weights: dict[str, Decimal]) -> ScoringPreview:
    """The preview's figures counted in Python, one match at a time."""
    rows = list(Match.objects.values("id", "need_id", "score", "near_miss_rule", *COMPONENT_FIELDS))
    new = {
        row["id"]: weighted_score(
            {name: row[f"{name}_component"] for name in SCORE_COMPONENTS}, weights
        )
        for row in rows
    }
    old = {row["id"]: row["score"] for row in rows}

    def ranks(scores: dict[int, Decimal]) -> dict[int, int]:
        placed = {}
        for need_id in {row["need_id"] for row in rows}:
            mine = sorted(
                (r["id"] for r in rows if r["need_id"] == need_id), key=lambda i: (-scores[i], i)
            )
            placed |= {match_id: at for at, match_id in enumerate(mine)}
        return placed

    def above_a_match(scores: dict[int, Decimal], row: dict) -> bool:
        full = [
            scores[r["id"]]
            for r in rows
            if r["need_id"] == row["need_id"] and not r["near_miss_rule"]
        ]
        return bool(full) and scores[row["id"]] > min(full)

    old_rank, new_rank = ranks(old), ranks(new)
    near = [row for row in rows if row["near_miss_rule"]]
    return ScoringPreview(
        matches=len(rows),
        scores_changed=sum(old[i] != new[i] for i in old),
        ranks_changed=sum(old_rank[i] != new_rank[i] for i in old),
        high_score_up=sum(old[i] < HIGH_SCORE <= new[i] for i in old),
        high_score_down=sum(new[i] < HIGH_SCORE <= old[i] for i in old),
        near_misses_above_a_match=sum(
            not above_a_match(old, r) and above_a_match(new, r) for r in near
        ),
        near_misses_back_below=sum(
            above_a_match(old, r) and not above_a_match(new, r) for r in near
        ),
    )


@pytest.mark.parametrize(
    "weights",
    [
        {"distance": "0.90", "capacity": "0.05", "tolerance": "0.05", "quality": "0.00",
         "preference": "0.00", "experience": "0.00"},
        {"distance": "0.10", "capacity": "0.10", "tolerance": "0.10", "quality": "0.60",
         "preference": "0.05", "experience": "0.05"},
        {"distance": "0.00", "capacity": "0.00", "tolerance": "0.00", "quality": "0.00",
         "preference": "0.00", "experience": "0.00"},
    ],
    ids=["distance first", "quality first", "all zero"],
)  # fmt: skip
def test_the_preview_counts_what_a_recount_in_python_finds(weights: dict[str, str]) -> None:
    random_matches()
    weights = {name: Decimal(value) for name, value in weights.items()}

    preview = scoring_preview(weights)

    assert preview == recount(weights)
    assert preview.matches == Match.objects.count() > 0
    assert preview.ranks_changed > 0 or weights["distance"] == 0


def test_unchanged_weights_change_nothing() -> None:
    random_matches()

    assert scoring_preview(DEFAULTS) == ScoringPreview(Match.objects.count(), 0, 0, 0, 0, 0, 0)


def weights_form(profile: ScoringProfile, **changes: str) -> dict[str, str]:
    data = {
        "name": profile.name,
        "is_active": "on" if profile.is_active else "",
        "distance_scale_km": str(profile.distance_scale_km),
        **{f"{name}_weight": str(profile.weights()[name]) for name in SCORE_COMPONENTS},
    }
    return data | changes


def token_in(page: str) -> str:
    return re.search(r'name="previewed" value="([^"]+)"', page).group(1)


def test_new_weights_are_saved_only_after_their_preview_was_shown(
    scheme_admin: Client, matched_need: Any, django_capture_on_commit_callbacks: Any
) -> None:
    matches_sync(need_ids=[matched_need.pk])
    profile, _created = ScoringProfile.objects.get_or_create(is_active=True)
    url = reverse("admin:matching_scoringprofile_change", args=[profile.pk])
    new = weights_form(profile, distance_weight="0.90")

    first = scheme_admin.post(url, new)

    assert first.status_code == 200
    page = first.content.decode()
    assert "What these weights would do" in page
    assert "Check what these weights would do (below), then save again to apply them." in page
    profile.refresh_from_db()
    assert (profile.distance_weight, profile.version) == (Decimal("0.30"), 1)
    assert not MatchRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        second = scheme_admin.post(url, new | {"previewed": token_in(page)})

    assert second.status_code == 302
    profile.refresh_from_db()
    assert (profile.distance_weight, profile.version) == (Decimal("0.90"), 2)
    assert MatchRun.objects.get().trigger == MatchRun.Trigger.SCORING_PROFILE


def test_weights_other_than_those_previewed_are_previewed_again(scheme_admin: Client) -> None:
    profile, _created = ScoringProfile.objects.get_or_create(is_active=True)
    url = reverse("admin:matching_scoringprofile_change", args=[profile.pk])
    shown = token_in(
        scheme_admin.post(url, weights_form(profile, distance_weight="0.90")).content.decode()
    )

    other = scheme_admin.post(url, weights_form(profile, distance_weight="0.95", previewed=shown))
    forged = scheme_admin.post(url, weights_form(profile, distance_weight="0.90", previewed="x:y"))

    for response in (other, forged):
        assert response.status_code == 200
        assert "What these weights would do" in response.content.decode()
    profile.refresh_from_db()
    assert profile.distance_weight == Decimal("0.30")


def test_renaming_a_profile_needs_no_preview(scheme_admin: Client) -> None:
    profile, _created = ScoringProfile.objects.get_or_create(is_active=True)
    url = reverse("admin:matching_scoringprofile_change", args=[profile.pk])

    response = scheme_admin.post(url, weights_form(profile, name="Balanced"))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.version) == ("Balanced", 1)
