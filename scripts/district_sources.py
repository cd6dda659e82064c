"""What ``build_districts.py`` looks up: the states and industrial districts, by hand.

Names, codes and headquarters only: every coordinate comes from GeoNames when the script runs,
never from this file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    code: str  # two-letter state code used in Udyam numbers
    name: str
    gst_code: str  # checked against stdnum.in_.gstin._STATE_CODES
    geonames_admin1: str  # asserted against the data (see derive_admin1)
    capital: str
    anchor: str | None = None  # town used to derive admin1 if not the capital


@dataclass(frozen=True)
class District:
    state: str
    name: str
    headquarters: str  # official current headquarters name
    note: str  # why it is an industrial district
    # The same headquarters town under the name GeoNames lists it by (former
    # name or spelling variant); tried only if `headquarters` has no match.
    geonames_alias: str | None = None
    # Explicit fallback: the district's largest listed town in the same state,
    # used only when the headquarters is missing from the data.
    fallback_town: str | None = None


# stdnum's labels for some GST codes use older spellings/names.
GST_LABEL_ALIASES: dict[str, str] = {
    "Odisha": "Orissa",
    "Chhattisgarh": "Chattisgarh",
    "Andhra Pradesh": "Andhra Pradesh (New)",  # 28 is the pre-2014 state
}

STATES: list[State] = [
    State("AP", "Andhra Pradesh", "37", "02", "Amaravati"),
    State("CG", "Chhattisgarh", "22", "37", "Raipur"),
    State("DL", "Delhi", "07", "07", "New Delhi"),
    State("GA", "Goa", "30", "33", "Panaji"),
    State("GJ", "Gujarat", "24", "09", "Gandhinagar"),
    # Chandigarh (capital of Haryana and Punjab) is itself a union territory.
    State("HR", "Haryana", "06", "10", "Chandigarh", anchor="Faridabad"),
    State("HP", "Himachal Pradesh", "02", "11", "Shimla"),
    State("JH", "Jharkhand", "20", "38", "Ranchi"),
    State("KA", "Karnataka", "29", "19", "Bengaluru"),
    State("KL", "Kerala", "32", "13", "Thiruvananthapuram"),
    State("MP", "Madhya Pradesh", "23", "35", "Bhopal"),
    State("MH", "Maharashtra", "27", "16", "Mumbai"),
    State("OD", "Odisha", "21", "21", "Bhubaneswar"),
    State("PB", "Punjab", "03", "23", "Chandigarh", anchor="Ludhiana"),
    State("RJ", "Rajasthan", "08", "24", "Jaipur"),
    State("TN", "Tamil Nadu", "33", "25", "Chennai"),
    State("TS", "Telangana", "36", "40", "Hyderabad"),
    State("UP", "Uttar Pradesh", "09", "36", "Lucknow"),
    State("UK", "Uttarakhand", "05", "39", "Dehradun"),
    State("WB", "West Bengal", "19", "28", "Kolkata"),
]

D = District
# fmt: off
DISTRICTS: list[District] = [
    # --- Gujarat ---------------------------------------------------------
    D("GJ", "Ahmedabad", "Ahmedabad",
      "Pharma, chemicals and textiles (Vatva, Naroda, Sanand)"),
    D("GJ", "Bharuch", "Bharuch",
      "Dahej and Ankleshwar chemicals and petrochemicals estates"),
    D("GJ", "Jamnagar", "Jamnagar", "Brass-parts cluster and refinery complex"),
    D("GJ", "Kachchh", "Bhuj", "Mundra and Kandla ports; salt and engineering SEZs"),
    D("GJ", "Morbi", "Morbi", "Ceramic tiles and sanitaryware cluster"),
    D("GJ", "Rajkot", "Rajkot", "Engineering, auto-parts and machine-tools cluster"),
    D("GJ", "Surat", "Surat", "Diamond polishing, synthetic textiles and Hazira steel"),
    D("GJ", "Vadodara", "Vadodara",
      "Petrochemicals, engineering and pharma (Nandesari, Makarpura)"),
    D("GJ", "Valsad", "Valsad",
      "Vapi GIDC chemicals and pharma estate (Vapi is in this district)"),
    # --- Tamil Nadu ------------------------------------------------------
    D("TN", "Chengalpattu", "Chengalpattu",
      "Maraimalai Nagar and Mahindra World City auto/industrial parks"),
    D("TN", "Chennai", "Chennai", "Auto and electronics hub (Ambattur, Guindy estates)"),
    D("TN", "Coimbatore", "Coimbatore", "Pumps, motors and textile-machinery cluster"),
    D("TN", "Kancheepuram", "Kanchipuram",
      "Sriperumbudur and Oragadam auto and electronics corridor"),
    D("TN", "Krishnagiri", "Krishnagiri",
      "Hosur auto-components and electronics cluster (Hosur is in this district)"),
    D("TN", "Madurai", "Madurai", "Kappalur estate; rubber goods and textiles"),
    D("TN", "Salem", "Salem", "Salem Steel Plant, sago and textiles"),
    D("TN", "Thoothukudi", "Thoothukudi", "V.O. Chidambaranar port, salt and chemicals"),
    D("TN", "Tirunelveli", "Tirunelveli",
      "Gangaikondan SIPCOT; solar cell and module manufacturing"),
    D("TN", "Tiruppur", "Tiruppur", "Knitwear and hosiery export cluster"),
    D("TN", "Tiruvallur", "Tiruvallur", "Gummidipoondi and Ponneri industrial belt"),
    # --- Karnataka -------------------------------------------------------
    D("KA", "Ballari", "Ballari", "Iron ore and steel (Toranagallu)"),
    D("KA", "Belagavi", "Belagavi", "Foundries and aerospace precision-engineering cluster"),
    D("KA", "Bengaluru Urban", "Bengaluru", "Aerospace, electronics and machine tools (Peenya)"),
    D("KA", "Dakshina Kannada", "Mangaluru", "New Mangalore port, refinery and petrochemicals"),
    # Dharwad (the town) is not in GeoNames cities500; Hubballi, in the same
    # district, is listed with the combined Hubballi-Dharwad population.
    D("KA", "Dharwad", "Dharwad",
      "Hubballi-Dharwad engineering and FMCG units (Hubballi is in this district)",
      fallback_town="Hubballi"),
    D("KA", "Mysuru", "Mysuru", "Hebbal and Nanjangud engineering and auto-parts estates"),
    D("KA", "Tumakuru", "Tumakuru", "Vasanthanarasapura industrial node; HAL helicopter factory"),
    # --- Odisha ----------------------------------------------------------
    D("OD", "Angul", "Angul", "NALCO aluminium smelter, coal and steel"),
    D("OD", "Cuttack", "Cuttack", "Jagatpur estate and steel-based SMEs"),
    D("OD", "Ganjam", "Chhatrapur", "Gopalpur port and IREL mineral-sands plant near Chhatrapur"),
    D("OD", "Jagatsinghpur", "Jagatsinghpur", "Paradip port, refinery and fertilisers"),
    D("OD", "Jajpur", "Jajpur", "Kalinganagar steel hub"),
    D("OD", "Jharsuguda", "Jharsuguda", "Aluminium smelter and power"),
    D("OD", "Kendujhar", "Kendujhar", "Iron-ore mining and sponge iron"),
    D("OD", "Khordha", "Khordha",
      "Bhubaneswar engineering and electronics estates (Bhubaneswar is in this district)"),
    D("OD", "Sundargarh", "Sundargarh",
      "Rourkela Steel Plant and ancillaries (Rourkela is in this district)"),
    # --- Andhra Pradesh --------------------------------------------------
    D("AP", "Anakapalli", "Anakapalli", "Atchutapuram SEZ and Parawada pharma city"),
    D("AP", "Anantapur", "Anantapur", "Tadipatri cement and granite-polishing units"),
    D("AP", "Guntur", "Guntur", "Chilli and tobacco processing, spinning mills"),
    D("AP", "Kakinada", "Kakinada", "Kakinada port, fertilisers and gas-based industry"),
    D("AP", "Krishna", "Machilipatnam", "Mallavalli industrial park and Machilipatnam port"),
    D("AP", "NTR", "Vijayawada", "Vijayawada autonagar and Kondapalli industrial estate"),
    D("AP", "Nellore", "Nellore", "Krishnapatnam port and industrial node"),
    D("AP", "Sri Sathya Sai", "Puttaparthi", "Kia Motors plant at Penukonda"),
    D("AP", "Srikakulam", "Srikakulam", "Pydibhimavaram pharma and chemicals cluster"),
    D("AP", "Tirupati", "Tirupati", "Sri City and electronics manufacturing clusters"),
    D("AP", "Visakhapatnam", "Visakhapatnam", "Steel plant, shipbuilding and port"),
    # --- Kerala ----------------------------------------------------------
    D("KL", "Alappuzha", "Alappuzha", "Coir cluster and beach mineral sands (Thottappally)"),
    D("KL", "Ernakulam", "Kakkanad", "Kochi refinery, shipyard and Eloor chemicals belt"),
    D("KL", "Kollam", "Kollam", "Chavara mineral sands (IREL, KMML) and cashew processing"),
    D("KL", "Palakkad", "Palakkad", "Kanjikode industrial area"),
    D("KL", "Thiruvananthapuram", "Thiruvananthapuram",
      "Technopark, Keltron and space-component suppliers"),
    # --- Maharashtra -----------------------------------------------------
    # Renamed from Aurangabad in 2023; GeoNames still lists the city as Aurangabad.
    D("MH", "Chhatrapati Sambhajinagar", "Chhatrapati Sambhajinagar",
      "Waluj and Shendra MIDC auto and engineering",
      geonames_alias="Aurangabad"),
    # The collectorate is at Bandra, which GeoNames does not list; the GeoNames
    # point for Mumbai (19.07283 N, 72.88261 E) lies in the suburban district.
    D("MH", "Mumbai Suburban", "Bandra",
      "SEEPZ and Andheri MIDC electronics, gems and jewellery",
      fallback_town="Mumbai"),
    D("MH", "Nagpur", "Nagpur", "Butibori and Hingna MIDC engineering"),
    D("MH", "Nashik", "Nashik", "Satpur and Ambad MIDC auto and electrical engineering"),
    D("MH", "Pune", "Pune", "Auto and engineering hub (Chakan, Pimpri-Chinchwad)"),
    D("MH", "Raigad", "Alibag", "Taloja, Rasayani and Patalganga chemicals belt"),
    D("MH", "Thane", "Thane", "Thane-Belapur, Ambernath and Dombivli chemicals and engineering"),
    # --- Telangana -------------------------------------------------------
    D("TS", "Hyderabad", "Hyderabad", "Sanathnagar and Azamabad estates; defence electronics"),
    D("TS", "Peddapalli", "Peddapalli", "Ramagundam power station and fertiliser plant"),
    # GeoNames spells the same town "Sangāreddi".
    D("TS", "Sangareddy", "Sangareddy",
      "Patancheru and Pashamylaram bulk-drug and pharma cluster",
      geonames_alias="Sangareddi"),
    # --- Uttar Pradesh ---------------------------------------------------
    D("UP", "Agra", "Agra", "Footwear and leather cluster"),
    D("UP", "Aligarh", "Aligarh", "Locks and hardware cluster"),
    D("UP", "Firozabad", "Firozabad", "Glass bangles and glassware cluster"),
    D("UP", "Gautam Buddh Nagar", "Greater Noida",
      "Noida electronics and mobile-phone manufacturing"),
    D("UP", "Ghaziabad", "Ghaziabad", "Engineering, steel fabrication and electrical goods"),
    D("UP", "Kanpur Nagar", "Kanpur", "Leather, textiles and ordnance factories"),
    D("UP", "Lucknow", "Lucknow", "Chikankari embroidery cluster and Amausi industrial area"),
    D("UP", "Moradabad", "Moradabad", "Brassware and metal-handicraft export cluster"),
    # --- Haryana ---------------------------------------------------------
    D("HR", "Ambala", "Ambala", "Scientific instruments cluster"),
    D("HR", "Faridabad", "Faridabad", "Auto-parts, engineering and tractors"),
    D("HR", "Gurugram", "Gurugram", "Automobile and auto-components hub (Manesar)"),
    D("HR", "Panipat", "Panipat", "Handloom and recycled-textile cluster; refinery"),
    D("HR", "Sonipat", "Sonipat", "Kundli and Rai industrial estates"),
    # --- Rajasthan -------------------------------------------------------
    D("RJ", "Alwar", "Alwar", "Matsya industrial area and engineering units"),
    D("RJ", "Bhilwara", "Bhilwara", "Synthetic suiting and textiles cluster"),
    D("RJ", "Jaipur", "Jaipur", "Gems, jewellery and printed textiles (Sitapura, Sanganer)"),
    D("RJ", "Jodhpur", "Jodhpur", "Handicraft furniture, guar gum and steel utensils"),
    # --- West Bengal -----------------------------------------------------
    # Hugli-Chinsurah is one twin-town municipality; GeoNames lists it as Hugli.
    D("WB", "Hooghly", "Hugli-Chinsurah", "Jute mills and engineering along the Hooghly",
      geonames_alias="Hugli"),
    D("WB", "Howrah", "Howrah", "Foundries and light-engineering cluster"),
    D("WB", "Kolkata", "Kolkata", "Garments (Metiabruz), engineering and trade hub"),
    D("WB", "Paschim Bardhaman", "Asansol", "Durgapur-Asansol steel and coal belt"),
    D("WB", "Purba Medinipur", "Tamluk", "Haldia port, refinery and petrochemicals"),
    # --- Punjab ----------------------------------------------------------
    D("PB", "Jalandhar", "Jalandhar", "Sports goods and hand-tools cluster"),
    D("PB", "Ludhiana", "Ludhiana", "Bicycles, hosiery and auto-parts hub"),
    D("PB", "Sahibzada Ajit Singh Nagar", "Mohali", "Mohali tractors, electronics and IT"),
    # --- Madhya Pradesh --------------------------------------------------
    D("MP", "Bhopal", "Bhopal", "Govindpura industrial area and BHEL ancillaries"),
    D("MP", "Dhar", "Dhar", "Pithampur auto and pharma SEZ (Pithampur is in this district)"),
    D("MP", "Indore", "Indore", "Sanwer Road industrial area, pharma and food processing"),
    D("MP", "Raisen", "Raisen", "Mandideep industrial area near Bhopal"),
    # --- Delhi -----------------------------------------------------------
    D("DL", "New Delhi", "New Delhi", "Head offices, trade and services MSMEs"),
    # --- Uttarakhand -----------------------------------------------------
    D("UK", "Haridwar", "Haridwar", "SIDCUL Haridwar pharma and FMCG"),
    D("UK", "Udham Singh Nagar", "Rudrapur", "SIDCUL Pantnagar automobile and FMCG"),
    # --- Himachal Pradesh ------------------------------------------------
    D("HP", "Solan", "Solan", "Baddi-Barotiwala-Nalagarh pharma hub"),
    # --- Chhattisgarh ----------------------------------------------------
    D("CG", "Durg", "Durg", "Bhilai Steel Plant and ancillaries"),
    D("CG", "Korba", "Korba", "Aluminium smelter and thermal power"),
    D("CG", "Raipur", "Raipur", "Urla and Siltara steel and sponge-iron estates"),
    # --- Jharkhand -------------------------------------------------------
    D("JH", "Bokaro", "Bokaro Steel City", "Bokaro Steel Plant and ancillaries"),
    D("JH", "Dhanbad", "Dhanbad", "Coal mining and coal-based industry"),
    D("JH", "East Singhbhum", "Jamshedpur", "Steel and automobile manufacturing (Jamshedpur)"),
    D("JH", "Ranchi", "Ranchi", "HEC heavy engineering"),
    # --- Goa -------------------------------------------------------------
    D("GA", "North Goa", "Panaji", "Kundaim and Corlim pharma and industrial estates"),
    D("GA", "South Goa", "Margao", "Verna industrial estate and Mormugao port"),
]
# fmt: on

# Industrial districts deliberately not included, with the reason.
LEFT_OUT: dict[tuple[str, str], str] = {
    ("TS", "Rangareddy"): "headquarters uncertain (old Hyderabad seat vs new collectorate)",
    ("TS", "Medchal-Malkajgiri"): "headquarters uncertain (Medchal vs Shamirpet collectorate)",
    ("KA", "Bengaluru Rural"): "headquarters moved out of Bengaluru; current seat not verified",
}
