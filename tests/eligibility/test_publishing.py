"""Rules as data: examples gate publishing, a published version never changes on any path, and a
saved result keeps the versions it used."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from eligibility.engine import CheckResult, check
from eligibility.models import (
    Criterion,
    EligibilityCheck,
    PublishedRuleSetIsImmutable,
    RuleExample,
    RuleSet,
)
from eligibility.selectors import result_token
from eligibility.services import (
    PublishRefused,
    check_save,
    rule_set_new_version,
    rule_set_publish,
)
from tests.eligibility.conftest import BASE_ANSWERS, answers
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference")


def supplier_rules() -> RuleSet:
    return RuleSet.objects.get(role="supplier", version=1)


def draft_with_iso_9001_required() -> RuleSet:
    """Version 2 of the supplier rules, from 2027: ISO 9001 itself, ZED no longer enough."""
    draft = rule_set_new_version(
        rule_set=supplier_rules(), effective_from=datetime.date(2027, 1, 1)
    )
    Criterion.objects.filter(rule_set=draft, code="quality").update(value=["ISO_9001"])
    return draft


def test_publishing_is_refused_while_an_example_fails() -> None:
    draft = draft_with_iso_9001_required()
    # The copied example "Micro CNC shop ... with ZED Bronze" expects eligible: now it fails.
    with pytest.raises(PublishRefused, match="Micro CNC shop"):
        rule_set_publish(rule_set=draft)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_publishing_is_refused_without_examples() -> None:
    draft = rule_set_new_version(rule_set=supplier_rules())
    RuleExample.objects.filter(rule_set=draft).delete()
    with pytest.raises(PublishRefused, match="at least one example"):
        rule_set_publish(rule_set=draft)


def test_a_draft_publishes_once_its_examples_agree_and_then_applies_from_its_date() -> None:
    draft = draft_with_iso_9001_required()
    RuleExample.objects.filter(rule_set=draft, name__startswith="Micro CNC shop").update(
        expected_outcome="not_yet"
    )
    rule_set_publish(rule_set=draft, by=UserFactory())
    before = check(answers(), on=datetime.date(2026, 12, 31), count_needs=False)
    after = check(answers(), on=datetime.date(2027, 1, 1), count_needs=False)
    assert before.role("supplier").rule_set.version == 1
    assert before.role("supplier").outcome == "eligible"
    assert after.role("supplier").rule_set.version == 2
    assert after.role("supplier").outcome == "not_yet"


def test_the_admin_publish_action_refuses_a_failing_draft_and_says_why(client) -> None:
    draft = draft_with_iso_9001_required()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:eligibility_ruleset_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "example(s) fail" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_the_admin_shows_each_examples_pass_or_fail(client) -> None:
    draft = draft_with_iso_9001_required()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:eligibility_ruleset_change", args=[draft.pk])).content.decode()
    rows = re.findall(r"<tr><td>([^<]+)</td><td>[^<]+</td><td>[^<]+</td><td>(pass|FAIL)</td>", page)
    assert len(rows) == 5
    assert dict(rows)["Micro CNC shop in Krishnagiri with ZED Bronze"] == "FAIL"
    assert [result for _name, result in rows].count("pass") == 4


PATHS = {
    "rule set save": lambda rs, c, e: (
        setattr(rs, "effective_to", datetime.date(2030, 1, 1)),
        rs.save(),
    ),
    "rule set delete": lambda rs, c, e: rs.delete(),
    "rule set queryset update": lambda rs, c, e: RuleSet.objects.filter(pk=rs.pk).update(
        status="draft"
    ),
    "rule set queryset delete": lambda rs, c, e: RuleSet.objects.filter(pk=rs.pk).delete(),
    "rule set bulk_update": lambda rs, c, e: RuleSet.objects.bulk_update([rs], ["summary_en"]),
    "criterion save": lambda rs, c, e: (setattr(c, "value", ["NABL"]), c.save()),
    "criterion delete": lambda rs, c, e: c.delete(),
    "criterion queryset update": lambda rs, c, e: Criterion.objects.filter(pk=c.pk).update(
        label_en="changed"
    ),
    "criterion bulk_update": lambda rs, c, e: Criterion.objects.bulk_update([c], ["label_en"]),
    "criterion queryset delete": lambda rs, c, e: Criterion.objects.filter(rule_set=rs).delete(),
    "criterion create": lambda rs, c, e: Criterion.objects.create(
        rule_set=rs,
        code="new",
        label_en="x",
        fact="exports",
        operator="is_true",
        explanation_en="x",
    ),
    "criterion bulk_create": lambda rs, c, e: Criterion.objects.bulk_create(
        [Criterion(rule_set=rs, code="new", label_en="x", fact="exports", operator="is_true")]
    ),
    "example save": lambda rs, c, e: (setattr(e, "expected_outcome", "not_yet"), e.save()),
    "example queryset update": lambda rs, c, e: RuleExample.objects.filter(rule_set=rs).update(
        expected_outcome="not_yet"
    ),
    "example delete": lambda rs, c, e: e.delete(),
}


@pytest.mark.parametrize("path", PATHS)
def test_a_published_version_refuses_every_change(path: str) -> None:
    rule_set = supplier_rules()
    criterion = rule_set.criteria.get(code="quality")
    example = rule_set.examples.first()
    snapshot = (
        list(RuleSet.objects.filter(pk=rule_set.pk).values()),
        list(Criterion.objects.filter(rule_set=rule_set).order_by("pk").values()),
        list(RuleExample.objects.filter(rule_set=rule_set).order_by("pk").values()),
    )
    with pytest.raises(PublishedRuleSetIsImmutable):
        PATHS[path](rule_set, criterion, example)
    assert snapshot == (
        list(RuleSet.objects.filter(pk=rule_set.pk).values()),
        list(Criterion.objects.filter(rule_set=rule_set).order_by("pk").values()),
        list(RuleExample.objects.filter(rule_set=rule_set).order_by("pk").values()),
    )


def test_the_admin_shows_a_published_version_read_only(client) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    rule_set = supplier_rules()
    url = reverse("admin:eligibility_ruleset_change", args=[rule_set.pk])
    page = client.get(url).content.decode()
    assert 'name="effective_from"' not in page  # shown, not editable
    response = client.post(url, {"effective_from": "2030-01-01"})
    assert response.status_code == 403
    rule_set.refresh_from_db()
    assert rule_set.effective_from == datetime.date(2025, 11, 26)


def test_a_saved_result_keeps_the_versions_it_used(client) -> None:
    saved, _first = check_save(answers=answers(), on=datetime.date(2027, 1, 2))
    assert saved.rule_sets.filter(role="supplier").get().version == 1
    # The rules change: ISO 9001 required from 2027, published after the check was saved.
    draft = draft_with_iso_9001_required()
    RuleExample.objects.filter(rule_set=draft, name__startswith="Micro CNC shop").update(
        expected_outcome="not_yet"
    )
    rule_set_publish(rule_set=draft)
    assert check(answers(), on=datetime.date(2027, 1, 2)).role("supplier").outcome == "not_yet"

    saved = EligibilityCheck.objects.get(pk=saved.pk)
    again = CheckResult.from_saved(answers=saved.answers, result=saved.result)
    assert again.role("supplier").outcome == "eligible"
    assert again.role("supplier").rule_set.version == 1
    page = client.get(reverse("eligibility:result", args=[result_token(saved)]))
    assert "role role--eligible" in page.content.decode()
    assert saved.answers == answers().as_json()
    assert BASE_ANSWERS["district"] == saved.answers["district"]
