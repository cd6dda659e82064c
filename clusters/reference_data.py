"""Clusters the product ships: one proposed REPM cluster in each candidate state, and the
Rare Earth Corridors of the Union Budget 2026-27.

No site is public yet, so each cluster's centre is computed as the mean of its districts'
headquarters (GeoNames), never typed in; administrators replace it once a site is notified.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
STATES_CSV = DATA_DIR / "states.csv"
DISTRICTS_CSV = DATA_DIR / "districts.csv"

CANDIDATE_STATE_CODES = ["GJ", "TN", "KA", "OD", "AP"]

# States' Hindi names, by code (states.csv is generated from GeoNames, which has none). Districts
# have no shipped Hindi names: administrators may enter them; until then pages mark them English.
STATE_NAMES_HI = {
    "AP": "आंध्र प्रदेश",
    "CG": "छत्तीसगढ़",
    "DL": "दिल्ली",
    "GA": "गोवा",
    "GJ": "गुजरात",
    "HP": "हिमाचल प्रदेश",
    "HR": "हरियाणा",
    "JH": "झारखंड",
    "KA": "कर्नाटक",
    "KL": "केरल",
    "MH": "महाराष्ट्र",
    "MP": "मध्य प्रदेश",
    "OD": "ओडिशा",
    "PB": "पंजाब",
    "RJ": "राजस्थान",
    "TN": "तमिलनाडु",
    "TS": "तेलंगाना",
    "UK": "उत्तराखंड",
    "UP": "उत्तर प्रदेश",
    "WB": "पश्चिम बंगाल",
}

CLUSTERS: list[dict] = [
    {
        "slug": "gujarat-repm-cluster",
        "name": "Gujarat REPM cluster",
        "name_hi": "गुजरात REPM क्लस्टर",
        "kind": "repm_cluster",
        "state": "GJ",
        "districts": ["ahmedabad", "vadodara", "bharuch"],
        "summary": "Candidate state for an integrated REPM facility, near the Sanand and "
        "Vadodara–Bharuch engineering and chemicals belts. Location indicative.",
        "summary_hi": "एकीकृत REPM सुविधा के लिए संभावित राज्य, साणंद और वडोदरा–भरूच के "
        "इंजीनियरिंग और रसायन उद्योग क्षेत्रों के पास। स्थान सांकेतिक है।",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "tamil-nadu-repm-cluster",
        "name": "Tamil Nadu REPM cluster",
        "name_hi": "तमिलनाडु REPM क्लस्टर",
        "kind": "repm_cluster",
        "state": "TN",
        "districts": ["krishnagiri", "kancheepuram", "chengalpattu"],
        "summary": "Candidate state, between the Hosur and Chennai automotive and electronics "
        "clusters. Location indicative.",
        "summary_hi": "संभावित राज्य, होसुर और चेन्नई के ऑटोमोटिव और इलेक्ट्रॉनिक्स क्लस्टरों "
        "के बीच। स्थान सांकेतिक है।",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "karnataka-repm-cluster",
        "name": "Karnataka REPM cluster",
        "name_hi": "कर्नाटक REPM क्लस्टर",
        "kind": "repm_cluster",
        "state": "KA",
        "districts": ["bengaluru-urban", "tumakuru"],
        "summary": "Candidate state, around Bengaluru's machine-tool, aerospace and electronics "
        "base. Location indicative.",
        "summary_hi": "संभावित राज्य, बेंगलुरु के मशीन-टूल, एयरोस्पेस और इलेक्ट्रॉनिक्स उद्योग "
        "के आसपास। स्थान सांकेतिक है।",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "odisha-repm-cluster",
        "name": "Odisha REPM cluster",
        "name_hi": "ओडिशा REPM क्लस्टर",
        "kind": "repm_cluster",
        "state": "OD",
        "districts": ["ganjam", "khordha"],
        "summary": "Candidate state, near IREL's rare-earth operations on the Ganjam coast. "
        "Location indicative.",
        "summary_hi": "संभावित राज्य, गंजाम तट पर आईआरईएल के रेयर अर्थ संयंत्रों के पास। स्थान सांकेतिक है।",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "andhra-pradesh-repm-cluster",
        "name": "Andhra Pradesh REPM cluster",
        "name_hi": "आंध्र प्रदेश REPM क्लस्टर",
        "kind": "repm_cluster",
        "state": "AP",
        "districts": ["visakhapatnam", "anakapalli"],
        "summary": "Candidate state, around Visakhapatnam's port and heavy-engineering base. "
        "Location indicative.",
        "summary_hi": "संभावित राज्य, विशाखापत्तनम के बंदरगाह और भारी इंजीनियरिंग उद्योग के "
        "आसपास। स्थान सांकेतिक है।",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "odisha-rare-earth-corridor",
        "name": "Odisha Rare Earth Corridor",
        "name_hi": "ओडिशा रेयर अर्थ कॉरिडोर",
        "kind": "rare_earth_corridor",
        "state": "OD",
        "districts": ["ganjam", "khordha"],
        "summary": "Dedicated Rare Earth Corridor for mining, processing, research and "
        "manufacturing, announced in the Union Budget 2026-27.",
        "summary_hi": "खनन, प्रसंस्करण, अनुसंधान और विनिर्माण के लिए समर्पित रेयर अर्थ "
        "कॉरिडोर, केंद्रीय बजट 2026-27 में घोषित।",
        "source": "budget-2026-27",
    },
    {
        "slug": "kerala-rare-earth-corridor",
        "name": "Kerala Rare Earth Corridor",
        "name_hi": "केरल रेयर अर्थ कॉरिडोर",
        "kind": "rare_earth_corridor",
        "state": "KL",
        "districts": ["kollam", "alappuzha"],
        "summary": "Dedicated Rare Earth Corridor along Kerala's mineral-sand coast, announced "
        "in the Union Budget 2026-27.",
        "summary_hi": "केरल के खनिज-रेत वाले तट पर समर्पित रेयर अर्थ कॉरिडोर, केंद्रीय बजट 2026-27 में घोषित।",
        "source": "budget-2026-27",
    },
    {
        "slug": "andhra-pradesh-rare-earth-corridor",
        "name": "Andhra Pradesh Rare Earth Corridor",
        "name_hi": "आंध्र प्रदेश रेयर अर्थ कॉरिडोर",
        "kind": "rare_earth_corridor",
        "state": "AP",
        "districts": ["srikakulam", "visakhapatnam"],
        "summary": "Dedicated Rare Earth Corridor on the north Andhra coast, announced in the "
        "Union Budget 2026-27.",
        "summary_hi": "उत्तरी आंध्र तट पर समर्पित रेयर अर्थ कॉरिडोर, केंद्रीय बजट 2026-27 में घोषित।",
        "source": "budget-2026-27",
    },
    {
        "slug": "tamil-nadu-rare-earth-corridor",
        "name": "Tamil Nadu Rare Earth Corridor",
        "name_hi": "तमिलनाडु रेयर अर्थ कॉरिडोर",
        "kind": "rare_earth_corridor",
        "state": "TN",
        "districts": ["tirunelveli", "thoothukudi"],
        "summary": "Dedicated Rare Earth Corridor along the southern Tamil Nadu coast, "
        "announced in the Union Budget 2026-27.",
        "summary_hi": "दक्षिणी तमिलनाडु तट पर समर्पित रेयर अर्थ कॉरिडोर, केंद्रीय बजट 2026-27 में घोषित।",
        "source": "budget-2026-27",
    },
]
