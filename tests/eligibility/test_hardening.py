"""What a careless administrator or a hostile caller can send, and what happens: a clear error,
never a 500, never a changed published rule, never a throttle that a header talks its way past."""

from __future__ import annotations

import datetime
import json
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eligibility.engine import check
from eligibility.models import (
    Criterion,
    EligibilityCheck,
    PublishedRuleSetIsImmutable,
    PublishRefused,
    RuleExample,
    RuleSet,
)
from eligibility.selectors import result_token
from eligibility.services import check_save, rule_set_new_version, rule_set_publish
from schemes.models import NetWorthSlab
from taxonomy.amounts import parse_rupees
from tests.eligibility.conftest import BASE_ANSWERS, answers
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference")
API = "/api/v1/eligibility/check/"
TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def supplier_rules() -> RuleSet:
    return RuleSet.objects.get(role="supplier", version=1)


# --- Amounts ------------------------------------------------------------------------------


def test_a_long_amount_is_refused_at_once_whatever_its_shape() -> None:
    for typed in ("1" * 10_000 + " 1 ", "," * 50_000 + "x", "9" * 41):
        # This thread's CPU time, not the wall clock: time the machine gave other processes
        # (parallel test workers) is no backtracking of ours.
        started = time.thread_time()
        with pytest.raises(ValidationError, match="in figures"):
            parse_rupees(typed)
        assert time.thread_time() - started < 0.05


def test_the_api_refuses_a_long_amount_with_a_field_error(client: Client) -> None:
    body = {**BASE_ANSWERS, "investment_rupees": "1" * 100_000 + " 1 "}
    response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "investment_rupees" in {e["attr"] for e in response.json()["errors"]}


@pytest.mark.parametrize("crore", ["करोड़", "करोड\u093c", "करोड"])  # U+095C, ड + nukta, no nukta
def test_crore_in_hindi_reads_however_the_keyboard_typed_it(crore: str) -> None:
    assert parse_rupees(f"2 {crore}") == 20_000_000


# --- The anonymous throttle ---------------------------------------------------------------


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(
    client: Client, settings
) -> None:
    settings.ELIGIBILITY_API_ANON_RATE = "2/minute"
    body = json.dumps(BASE_ANSWERS)
    codes = [
        client.post(
            API, body, content_type="application/json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 429, 429]


# --- Links and forms ----------------------------------------------------------------------


def test_an_expired_link_s_continue_button_says_it_expired(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved, _result = check_save(answers=answers())
    token = result_token(saved)
    monkeypatch.setattr("eligibility.selectors.RESULT_LINK_DAYS", -1)
    response = client.post(reverse("eligibility:carry", args=[token]))
    assert response.status_code == 410
    assert "eligibility_check_id" not in client.session


def test_a_forged_wizard_step_starts_the_questionnaire_again(client: Client) -> None:
    client.get("/eligibility/")
    response = client.post("/eligibility/", {"self_check_wizard-current_step": "zzz"})
    assert response.status_code == 200
    assert 'name="enterprise-investment_rupees"' in response.content.decode()


def test_a_what_if_that_bids_without_saying_how_is_an_error(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    url = reverse("eligibility:result", args=[result_token(saved)])
    form = {
        "udyam_registered": "yes", "investment_rupees": "2 crore", "turnover_rupees": "6 crore",
        "district": "krishnagiri", "exports": "no", "bidding": "on",
        "capacity_sought_mtpa": "600", "net_worth_crore": "200", "consortium": "",
    }  # fmt: skip
    page = client.get(url, form).content.decode()
    assert 'id="id_consortium_error"' in page
    assert "With your changes" not in page


def test_a_link_s_tracking_parameters_leave_the_what_if_alone(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    url = reverse("eligibility:result", args=[result_token(saved)])
    page = client.get(url, {"utm_source": "whatsapp"}).content.decode()
    assert "field__error" not in page
    assert "With your changes" not in page


def test_a_signed_in_owner_carries_answers_to_a_new_enterprise(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    client.force_login(UserFactory())
    response = client.post(reverse("eligibility:carry", args=[result_token(saved)]))
    assert response["Location"] == reverse("portal:profile_new")


# --- Published rules stay as published ----------------------------------------------------


def test_moving_a_criterion_out_of_a_published_version_is_refused() -> None:
    published = supplier_rules()
    draft = rule_set_new_version(rule_set=published)
    criterion = published.criteria.get(code="quality")
    criterion.rule_set = draft
    with pytest.raises(PublishedRuleSetIsImmutable):
        criterion.save()
    example = published.examples.first()
    example.rule_set = draft
    with pytest.raises(PublishedRuleSetIsImmutable):
        example.save()
    assert published.criteria.count() == 6


def test_a_draft_cannot_be_published_around_its_examples() -> None:
    draft = rule_set_new_version(rule_set=supplier_rules())
    with pytest.raises(PublishRefused):
        RuleSet.objects.filter(pk=draft.pk).update(status=RuleSet.Status.PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_the_bidder_s_slabs_are_kept_in_the_published_rule() -> None:
    bidder = dict(bidding=True, capacity_sought_mtpa=1200, net_worth_crore="375")
    before = check(answers(**bidder), on=TODAY, count_needs=False).role("bidder").outcome
    NetWorthSlab.objects.filter(min_capacity_mtpa=1100).update(net_worth_crore=Decimal("999"))
    after = check(answers(**bidder), on=TODAY, count_needs=False)
    assert before == after.role("bidder").outcome == "eligible"
    assert after.bidder.largest_capacity_mtpa == 1200


def test_a_new_version_takes_effect_from_today_not_the_past() -> None:
    draft = rule_set_new_version(rule_set=supplier_rules())
    assert draft.effective_from == timezone.localdate()
    assert draft.effective_from > supplier_rules().effective_from


# --- Administrators' typing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "operator", "value", "field"),
    [
        ("certifications", "includes_any", ["ISO_900"], "value"),  # a typo of a code
        ("processes", "includes_any", ["cnc-turnig"], "value"),
        ("state", "one_of", ["XX"], "value"),
        ("capacity_sought_mtpa", "multiple_of", "1e-30", "value"),
        ("capacity_sought_mtpa", "between", [1200, 600], "value"),
        ("exports", "at_least", 5, "operator"),
        ("net_worth_crore", "at_least_by_band", {"by": "exports", "bands": []}, "value"),
    ],
)
def test_a_criterion_that_could_never_be_judged_is_refused_on_save(
    fact: str, operator: str, value: object, field: str
) -> None:
    draft = rule_set_new_version(rule_set=supplier_rules())
    criterion = Criterion(
        rule_set=draft, code="new", label_en="x", explanation_en="x",
        fact=fact, operator=operator, value=value,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert field in refused.value.message_dict


JUNK = [
    {"investment_rupees": "abc"},
    {"processes": "cnc-turning"},
    {"udyam_registered": "yes"},
    {"district": "atlantis"},
    {"udyam": True},
]


@pytest.mark.parametrize("junk", JUNK)
def test_an_example_with_junk_answers_fails_clearly_and_never_breaks_the_admin(
    client: Client, junk: dict
) -> None:
    draft = rule_set_new_version(rule_set=supplier_rules())
    example = RuleExample(rule_set=draft, name="junk", answers=BASE_ANSWERS | junk,
                          expected_outcome="eligible")  # fmt: skip
    with pytest.raises(ValidationError, match="answers"):
        example.full_clean()
    example.save()  # saved around the form, as a script might
    with pytest.raises(PublishRefused, match="junk"):
        rule_set_publish(rule_set=draft)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:eligibility_ruleset_change", args=[draft.pk]))
    assert change.status_code == 200 and "invalid answers" in change.content.decode()
    assert client.get(reverse("admin:eligibility_ruleset_changelist")).status_code == 200
    response = client.post(
        reverse("admin:eligibility_ruleset_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "example(s) fail" in response.content.decode()


def test_a_condition_on_an_unanswered_fact_leaves_its_criterion_unknown() -> None:
    draft = rule_set_new_version(rule_set=supplier_rules(), effective_from=TODAY)
    Criterion.objects.create(
        rule_set=draft, order=99, code="exporter_iso", label_en="Exporters hold ISO 9001",
        explanation_en="x", fact="certifications", operator="includes_any", value=["ISO_9001"],
        condition_fact="exports", condition_operator="is_true",
    )  # fmt: skip
    draft.refresh_from_db()
    result = check(answers(exports=None), on=TODAY, rule_sets=[draft], count_needs=False)
    [outcome] = [c.outcome for c in result.roles[0].criteria if c.criterion.code == "exporter_iso"]
    assert outcome == "unknown"
    assert result.roles[0].outcome == "not_assessed"


def test_no_check_is_saved_for_a_refused_request(client: Client) -> None:
    client.post(API, json.dumps({"udyam_registered": True}), content_type="application/json")
    assert not EligibilityCheck.objects.exists()
