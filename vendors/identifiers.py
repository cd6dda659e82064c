"""Building valid-format identifiers for demo data and tests (validation is in validators.py)."""

import random
import string

from stdnum import luhn
from stdnum.in_ import gstin as stdnum_gstin

GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Holder types an MSME's PAN commonly has: individual (proprietor), firm/LLP, company.
MSME_PAN_HOLDER_TYPES = "PFC"


def make_pan(rng: random.Random, *, initial: str | None = None) -> str:
    """A PAN of the right shape: 3 letters, holder type, name initial, 4-digit serial, letter."""
    letters = string.ascii_uppercase
    head = "".join(rng.choice(letters) for _ in range(3))
    holder = rng.choice(MSME_PAN_HOLDER_TYPES)
    name_initial = (initial or rng.choice(letters)).upper()
    if name_initial not in letters:
        name_initial = rng.choice(letters)
    serial = f"{rng.randint(1, 9999):04d}"
    return f"{head}{holder}{name_initial}{serial}{rng.choice(letters)}"


def make_gstin(*, gst_state_code: str, pan: str, entity_number: int = 1) -> str:
    """A checksum-valid GSTIN: state code, PAN, entity number (1-9, A-Z), 'Z', check character."""
    body = f"{gst_state_code}{pan}{GSTIN_ALPHABET[entity_number]}Z"
    gstin = body + luhn.calc_check_digit(body, alphabet=GSTIN_ALPHABET)
    return stdnum_gstin.validate(gstin)


def make_udyam_number(*, state_code: str, district_code: str, serial: int) -> str:
    return f"UDYAM-{state_code}-{district_code}-{serial:07d}"
