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

CLUSTERS: list[dict] = [
    {
        "slug": "gujarat-repm-cluster",
        "name": "Gujarat REPM cluster",
        "kind": "repm_cluster",
        "state": "GJ",
        "districts": ["ahmedabad", "vadodara", "bharuch"],
        "summary": "Candidate state for an integrated REPM facility, near the Sanand and "
        "Vadodara–Bharuch engineering and chemicals belts. Location indicative.",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "tamil-nadu-repm-cluster",
        "name": "Tamil Nadu REPM cluster",
        "kind": "repm_cluster",
        "state": "TN",
        "districts": ["krishnagiri", "kancheepuram", "chengalpattu"],
        "summary": "Candidate state, between the Hosur and Chennai automotive and electronics "
        "clusters. Location indicative.",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "karnataka-repm-cluster",
        "name": "Karnataka REPM cluster",
        "kind": "repm_cluster",
        "state": "KA",
        "districts": ["bengaluru-urban", "tumakuru"],
        "summary": "Candidate state, around Bengaluru's machine-tool, aerospace and electronics "
        "base. Location indicative.",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "odisha-repm-cluster",
        "name": "Odisha REPM cluster",
        "kind": "repm_cluster",
        "state": "OD",
        "districts": ["ganjam", "khordha"],
        "summary": "Candidate state, near IREL's rare-earth operations on the Ganjam coast. "
        "Location indicative.",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "andhra-pradesh-repm-cluster",
        "name": "Andhra Pradesh REPM cluster",
        "kind": "repm_cluster",
        "state": "AP",
        "districts": ["visakhapatnam", "anakapalli"],
        "summary": "Candidate state, around Visakhapatnam's port and heavy-engineering base. "
        "Location indicative.",
        "source": "cabinet-2025-11-26",
    },
    {
        "slug": "odisha-rare-earth-corridor",
        "name": "Odisha Rare Earth Corridor",
        "kind": "rare_earth_corridor",
        "state": "OD",
        "districts": ["ganjam", "khordha"],
        "summary": "Dedicated Rare Earth Corridor for mining, processing, research and "
        "manufacturing, announced in the Union Budget 2026-27.",
        "source": "budget-2026-27",
    },
    {
        "slug": "kerala-rare-earth-corridor",
        "name": "Kerala Rare Earth Corridor",
        "kind": "rare_earth_corridor",
        "state": "KL",
        "districts": ["kollam", "alappuzha"],
        "summary": "Dedicated Rare Earth Corridor along Kerala's mineral-sand coast, announced "
        "in the Union Budget 2026-27.",
        "source": "budget-2026-27",
    },
    {
        "slug": "andhra-pradesh-rare-earth-corridor",
        "name": "Andhra Pradesh Rare Earth Corridor",
        "kind": "rare_earth_corridor",
        "state": "AP",
        "districts": ["srikakulam", "visakhapatnam"],
        "summary": "Dedicated Rare Earth Corridor on the north Andhra coast, announced in the "
        "Union Budget 2026-27.",
        "source": "budget-2026-27",
    },
    {
        "slug": "tamil-nadu-rare-earth-corridor",
        "name": "Tamil Nadu Rare Earth Corridor",
        "kind": "rare_earth_corridor",
        "state": "TN",
        "districts": ["tirunelveli", "thoothukudi"],
        "summary": "Dedicated Rare Earth Corridor along the southern Tamil Nadu coast, "
        "announced in the Union Budget 2026-27.",
        "source": "budget-2026-27",
    },
]
