"""What `make run` does before serving: reference data, the demo set with its matches, and a
demo MSME login that has matches and near misses to show from the first page load."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from allocation.models import Recommendation
from consortia.models import ConsortiumMember
from matching.models import MatchRun
from seeding.management.commands import seed_demo_accounts
from tests.test_celery_worker import wait_until
from vendors.models import Supplier

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_runner")]


def test_the_demo_msme_has_matches_and_near_misses_once_seeded(
    settings: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = StringIO()
    call_command("seed_reference", stdout=StringIO())
    # The Makefile's DEMO_SUPPLIERS, DEMO_NEEDS and DEMO_SEED.
    call_command(
        "seed_demo", "--if-empty", "--suppliers", "400", "--needs", "60", "--seed", "1", stdout=out
    )
    assert wait_until(
        lambda: MatchRun.objects.filter(trigger=MatchRun.Trigger.DEMO_DATA, status="done").exists(),
        timeout=120,
    )
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo_accounts, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    logins = StringIO()
    call_command("seed_demo_accounts", stdout=logins)

    supplier = Supplier.objects.get(owner__username="demo-msme")
    assert supplier.matches.filter(near_miss_rule="").exists()
    assert supplier.matches.exclude(near_miss_rule="").exists()
    # Its dashboard, as the demo login first sees it: matches, near misses, an expiring certificate.
    client = Client()
    client.force_login(supplier.owner)
    board = client.get("/me/").context["board"]
    assert board.matches > 0 and board.near_misses > 0
    assert board.expiring, "the demo supplier has no certificate expiring within 60 days"
    assert f"(owns {supplier.name})" in logins.getvalue()
    assert "Matches: run #" in out.getvalue()
    # Something to see and do beyond matches: a facility's shortlist holding the MSME's capacity,
    # a team proposed for a need no single shop can serve, recommendations for the manager.
    assert any(line.capacity.committed for line in board.capacity)
    assert "shortlisted" in logins.getvalue() and "consortium proposal" in logins.getvalue()
    place = ConsortiumMember.objects.get(supplier=supplier)
    team = client.get(f"/me/consortia/{place.consortium_id}/")
    assert team.status_code == 200
    answer = client.post(f"/me/consortia/{place.consortium_id}/answer/", {"answer": "accept"})
    assert answer.status_code == 302
    place.refresh_from_db()
    assert place.response == ConsortiumMember.Response.ACCEPTED
    assert wait_until(lambda: Recommendation.objects.exists(), timeout=60)

    # Told once: a second `make run` adds no second story.
    call_command("seed_demo_accounts", stdout=StringIO())
    assert ConsortiumMember.objects.filter(supplier=supplier).count() == 1
