"""Identifier and field validation: each failure names the field and says why."""

import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.in_ import gstin as stdnum_gstin

from tests.factories import DistrictFactory, StateFactory, SupplierFactory
from vendors.identifiers import make_gstin, make_pan
from vendors.validators import validate_gstin, validate_pin_code, validate_udyam_number

# Valid examples built by the same code the demo data uses, checked by python-stdnum.
VALID_GSTIN = make_gstin(gst_state_code="33", pan="AABCU9603R")


@pytest.mark.parametrize("number", ["UDYAM-TN-12-0012345", "UDYAM-GJ-01-9999999"])
def test_it_accepts_well_formed_udyam_numbers(number: str) -> None:
    validate_udyam_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "UDYAM-TN-12-001234",  # six digits
        "UDYAM-T1-12-0012345",  # state code not letters
        "UDYAM-TN-1-0012345",  # one-digit district
        "UDYAM-tn-12-0012345",  # lower case (forms normalise before validating)
        "UDYOG-TN-12-0012345",
        "",
    ],
)
def test_it_rejects_malformed_udyam_numbers_with_the_expected_layout(number: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_udyam_number(number)
    assert "UDYAM-SS-DD-NNNNNNN" in excinfo.value.messages[0]


def test_it_accepts_a_checksum_valid_gstin() -> None:
    assert stdnum_gstin.is_valid(VALID_GSTIN)
    validate_gstin(VALID_GSTIN)


@pytest.mark.parametrize(
    ("gstin", "code"),
    [
        (VALID_GSTIN[:-1] + ("A" if VALID_GSTIN[-1] != "A" else "B"), "gstin_checksum"),
        (VALID_GSTIN[:14], "gstin_length"),
        ("33AABCU9603R1YX", "gstin_format"),  # 14th character must be Z
        ("99AABCU9603R1ZX", "gstin_format"),  # no such state code
    ],
)
def test_it_rejects_a_bad_gstin_and_says_why(gstin: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_gstin(gstin)
    assert excinfo.value.code == code


@pytest.mark.parametrize("pin", ["635109", "110001"])
def test_it_accepts_six_digit_pin_codes(pin: str) -> None:
    validate_pin_code(pin)


@pytest.mark.parametrize("pin", ["035109", "63510", "6351090", "63510A"])
def test_it_rejects_malformed_pin_codes(pin: str) -> None:
    with pytest.raises(ValidationError, match="six digits"):
        validate_pin_code(pin)


def test_generated_gstins_are_checksum_valid_for_many_pans() -> None:
    rng = random.Random(3)
    for _ in range(500):
        assert stdnum_gstin.is_valid(make_gstin(gst_state_code="24", pan=make_pan(rng)))


@pytest.mark.django_db
class TestSupplierValidation:
    def test_a_valid_supplier_passes_full_clean_and_derives_pan_category_and_location(self) -> None:
        supplier = SupplierFactory()
        supplier.full_clean()
        assert supplier.pan == supplier.gstin[2:12]
        assert supplier.category == "micro"
        assert (supplier.latitude, supplier.longitude) == (
            supplier.district.latitude,
            supplier.district.longitude,
        )

    def test_it_rejects_a_gstin_from_another_state(self) -> None:
        supplier = SupplierFactory.build(
            state=StateFactory(), gstin=make_gstin(gst_state_code="24", pan="AABCU9603R")
        )
        supplier.district = DistrictFactory(state=supplier.state)
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean()
        assert "GST state 24" in excinfo.value.message_dict["gstin"][0]
        assert "Tamil Nadu" in excinfo.value.message_dict["gstin"][0]

    def test_it_rejects_a_udyam_number_from_another_state(self) -> None:
        supplier = SupplierFactory.build(udyam_number="UDYAM-GJ-01-0000001")
        supplier.state = StateFactory()
        supplier.district = DistrictFactory(state=supplier.state)
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean()
        assert "state code GJ" in excinfo.value.message_dict["udyam_number"][0]

    def test_it_rejects_a_district_of_another_state(self) -> None:
        gujarat = StateFactory(code="GJ", name="Gujarat", gst_code="24")
        supplier = SupplierFactory.build()
        supplier.state = StateFactory()
        supplier.district = DistrictFactory(state=gujarat)
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean(exclude=["udyam_number", "gstin"])
        assert "is not in Tamil Nadu" in excinfo.value.message_dict["district"][0]

    @pytest.mark.parametrize(
        ("field", "value", "expected"),
        [
            ("latitude", 40.0, "too far north"),
            ("latitude", 2.0, "too far south"),
            ("longitude", 60.0, "too far west"),
            ("longitude", 100.0, "too far east"),
        ],
    )
    def test_it_rejects_coordinates_outside_india(
        self, field: str, value: float, expected: str
    ) -> None:
        supplier = SupplierFactory()
        supplier.latitude, supplier.longitude = 12.7, 77.8
        setattr(supplier, field, value)
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean()
        assert expected in excinfo.value.message_dict[field][0]

    def test_it_rejects_half_a_coordinate_pair(self) -> None:
        supplier = SupplierFactory()
        supplier.longitude = None
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean()
        assert "longitude" in excinfo.value.message_dict

    def test_it_rejects_negative_money_and_capacity(self) -> None:
        from tests.factories import SupplierCapabilityFactory

        supplier = SupplierFactory()
        supplier.investment_rupees = -1
        with pytest.raises(ValidationError) as excinfo:
            supplier.full_clean()
        assert "investment_rupees" in excinfo.value.message_dict
        from tests.factories import ProcessFactory

        capability = SupplierCapabilityFactory.build(
            supplier=supplier, process=ProcessFactory(), monthly_capacity=-5
        )
        with pytest.raises(ValidationError) as excinfo:
            capability.full_clean(exclude=["supplier"])
        assert "monthly_capacity" in excinfo.value.message_dict

    def test_it_normalises_identifiers_typed_in_lower_case_with_spaces(self) -> None:
        supplier = SupplierFactory()
        supplier.udyam_number = " " + supplier.udyam_number.lower() + " "
        supplier.gstin = supplier.gstin.lower()
        supplier.full_clean()
        assert supplier.udyam_number.startswith("UDYAM-TN-")
        assert supplier.gstin == supplier.gstin.upper()

    def test_it_rejects_unknown_materials(self) -> None:
        from tests.factories import SupplierCapabilityFactory

        capability = SupplierCapabilityFactory(materials=["ndfeb_sintered", "unobtainium"])
        with pytest.raises(ValidationError, match="unobtainium"):
            capability.full_clean()
