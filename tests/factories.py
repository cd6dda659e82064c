"""factory-boy factories for every model; valid by default (GSTINs pass their checksum)."""

import datetime
import random
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from clusters.models import Cluster, ClusterAsset, District, State
from matching.models import Match, MatchRun
from schemes.models import Facility, Need, Scheme, ValueChainStage
from taxonomy.models import CapabilityCategory, CertificationType, Process, StrategicSector
from vendors.identifiers import make_gstin, make_pan, make_udyam_number
from vendors.models import Certification, Supplier, SupplierCapability


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.in")
    password = factory.django.Password("correct horse battery staple")


class StateFactory(factory.django.DjangoModelFactory):
    """Defaults to Tamil Nadu; pass code/name/gst_code for another state."""

    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = "TN"
    name = "Tamil Nadu"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    gst_code = "33"
    geonames_admin1 = "25"
    capital = "Chennai"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    state = factory.SubFactory(StateFactory)
    # 20-99: clear of the 01-11 codes seed_reference gives real districts.
    code = factory.Sequence(lambda n: f"{20 + n % 80:02d}")
    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    headquarters = factory.LazyAttribute(lambda o: o.name)
    latitude = 12.74
    longitude = 77.83


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    state = factory.SubFactory(StateFactory)
    centre_latitude = 12.74
    centre_longitude = 77.83


class ClusterAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterAsset

    cluster = factory.SubFactory(ClusterFactory)
    kind = ClusterAsset.Kind.TESTING_LAB
    name = factory.Sequence(lambda n: f"Common testing lab {n}")
    capacity = "2,000 tests a month"


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("slug",)

    name = "Scheme to Promote Manufacturing of Sintered Rare Earth Permanent Magnets"
    short_name = "REPM scheme"
    slug = "repm"
    implementing_ministry = "Ministry of Heavy Industries"
    approved_on = datetime.date(2025, 11, 26)
    approved_by = "Union Cabinet"
    total_outlay_crore = Decimal("7280")
    sales_incentive_crore = Decimal("6450")
    sales_incentive_years = 5
    capital_subsidy_crore = Decimal("750")
    target_capacity_mtpa = 6000
    beneficiaries = 5
    min_allocation_mtpa = 600
    max_allocation_mtpa = 1200
    allocation_step_mtpa = 100
    gestation_years = 2
    incentive_years = 5
    value_chain = "oxide → metal → alloy → magnet"
    eligible_product = "sintered NdFeB REPMs"
    sales_incentive_cap_per_kg_rupees = 2150
    sales_incentive_cap_percent = Decimal("40")
    sales_incentive_min_per_beneficiary_crore = Decimal("645")
    sales_incentive_max_per_beneficiary_crore = Decimal("1290")
    capital_subsidy_percent = Decimal("15")
    capital_subsidy_min_per_beneficiary_crore = Decimal("75")
    capital_subsidy_max_per_beneficiary_crore = Decimal("150")
    capital_investment_counted_from = datetime.date(2025, 4, 1)
    min_eligible_investment_low_crore = Decimal("300")
    min_eligible_investment_high_crore = Decimal("600")
    consortium_lead_min_equity_percent = Decimal("51")
    bidders = "Indian or foreign companies, or consortia."
    raw_material = "IREL assures NdPr oxide to the three lowest bidders."
    context = "Demand met mainly by imports."


class ValueChainStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueChainStage
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"stage-{n}")
    name = factory.Sequence(lambda n: f"Stage {n}")
    order = factory.Sequence(lambda n: n + 100)


class StrategicSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicSector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    scheme = factory.SubFactory(SchemeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Integrated REPM Facility {o.number}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    status = Facility.Status.BIDDING
    cluster = factory.SubFactory(ClusterFactory)


class CapabilityCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityCategory
        django_get_or_create = ("slug",)

    slug = "machining"
    name = "Machining"


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        django_get_or_create = ("slug",)

    category = factory.SubFactory(CapabilityCategoryFactory)
    slug = "cnc-turning"
    name = "CNC turning"


class CertificationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationType
        django_get_or_create = ("code",)

    code = "ISO_9001"
    name = "ISO 9001 quality management"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        skip_postgeneration_save = True

    owner = None
    name = factory.Sequence(lambda n: f"Precision Works {n}")
    state = factory.SubFactory(StateFactory)
    district = factory.SubFactory(DistrictFactory, state=factory.SelfAttribute("..state"))
    udyam_number = factory.LazyAttributeSequence(
        lambda o, n: make_udyam_number(
            state_code=o.state.code, district_code=o.district.code, serial=n + 1
        )
    )
    gstin = factory.LazyAttributeSequence(
        lambda o, n: make_gstin(gst_state_code=o.state.gst_code, pan=make_pan(random.Random(n)))
    )
    pin_code = "635109"
    investment_rupees = 20_000_000
    turnover_rupees = 80_000_000
    employees = 40
    year_established = 2012


class SupplierCapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierCapability

    supplier = factory.SubFactory(SupplierFactory)
    process = factory.SubFactory(ProcessFactory)
    monthly_capacity = Decimal("10000")
    capacity_unit = "pieces"
    best_tolerance_um = Decimal("5")
    max_temperature_c = None
    materials = factory.LazyFunction(lambda: ["ndfeb_sintered"])


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    supplier = factory.SubFactory(SupplierFactory)
    certification_type = factory.SubFactory(CertificationTypeFactory)
    number = factory.Sequence(lambda n: f"QMS-{n:06d}")
    issuer = "TÜV SÜD South Asia"
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    title = factory.Sequence(lambda n: f"Slicing of sintered blocks, lot {n}")
    process = factory.SubFactory(ProcessFactory)
    quantity = Decimal("50000")
    unit = "pieces"
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=120))

    @factory.post_generation
    def required_certifications(
        self, create: bool, extracted: list | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.required_certifications.set(extracted)


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    supplier = factory.SubFactory(SupplierFactory)
    need = factory.SubFactory(NeedFactory)
    score = Decimal("72.50")
    distance_component = Decimal("0.8")
    capacity_component = Decimal("0.6")


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    scope = MatchRun.Scope.FULL


# Scheme reference data. Models named as "app.Model" strings so these could be appended without
# touching the imports above.


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.Source"
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Press release {n}")
    publisher = "Press Information Bureau"
    published_on = datetime.date(2025, 11, 26)
    url = "https://pib.gov.in/"


class SchemeFigureSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.SchemeFigureSource"
        django_get_or_create = ("scheme", "source")

    scheme = factory.SubFactory(SchemeFactory)
    source = factory.SubFactory(SourceFactory)
    fields = "total_outlay_crore,sales_incentive_crore,capital_subsidy_crore"


class NetWorthSlabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.NetWorthSlab"
        django_get_or_create = ("scheme", "min_capacity_mtpa")

    scheme = factory.SubFactory(SchemeFactory)
    min_capacity_mtpa = 600
    max_capacity_mtpa = 600
    net_worth_crore = Decimal("180")
    source = factory.SubFactory(SourceFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schemes.Milestone"
        django_get_or_create = ("scheme", "kind")

    scheme = factory.SubFactory(SchemeFactory)
    kind = "approval"
    order = 1
    date = datetime.date(2025, 11, 26)
    note = "Union Cabinet"
    source = factory.SubFactory(SourceFactory)


def revise_micro_investment_limit(max_investment_rupees: int) -> None:
    """A hypothetical MSME-limits revision from today: the micro investment limit changes, the
    rest carries over (yesterday's limits end)."""
    from taxonomy.models import MsmeLimit

    today = datetime.date.today()
    current = list(MsmeLimit.objects.in_force_on(today))
    MsmeLimit.objects.filter(pk__in=[limit.pk for limit in current]).update(
        effective_to=today - datetime.timedelta(days=1)
    )
    for limit in current:
        MsmeLimit.objects.create(
            category=limit.category,
            max_investment_rupees=max_investment_rupees
            if limit.category == "micro"
            else limit.max_investment_rupees,
            max_turnover_rupees=limit.max_turnover_rupees,
            effective_from=today,
            notification="Hypothetical revision",
        )


# Partners of the API.


class PartnerFactory(factory.django.DjangoModelFactory):
    """An anchor partner; pass ``facilities=[...]`` to scope it (none: reads every facility)."""

    class Meta:
        model = "partners.Partner"
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Anchor Magnetics {n}")
    contact_email = factory.LazyAttribute(lambda o: f"integration@{slugify(o.name)}.example.in")

    @factory.post_generation
    def facilities(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.facilities.set(extracted)
