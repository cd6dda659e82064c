"""The API against its own OpenAPI schema: Schemathesis fuzzes every operation under /api/v1/.

The schema is the live one (``/api/schema/`` of the WSGI application). Each operation gets the
examples, coverage and fuzzing phases, positive and negative data, every default check, a fixed
seed and at least 100 fuzzed examples; any failure fails the test. Requests carry the key of an
anchor partner scoped to one facility, with needs, matches and certificates to find.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections

from config.wsgi import application
from partners import keys
from partners.models import ApiKey
from partners.services import partner_ensure
from schemes.models import Facility
from tests import factories as f

# A key made for this test (a real key is random; any ``repm_<8>_<secret>`` string works).
KEY = "repm_contract_" + "k" * 43
SEED = 20261206

config = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": 100, "database": "none"},
        "headers": {"Authorization": f"Api-Key {KEY}"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config)


@pytest.fixture
def contract_world(db: None, settings) -> Iterator[None]:
    """A partner with one facility, its needs and matches (some with certificates), another
    facility's need and match it must not see, and the reference data the eligibility check
    judges by. The WSGI handler runs in this test's transaction, as the test client does."""
    from django.core.management import call_command

    call_command("seed_reference", verbosity=0)
    facility, other = Facility.objects.order_by("number")[:2]
    for need_facility in (facility, facility, other):
        need = f.NeedFactory(facility=need_facility)
        for score in (90, 75, 60):
            match = f.MatchFactory(need=need, score=score)
            f.CertificationFactory(supplier=match.supplier)
    partner = partner_ensure(name="Contract anchor", facilities=[facility])
    ApiKey.objects.create(partner=partner, prefix=keys.prefix_of(KEY), digest=keys.digest_of(KEY))
    # Generous rates: the throttles have their own tests; thousands of calls here must pass.
    settings.PARTNER_API_RATE = "1000000/minute"
    settings.ELIGIBILITY_API_ANON_RATE = "1000000/minute"
    cache.clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("contract_world")
@schema.include(path_regex="^/api/v1/").parametrize()
def test_the_api_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate()
