"""The scheme administrators' Django admin: every page loads, and the big lists stay fast.

Personas: ``admin_client`` is a superuser (a scheme administrator); ``viewer`` is staff allowed
only to view suppliers; ``stranger`` is staff with no permissions at all.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from allocation.models import AllocationRun
from clusters.models import District
from consortia.models import Consortium, ConsortiumMember
from eligibility.models import Criterion, EligibilityCheck, RuleExample, RuleSet
from matching.models import Match, MatchRun, MatchRunChunk, ScoringProfile
from matching.services import matches_sync
from partners.models import ApiKey, WebhookDelivery
from partners.services import (
    api_key_create,
    partner_ensure,
    webhook_delivery_build,
    webhook_endpoint_create,
)
from schemes.models import Need
from taxonomy.models import MsmeLimit, Process
from tests import factories as f
from vendors.models import Certification, Supplier

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model for model in apps.get_models() if admin.site.is_registered(model)),
    key=lambda model: model._meta.label,
)
HISTORY_MODELS = [
    m for m in REGISTERED if isinstance(admin.site.get_model_admin(m), SimpleHistoryAdmin)
]
# Written only by the matcher: the admin offers no add page for them.
# The matcher writes these; django-axes records login attempts itself.
NOT_ADDABLE = {
    Match,
    MatchRun,
    AllocationRun,  # the allocation's log, written by its runs
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    EligibilityCheck,
    ApiKey,
    WebhookDelivery,  # the webhooks' delivery log
    Consortium,  # proposed by consortia.services, answered by members
}
# Tables that grow with the country: a form must never render them as a <select>.
BIG_TABLES = {Supplier, Need, District, Process, get_user_model()}


def label(model: type[Model]) -> str:
    return model._meta.label


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(client: Client, model: type[Model], **params: str) -> list[Any]:
    """The rows a changelist shows for the given query-string parameters."""
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200, response.content[:500]
    return list(response.context["cl"].result_list)


@pytest.fixture
def one_of_each(admin_user: Any) -> None:
    """At least one row in every registered model (MSME limits come from a data migration)."""
    certificate = f.CertificationTypeFactory()
    need = f.NeedFactory(required_certifications=[certificate])
    match = f.MatchFactory(need=need, near_miss_rule="capacity")
    f.SupplierCapabilityFactory(supplier=match.supplier, process=need.process)
    f.CertificationFactory(supplier=match.supplier, certification_type=certificate)
    f.ClusterAssetFactory(cluster=need.facility.cluster)
    need.facility.cluster.districts.add(match.supplier.district)
    need.facility.stages.add(f.ValueChainStageFactory())
    match.supplier.sectors.add(f.StrategicSectorFactory())
    match.supplier.owner = admin_user
    match.supplier.save()
    consortium = Consortium.objects.create(
        need=need, team_key=f"{match.supplier_id}", rank=1, score=Decimal(70),
        quantity=Decimal(100), unit="pieces", total_free=Decimal(120), spread_km=Decimal(0),
        place="Hosur",
    )  # fmt: skip
    ConsortiumMember.objects.create(
        consortium=consortium, supplier=match.supplier, role="lead", share=Decimal(100),
        free_capacity=Decimal(120), match_score=Decimal(70), km_to_lead=Decimal(0),
    )  # fmt: skip
    f.MilestoneFactory(scheme=need.facility.scheme)
    f.NetWorthSlabFactory(scheme=need.facility.scheme)
    f.SchemeFigureSourceFactory(scheme=need.facility.scheme)
    run = f.MatchRunFactory(chunks_total=10, chunks_done=3, status=MatchRun.Status.RUNNING)
    MatchRunChunk.objects.create(run=run, index=0, need_ids=[need.pk])
    AllocationRun.objects.create(trigger=AllocationRun.Trigger.ON_DEMAND)
    ScoringProfile.objects.get_or_create(is_active=True)
    partner = partner_ensure(name="Hosur Magnetics", facilities=[need.facility])
    api_key_create(partner=partner, name="procurement system")
    Group.objects.create(name="Scheme administrators")
    attempt = {"user_agent": "Firefox", "ip_address": "10.0.0.7", "username": "ravi"}
    attempt |= {"http_accept": "text/html", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt, locked_out=False)
    rules = RuleSet.objects.create(
        scheme=need.facility.scheme,
        role="supplier",
        summary_en="Supply a facility.",
        effective_from=datetime.date(2025, 11, 26),
    )
    Criterion.objects.create(
        rule_set=rules, code="udyam", label_en="Udyam registration", fact="udyam_registered",
        operator="is_true", explanation_en="Registered.",
    )  # fmt: skip
    RuleExample.objects.create(
        rule_set=rules, name="A registered shop", answers={"udyam_registered": True},
        expected_outcome="eligible",
    )  # fmt: skip
    check = EligibilityCheck.objects.create(
        as_of=datetime.date(2026, 12, 5), answers={}, result={"roles": []}
    )
    check.rule_sets.add(rules)
    endpoint, _secret = webhook_endpoint_create(
        partner=partner, url="https://hooks.example.in/repm"
    )
    match.save()  # a change after the endpoint was registered: one delivery to log
    # Built a minute on: changes are sent once older than WEBHOOK_SETTLE_SECONDS.
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert webhook_delivery_build(endpoint_id=endpoint.pk, now=later) is not None


@pytest.fixture
def stranger(client: Client) -> Client:
    client.force_login(f.UserFactory(username="stranger", is_staff=True))
    return client


@pytest.fixture
def viewer(client: Client) -> Client:
    user = f.UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_supplier"))
    client.force_login(user)
    return client


# --- Every page loads --------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_an_administrator_loads_every_changelist(
    admin_client: Client, one_of_each: None, model: type[Model]
) -> None:
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_an_administrator_loads_every_add_page_except_the_matchers_own(
    admin_client: Client, model: type[Model]
) -> None:
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == (403 if model in NOT_ADDABLE else 200)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_an_administrator_loads_every_change_page(
    admin_client: Client, one_of_each: None, model: type[Model]
) -> None:
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"one_of_each creates no {label(model)}; add it there"

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=label)
def test_an_administrator_loads_the_history_of_audited_models(
    admin_client: Client, one_of_each: None, model: type[Model]
) -> None:
    obj = model.objects.order_by("pk").first()

    response = admin_client.get(admin_url(model, "history", obj.pk))

    assert response.status_code == 200


def test_the_audited_models_are_the_ones_with_history() -> None:
    with_history = {m for m in REGISTERED if hasattr(m, "history")}

    assert with_history == set(HISTORY_MODELS)
    assert {label(m) for m in with_history} >= {
        "schemes.Scheme",
        "schemes.Facility",
        "schemes.Need",
        "vendors.Supplier",
        "vendors.Certification",
    }


def _admins_with_forms() -> list[tuple[str, type[Model], BaseModelAdmin, type[Model] | None]]:
    """Each registered admin and each of its inlines, with the inline's parent model."""
    found = []
    for model in REGISTERED:
        model_admin = admin.site.get_model_admin(model)
        found.append((type(model_admin).__name__, model, model_admin, None))
        for inline in model_admin.inlines:
            found.append((inline.__name__, inline.model, inline, model))
    return found


@pytest.mark.parametrize(
    ("model", "model_admin", "parent"),
    [entry[1:] for entry in _admins_with_forms()],
    ids=[entry[0] for entry in _admins_with_forms()],
)
def test_no_form_renders_a_big_table_as_a_select(
    model: type[Model], model_admin: BaseModelAdmin, parent: type[Model] | None
) -> None:
    declared = model_admin.fields or flatten_fieldsets(model_admin.fieldsets or ())
    for field in model._meta.get_fields():
        editable_relation = field.concrete and field.is_relation and field.editable
        if not editable_relation or field.related_model not in BIG_TABLES:
            continue
        if field.related_model is parent or field.name in model_admin.readonly_fields:
            continue
        if declared and field.name not in declared:
            continue
        assert field.name in (*model_admin.autocomplete_fields, *model_admin.raw_id_fields), (
            f"{type(model_admin).__name__}.{field.name} would render every "
            f"{field.related_model.__name__} as an option"
        )


NAMED_IN_HINDI = [m for m in REGISTERED if any(f.name == "name_hi" for f in m._meta.fields)]


def test_every_model_with_a_hindi_name_is_edited_in_the_admin() -> None:
    assert {label(m) for m in NAMED_IN_HINDI} == {
        "clusters.Cluster",
        "clusters.ClusterAsset",
        "clusters.District",
        "clusters.State",
        "schemes.Facility",
        "schemes.Scheme",
        "schemes.ValueChainStage",
        "taxonomy.CapabilityCategory",
        "taxonomy.CertificationType",
        "taxonomy.Process",
        "taxonomy.StrategicSector",
    }


@pytest.mark.parametrize("model", NAMED_IN_HINDI, ids=label)
def test_the_hindi_name_is_edited_beside_the_english_one(
    admin_client: Client, one_of_each: None, model: type[Model]
) -> None:
    obj = model.objects.order_by("pk").first()

    html = admin_client.get(admin_url(model, "change", obj.pk)).content.decode()

    # A (name, name_hi) row of the admin's fieldsets: one line, English then Hindi.
    assert "form-row field-name field-name_hi" in html
    assert 'name="name_hi"' in html


def test_an_administrator_saves_a_hindi_name(admin_client: Client) -> None:
    process = f.ProcessFactory(slug="cnc-turning", name="CNC turning")
    data = {"category": process.category.pk, "name": "CNC turning", "slug": "cnc-turning"}
    data |= {"order": "0", "name_hi": "सीएनसी टर्निंग"}

    response = admin_client.post(admin_url(Process, "change", process.pk), data)

    assert response.status_code == 302
    process.refresh_from_db()
    assert process.name_hi == "सीएनसी टर्निंग"


# --- Suppliers: search, filters, query count ---------------------------------------------------


def test_the_supplier_search_finds_a_supplier_by_udyam_number(admin_client: Client) -> None:
    wanted, _other = f.SupplierFactory(), f.SupplierFactory()

    assert listed(admin_client, Supplier, q=wanted.udyam_number) == [wanted]
    assert listed(admin_client, Supplier, q=f" {wanted.udyam_number.lower()} ") == [wanted]


def test_the_supplier_search_finds_a_supplier_by_gstin_and_by_pan(admin_client: Client) -> None:
    wanted, _other = f.SupplierFactory(), f.SupplierFactory()

    assert listed(admin_client, Supplier, q=wanted.gstin) == [wanted]
    assert listed(admin_client, Supplier, q=wanted.pan) == [wanted]


def test_the_supplier_search_finds_a_supplier_by_name(admin_client: Client) -> None:
    wanted = f.SupplierFactory(name="Hosur Sintered Tooling")
    f.SupplierFactory(name="Rajkot Coatings")

    assert listed(admin_client, Supplier, q="sintered tool") == [wanted]


def test_the_process_filter_shows_only_suppliers_offering_that_process(
    admin_client: Client,
) -> None:
    turning = f.ProcessFactory()
    slicing = f.ProcessFactory(slug="magnet-slicing", name="Magnet slicing")
    turner = f.SupplierCapabilityFactory(process=turning).supplier
    slicer = f.SupplierCapabilityFactory(process=slicing).supplier
    both = f.SupplierCapabilityFactory(process=turning).supplier
    f.SupplierCapabilityFactory(supplier=both, process=slicing)
    f.SupplierFactory()  # offers nothing

    shown = listed(admin_client, Supplier, process="cnc-turning")

    assert sorted(s.pk for s in shown) == sorted([turner.pk, both.pk])
    assert slicer not in shown


def test_the_supplier_list_counts_each_suppliers_capabilities(admin_client: Client) -> None:
    busy = f.SupplierCapabilityFactory().supplier
    f.SupplierCapabilityFactory(
        supplier=busy, process=f.ProcessFactory(slug="wire-edm", name="Wire EDM")
    )
    idle = f.SupplierFactory()

    counts = {s.pk: s.capability_count for s in listed(admin_client, Supplier)}

    assert counts == {busy.pk: 2, idle.pk: 0}


@pytest.mark.parametrize("suppliers", [3, 30])
def test_the_supplier_changelist_query_count_does_not_grow_with_suppliers(
    admin_client: Client, django_assert_max_num_queries: Any, suppliers: int
) -> None:
    for _ in range(suppliers):
        capability = f.SupplierCapabilityFactory()
        f.CertificationFactory(supplier=capability.supplier)

    # 1 session, 2 user, 3 the state filter's states, 4 the capability category filter's
    # categories, 5 the process filter's processes, 6 the filtered count, 7 the page (state and
    # district joined; capabilities, expired and expiring certificates counted in per-row
    # subqueries). No full count: show_full_result_count is off.
    with django_assert_max_num_queries(7):
        response = admin_client.get(admin_url(Supplier, "changelist"))

    assert len(response.context["cl"].result_list) == suppliers


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Certification, lambda: f.CertificationFactory()),
        (Match, lambda: f.MatchFactory()),
    ],
    ids=["certification", "match"],
)
def test_the_other_big_changelists_do_not_grow_with_their_rows(
    admin_client: Client, django_assert_max_num_queries: Any, model: type[Model], make: Any
) -> None:
    make()
    with django_assert_max_num_queries(10) as few:
        admin_client.get(admin_url(model, "changelist"))
    for _ in range(20):
        make()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(admin_url(model, "changelist"))

    assert len(response.context["cl"].result_list) == 21


# --- Certificates ------------------------------------------------------------------------------


def test_the_expired_filter_shows_only_certificates_past_their_valid_until(
    admin_client: Client,
) -> None:
    today = timezone.localdate()
    expired = f.CertificationFactory(valid_until=today - datetime.timedelta(days=1))
    last_day = f.CertificationFactory(valid_until=today)
    current = f.CertificationFactory(valid_until=today + datetime.timedelta(days=30))

    assert listed(admin_client, Certification, expired="yes") == [expired]
    assert listed(admin_client, Certification, expired="no") == [last_day, current]


def test_mark_verified_verifies_exactly_the_selected_certificates(admin_client: Client) -> None:
    chosen, left = f.CertificationFactory(), f.CertificationFactory()
    Certification.objects.update(document="certificates/2026/scan.pdf")  # verified against it

    response = admin_client.post(
        admin_url(Certification, "changelist"),
        {"action": "mark_verified", "_selected_action": [chosen.pk]},
        follow=True,
    )

    assert "1 certificate marked verified." in response.content.decode()
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert chosen.is_verified
    assert not left.is_verified


# --- Supplier actions and permissions ----------------------------------------------------------


def test_mark_verified_verifies_exactly_the_selected_suppliers(admin_client: Client) -> None:
    chosen = [f.SupplierFactory(), f.SupplierFactory()]
    left = f.SupplierFactory()

    response = admin_client.post(
        admin_url(Supplier, "changelist"),
        {"action": "mark_verified", "_selected_action": [s.pk for s in chosen]},
        follow=True,
    )

    assert "2 suppliers marked verified." in response.content.decode()
    for supplier in [*chosen, left]:
        supplier.refresh_from_db()
    assert [s.is_verified for s in chosen] == [True, True]
    assert not left.is_verified


def test_mark_unverified_clears_only_the_selected_suppliers(admin_client: Client) -> None:
    chosen = f.SupplierFactory(is_verified=True)
    left = f.SupplierFactory(is_verified=True)

    admin_client.post(
        admin_url(Supplier, "changelist"),
        {"action": "mark_unverified", "_selected_action": [chosen.pk]},
    )

    chosen.refresh_from_db()
    left.refresh_from_db()
    assert not chosen.is_verified
    assert left.is_verified


def test_a_staff_user_without_permissions_is_refused_the_changelists(stranger: Client) -> None:
    assert stranger.get(admin_url(Supplier, "changelist")).status_code == 403
    assert stranger.get(admin_url(Match, "changelist")).status_code == 403


def test_a_viewer_sees_suppliers_but_cannot_verify_them(viewer: Client) -> None:
    supplier = f.SupplierFactory()

    assert viewer.get(admin_url(Supplier, "changelist")).status_code == 200
    viewer.post(
        admin_url(Supplier, "changelist"),
        {"action": "mark_verified", "_selected_action": [supplier.pk]},
    )

    supplier.refresh_from_db()
    assert not supplier.is_verified


def test_the_supplier_form_shows_pan_and_category_but_does_not_let_them_be_typed(
    admin_client: Client,
) -> None:
    supplier = f.SupplierFactory()

    response = admin_client.get(admin_url(Supplier, "change", supplier.pk))

    form_fields = response.context["adminform"].form.fields
    assert "pan" not in form_fields
    assert "category" not in form_fields
    page = response.content.decode()
    assert supplier.pan in page
    assert supplier.get_category_display() in page


# --- Matches and runs --------------------------------------------------------------------------


def test_an_administrator_changes_a_matchs_status_but_not_its_score(
    admin_client: Client,
) -> None:
    match = f.MatchFactory()

    response = admin_client.post(
        admin_url(Match, "change", match.pk),
        {"status": Match.Status.SHORTLISTED, "score": "99", "near_miss_rule": "radius"},
    )

    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.SHORTLISTED
    assert match.status_changed_at is not None
    assert match.score == Decimal("72.50")
    assert match.near_miss_rule == ""


def test_a_match_page_says_why_in_sentences_derived_from_todays_facts(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    need = f.NeedFactory(min_monthly_capacity=Decimal("10000"))
    supplier = f.SupplierFactory(is_verified=True)
    f.SupplierCapabilityFactory(
        supplier=supplier, process=need.process, monthly_capacity=Decimal("8000")
    )
    matches_sync(need_ids=[need.pk])
    match = Match.objects.get()
    Match.objects.filter(pk=match.pk).update(status=Match.Status.INTERESTED)
    matches_sync(need_ids=[need.pk])  # an acted-on near miss is flagged with its rule

    # session, user, match with supplier and need, explanation (needs, certificates of the
    # need, capabilities, certificates), history, transaction.
    with django_assert_max_num_queries(16):
        page = admin_client.get(admin_url(Match, "change", match.pk)).content.decode()

    assert "capacity 8,000 pieces/month, need ≥ 10,000" in page  # the near miss and the flag
    assert page.count("capacity 8,000 pieces/month, need ≥ 10,000") == 2
    assert "<li>Verified profile</li>" in page


def test_the_match_filters_find_near_misses_and_matches_by_udyam_number(
    admin_client: Client,
) -> None:
    near_miss = f.MatchFactory(near_miss_rule="certificates")
    full = f.MatchFactory()

    assert listed(admin_client, Match, near_miss="yes") == [near_miss]
    assert listed(admin_client, Match, near_miss="no") == [full]
    assert listed(admin_client, Match, q=full.supplier.udyam_number) == [full]
    assert listed(admin_client, Match, q=full.supplier.name) == [full]


def test_a_match_run_shows_its_progress_and_cannot_be_edited(admin_client: Client) -> None:
    run = f.MatchRunFactory(chunks_total=10, chunks_done=3, status=MatchRun.Status.RUNNING)

    page = admin_client.get(admin_url(MatchRun, "changelist")).content.decode()
    response = admin_client.post(admin_url(MatchRun, "change", run.pk), {"chunks_done": "10"})

    assert "3 / 10 chunks (30%)" in page
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.chunks_done == 3


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/vendors/process/?q=cnc", "/admin/taxonomy/process/?q=cnc"),
        ("/admin/vendors/msmelimit/3/change/", "/admin/taxonomy/msmelimit/3/change/"),
        ("/admin/schemes/strategicsector/", "/admin/taxonomy/strategicsector/"),
    ],
)
def test_a_bookmark_of_a_moved_vocabulary_page_lands_on_its_new_address(
    admin_client: Client, old: str, new: str
) -> None:
    response = admin_client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert admin_client.get(admin_url(Supplier, "changelist")).status_code == 200


def test_the_msme_limits_and_net_worth_slabs_read_in_crore(admin_client: Client) -> None:
    # MSME limits come from a data migration: micro ₹2.5 crore / ₹10 crore since 2025-04-01.
    limits = admin_client.get(admin_url(MsmeLimit, "changelist")).content.decode()
    assert "₹2.5 crore" in limits and "₹10 crore" in limits and "25000000" not in limits
    slab = f.NetWorthSlabFactory(min_capacity_mtpa=1100, max_capacity_mtpa=1200)
    assert str(slab) == "1,100–1,200 MTPA: ₹180 crore"
