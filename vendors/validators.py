"""Validators for Indian business identifiers; each message names the rule that failed, in the
reader's language (the MSME pages show them in English and Hindi)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.in_ import gstin as stdnum_gstin

UDYAM_RE = re.compile(r"^UDYAM-[A-Z]{2}-\d{2}-\d{7}$")
PIN_CODE_RE = re.compile(r"^[1-9]\d{5}$")


def normalise_identifier(value: str) -> str:
    """Upper-case and strip spaces, so ' udyam-tn-12-0012345 ' is accepted as typed."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_udyam_number(value: str) -> None:
    if not UDYAM_RE.match(value or ""):
        raise ValidationError(
            _(
                "Enter the Udyam registration number as UDYAM-SS-DD-NNNNNNN: a two-letter state "
                "code, a two-digit district code and seven digits (e.g. UDYAM-TN-12-0012345)."
            ),
            code="udyam_format",
        )


def validate_gstin(value: str) -> None:
    """Check the GSTIN's length, layout, embedded PAN and mod-36 check character."""
    try:
        stdnum_gstin.validate(value)
    except InvalidLength as exc:
        raise ValidationError(_("A GSTIN has exactly 15 characters."), code="gstin_length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("This GSTIN's last character does not match its check digit; check for a typo."),
            code="gstin_checksum",
        ) from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(
            _(
                "A GSTIN is a two-digit state code, a 10-character PAN, an entity number, 'Z' "
                "and a check character (e.g. 33AABCU9603R1ZX)."
            ),
            code="gstin_format",
        ) from exc


def pan_from_gstin(gstin: str | None) -> str:
    """The holder's PAN, characters 3–12 of the GSTIN; empty without a GSTIN.

    The one place a PAN is derived: ``Supplier.derive_fields`` and demo seeding both call it.
    """
    return stdnum_gstin.to_pan(gstin) if gstin else ""


def validate_pin_code(value: str) -> None:
    if not PIN_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A PIN code is six digits and does not start with 0 (e.g. 635109)."),
            code="pin_code_format",
        )


# A certificate's scan: PDF, JPEG or PNG, known by its first bytes rather than its name.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def document_content_type(head: bytes) -> str | None:
    """The type the file's first bytes show (None: none we accept)."""
    for content_type, signatures in DOCUMENT_SIGNATURES.items():
        if head.startswith(signatures):
            return content_type
    return None


def validate_certificate_document(file: object) -> None:
    """Size-limited, and a PDF, JPEG or PNG whose bytes agree with its name."""
    size = getattr(file, "size", 0) or 0
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; upload a scan of at most 5 MB."),
            code="document_too_large",
            params={"size": f"{size / 1024 / 1024:.1f}"},
        )
    name = str(getattr(file, "name", "")).lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    named_as = DOCUMENT_EXTENSIONS.get(extension)
    if named_as is None:
        raise ValidationError(
            _("Upload the certificate as a PDF, JPEG or PNG file."), code="document_type"
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if document_content_type(head) != named_as:
        raise ValidationError(
            _(
                "This file's contents are not a %(kind)s, whatever its name says; upload the "
                "scan itself as a PDF, JPEG or PNG."
            ),
            code="document_content",
            params={"kind": extension.lstrip(".").upper()},
        )
