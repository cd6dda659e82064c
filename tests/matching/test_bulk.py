"""The in-database matcher (PostgreSQL) and the reference engine write the same table."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from matching.models import COMPONENT_FIELDS, Match
from matching.services import matches_sync
from schemes.models import Need
from vendors.demo import demo_seed

FIELDS = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "reasons", "near_miss_reason")

pytestmark = pytest.mark.django_db


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


@pytest.mark.parametrize("seed", [3, 11])
def test_both_implementations_agree_on_every_row_of_randomised_data(
    postgres: None, seed: int
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=600, needs=40, seed=seed)
    need_ids = list(Need.objects.values_list("pk", flat=True))

    reference = matches_sync(need_ids=need_ids, in_database=False)
    expected = match_table()
    Match.objects.all().delete()
    in_database = matches_sync(need_ids=need_ids, in_database=True)

    assert len(expected) > 500  # the data exercises the rules: matches and near misses
    assert any(row[5] for row in expected) and any(not row[5] for row in expected)
    assert match_table() == expected
    assert in_database.created == reference.created == len(expected)
    again = matches_sync(need_ids=need_ids, in_database=True)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_the_in_database_path_flags_acted_matches_and_deletes_stale_suggestions(
    postgres: None,
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=300, needs=10, seed=4)
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True), in_database=True)
    need = Need.objects.annotate(n=Count("matches")).filter(n__gte=2).first()
    acted, suggested = Match.objects.filter(need=need)[:2]
    Match.objects.filter(pk=acted.pk).update(status="shortlisted")
    Need.objects.filter(pk=need.pk).update(status="closed")

    report = matches_sync(need_ids=[need.pk], in_database=True)

    assert not Match.objects.filter(pk=suggested.pk).exists()
    acted.refresh_from_db()
    assert (acted.status, acted.no_longer_meets_reason) == ("shortlisted", "the need is closed")
    assert report.flagged == 1 and report.deleted >= 1
