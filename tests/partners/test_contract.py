"""The API against its own OpenAPI schema: Schemathesis fuzzes every operation under /api/v1/.

The schema is the live one (``/api/schema/`` of the WSGI application, served in this test's
transaction). Each operation gets Schemathesis's phases (the schema's examples, coverage of each
constraint's edges, fuzzing) with valid and invalid data, every default check, a fixed seed and
100 fuzzed examples; any failure fails the test. Requests carry the key of an anchor partner
scoped to one facility, which has needs, matches and certificates; another facility's need and
matches exist too (its ids must be 404s).

What no schema can say, a generator cannot guess: which slugs name a row, which cursors the API
issued, how far back deleted matches are remembered, which bidder answers go together. For
valid (positive) cases only, ``realistic`` swaps such values for real ones, chosen from the
drawn value so the run stays reproducible; invalid cases go out as drawn and must be refused.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from schemathesis import GenerationMode

from allocation.models import Recommendation
from allocation.services import allocate_all
from clusters.models import Cluster, District, State
from config.wsgi import application
from consortia.models import Consortium, ConsortiumMember
from matching.models import Match
from partners import cursors, keys
from partners.models import ApiKey
from partners.services import partner_ensure
from schemes.models import Facility, Need
from taxonomy.models import CertificationType, Process, StrategicSector
from tests import factories as f

# A key made for this test (real keys are random; any well-formed key string works).
KEY = "repm_contract_" + "k" * 43
SEED = 20261206
MAX_EXAMPLES = 100

config = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "auth": {"openapi": {"ApiKey": {"api_key": f"Api-Key {KEY}"}}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config)

# Real values for positive cases, by kind; filled by the fixture, read by the hook.
REAL: dict[str, list[Any]] = {}


def pick(kind: str, drawn: Any) -> Any:
    """One of the real values of ``kind``, chosen by the drawn value (not at random)."""
    values = REAL[kind]
    return values[zlib.crc32(repr(drawn).encode()) % len(values)]


def _number(drawn: Any, modulo: int) -> int:
    return zlib.crc32(repr(drawn).encode()) % modulo


def realistic(case: schemathesis.Case) -> None:
    """A valid case with real slugs, ids, cursors and answers (see the module's docstring)."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    path = case.operation.path
    query = case.query or {}
    for name, kind in (
        ("facility", "facility"),
        ("process", "process"),
        ("cluster", "cluster"),
        ("state", "state"),
    ):
        if name in query:
            query[name] = pick(kind, query[name])
    if "updated_since" in query:  # a sync from before the tombstones kept is refused
        since = timezone.now() - datetime.timedelta(minutes=_number(query["updated_since"], 10**5))
        query["updated_since"] = since.isoformat()
    if query.get("cursor"):
        query["cursor"] = _cursor(path, query)
    for name, kind in (("need_id", "need"), ("match_id", "match"), ("consortium_id", "consortium")):
        if name in (case.path_parameters or {}) and _number(case.path_parameters[name], 4):
            case.path_parameters[name] = pick(kind, case.path_parameters[name])  # 3 in 4 real
    if path.endswith("/eligibility/check/") and isinstance(case.body, dict):
        _real_answers(case.body)


def _cursor(path: str, query: dict[str, Any]) -> str:
    drawn = query["cursor"]
    position: cursors.Position = cursors.IdPosition(id=_number(drawn, 1000))
    if path.endswith("/matches/") and "updated_since" in query:
        at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        at += datetime.timedelta(minutes=_number(drawn, 10**6))
        position = cursors.SyncPosition(
            changed_at=at, kind=_number(drawn, 2), id=1, horizon=at + datetime.timedelta(hours=1)
        )
    elif path.endswith("/matches/"):
        position = cursors.RankPosition(score=Decimal(_number(drawn, 10001)) / 100, id=1)
    return cursors.encode(position)


def _real_answers(body: dict[str, Any]) -> None:
    """The eligibility answers with real slugs, amounts typed as people type them, and the
    bidder's answers complete (the API refuses a bidder without them)."""
    if "district" in body:
        body["district"] = pick("district", body["district"])
    for name in ("processes", "certifications", "sectors"):
        if isinstance(body.get(name), list):
            body[name] = [pick(name, item) for item in body[name]]
    for name in ("investment_rupees", "turnover_rupees"):
        if isinstance(body.get(name), str):
            body[name] = pick("typed_amount", body[name])
    if body.get("bidding"):
        if body.get("capacity_sought_mtpa") is None:
            body["capacity_sought_mtpa"] = 600
        if body.get("net_worth_crore") is None:
            body["net_worth_crore"] = "200"
        if body.get("consortium") is None:
            body["consortium"] = False
        if body.get("consortium") and body.get("lead_equity_percent") is None:
            body["lead_equity_percent"] = "51"


@pytest.fixture
def contract_world(db: None, settings: Any) -> Iterator[None]:
    """A partner with one facility, its needs and matches (their suppliers certified),
    another facility's need and matches, and the reference data the eligibility check judges
    by. The WSGI handler runs inside this test's transaction, as Django's test client does."""
    call_command("seed_reference", verbosity=0)
    facility, other = Facility.objects.order_by("number")[:2]
    process = Process.objects.order_by("slug").first()
    for need_facility in (facility, facility, other):
        need = f.NeedFactory(facility=need_facility, process=process)
        for score, near_miss in ((90, ""), (75, ""), (60, "capacity")):
            match = f.MatchFactory(need=need, score=score, near_miss_rule=near_miss)
            f.CertificationFactory(supplier=match.supplier)
            f.SupplierCapabilityFactory(supplier=match.supplier, process=process)
        # A team of two of its suppliers, one member having answered.
        lead, partner = (m.supplier for m in need.matches.order_by("score")[:2])
        team = Consortium.objects.create(
            need=need, team_key=f"{lead.pk}-{partner.pk}", rank=1, score=Decimal(68),
            quantity=Decimal(100), unit="pieces", total_free=Decimal(130),
            spread_km=Decimal("12.5"), place="Hosur",
        )  # fmt: skip
        for supplier, role, share, answer in (
            (lead, "lead", 60, "accepted"),
            (partner, "partner", 40, "pending"),
        ):
            ConsortiumMember.objects.create(
                consortium=team, supplier=supplier, role=role, share=Decimal(share),
                free_capacity=Decimal(share + 10), match_score=Decimal(60),
                km_to_lead=Decimal(0 if role == "lead" else 12), km_to_site=None, response=answer,
            )  # fmt: skip
    Match.objects.filter(need__facility=facility, score=75).update(status="interested")
    allocate_all()  # the recommendations the partner reads
    assert Recommendation.objects.exists()
    partner = partner_ensure(name="Contract anchor", facilities=[facility])
    ApiKey.objects.create(partner=partner, prefix=keys.prefix_of(KEY), digest=keys.digest_of(KEY))
    REAL.update(
        facility=list(Facility.objects.values_list("slug", flat=True)),
        process=list(Process.objects.values_list("slug", flat=True)),
        processes=list(Process.objects.values_list("slug", flat=True)),
        cluster=list(Cluster.objects.values_list("slug", flat=True)),
        state=list(State.objects.values_list("code", flat=True)),
        district=list(District.objects.values_list("slug", flat=True)),
        certifications=list(CertificationType.objects.values_list("code", flat=True)),
        sectors=list(StrategicSector.objects.values_list("slug", flat=True)),
        need=list(Need.objects.values_list("pk", flat=True)),
        match=list(Match.objects.values_list("pk", flat=True)),
        consortium=list(Consortium.objects.values_list("pk", flat=True)),
        typed_amount=["2.5 crore", "25 lakh", "2,50,00,000", "₹ 40,00,000", "80 lakh", "1 crore"],
    )
    # Generous rates: throttling has its own tests; thousands of calls here must all pass.
    settings.PARTNER_API_RATE = "1000000/minute"
    settings.ELIGIBILITY_API_ANON_RATE = "1000000/minute"
    cache.clear()
    # Django's test client keeps the test's connection open across requests; so must this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        REAL.clear()


@pytest.mark.usefixtures("contract_world")
@schema.include(path_regex="^/api/v1/").parametrize()
def test_the_api_keeps_its_contract(case: schemathesis.Case) -> None:
    realistic(case)
    case.call_and_validate()


def test_every_operation_under_v1_is_fuzzed() -> None:
    """The contract covers the whole API: a new operation joins it by being in the schema."""
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in schema.include(path_regex="^/api/v1/").get_all_operations()
    }

    assert operations == {
        "GET /api/v1/facilities/",
        "GET /api/v1/clusters/",
        "GET /api/v1/capabilities/",
        "GET /api/v1/needs/",
        "GET /api/v1/needs/{need_id}/",
        "GET /api/v1/matches/",
        "GET /api/v1/matches/{match_id}/",
        "PATCH /api/v1/matches/{match_id}/",
        "POST /api/v1/eligibility/check/",
        "GET /api/v1/consortia/",
        "GET /api/v1/consortia/{consortium_id}/",
        "GET /api/v1/recommendations/",
    }
    assert schema.config.seed == SEED
    assert schema.config.generation.max_examples >= 100
