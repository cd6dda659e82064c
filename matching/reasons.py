"""What the matcher says about a match, as data: a code with its figures, rendered on read.

Nothing stores sentences. A ``Reason`` is a code (``capacity_short``) and the figures it speaks of
(``{"capacity": Decimal("4999"), "unit": "pieces", "needed": Decimal("5000")}``); ``text`` renders
it in the active language through Django's i18n, so every page shows it in its reader's language
(the admin today), and an API can carry the code and figures beside the text (``as_data``).

Figures are written by the house's formatting layer (``taxonomy.formatting``), as they were
entered: Indian digit grouping and no trailing zeros in both languages ("0.1", "1,234.5",
"1,00,000"), dates as "15 Dec 2025". Names (facilities, certificates) are
``taxonomy.localized.Name``s: Hindi to a Hindi reader where a Hindi name exists; ``html``
marks the English fallback ``lang="en"`` on Hindi pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import MsmeCategory, Unit
from taxonomy.formatting import indian_date, number
from taxonomy.localized import Name

# code → sentence. Figures are formatted (see ``_formatted``) before they are put in.
TEXTS: dict[str, Promise] = {
    # A rule that holds, where the need asks for something.
    "distance": _("%(km)s km from %(facility)s"),
    "tolerance": _("Tolerance %(tolerance)s µm, within the %(required)s µm required"),
    "capacity": _("Capacity %(capacity)s %(unit)s/month for %(needed)s needed"),
    "capacity_free": _(
        "%(free)s %(unit)s/month free of %(capacity)s (the rest is promised to other needs) "
        "for %(needed)s needed"
    ),
    "temperature": _("Processes up to %(temperature)s °C"),
    "verified": _("Verified profile"),
    "certificate_valid": _("%(name)s valid until %(until)s"),
    "certificate_expiring": _("%(name)s expires on %(until)s: renew it"),
    "preferred": _("Preferred for %(category)s enterprises"),
    # A rule that fails: a near miss, or why a match someone acted on no longer holds.
    "certificates_missing": _("needs %(names)s"),
    "tolerance_unstated": _("tolerance not stated, need ≤ %(required)s µm"),
    "tolerance_coarse": _("tolerance %(tolerance)s µm, need ≤ %(required)s µm"),
    "capacity_unstated": _("capacity not stated, need ≥ %(needed)s %(unit)s/month"),
    "capacity_other_unit": _("capacity stated in %(stated_unit)s, need counts %(unit)s"),
    "capacity_short": _("capacity %(capacity)s %(unit)s/month, need ≥ %(needed)s"),
    "capacity_committed": _("%(free)s %(unit)s/month free of %(capacity)s; need ≥ %(needed)s"),
    "temperature_unstated": _("max temperature not stated, need ≥ %(required)s °C"),
    "temperature_low": _("max temperature %(temperature)s °C, need ≥ %(required)s °C"),
    "too_far": _("%(km)s km away, radius %(radius)s km"),
    "need_closed": _("the need is closed"),
    "rechecking": _("%(rule)s: being checked again against today's figures"),
    "not_offered": _("the supplier no longer offers this process or is inactive"),
    # What would turn near misses into matches (the MSME dashboard groups them by these).
    "unlock_certificates": _("Get %(names)s"),
    "unlock_capacity": _("Reach a monthly capacity of %(needed)s %(unit)s"),
    "unlock_capacity_unit": _("State your capacity in %(unit)s"),
    "unlock_tolerance": _("Hold a tolerance of %(required)s µm or finer"),
    "unlock_temperature": _("Process up to %(required)s °C"),
}
UNIT_LABELS = dict(Unit.choices)
CATEGORY_LABELS = dict(MsmeCategory.choices)
# A rule by its name, for sentences about the rule itself ("rechecking").
RULE_LABELS: dict[str, Promise] = {
    "certificates": _("Certificates"),
    "tolerance": _("Tolerance"),
    "capacity": _("Capacity"),
    "temperature": _("Temperature"),
    "radius": _("Distance"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        return str(TEXTS[self.code]) % {
            name: _formatted(name, value) for name, value in self.figures.items()
        }

    @property
    def html(self) -> SafeString:
        """The sentence for a page: escaped, English names marked ``lang="en"`` on Hindi pages."""
        return SafeString(
            escape(str(TEXTS[self.code]))
            % {name: _html(name, value) for name, value in self.figures.items()}
        )

    def as_data(self) -> dict[str, Any]:
        """Code, figures (as JSON-friendly strings) and text, for the API."""
        figures = {name: _data(value) for name, value in self.figures.items()}
        return {"code": self.code, "figures": figures, "text": self.text}

    def __str__(self) -> str:
        return self.text


def _data(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_data(item) for item in value]
    if isinstance(value, Decimal | datetime.date | Name):
        return str(value)
    return value


def _html(name: str, value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_html(name, item) for item in value)
    if isinstance(value, Name):
        return value.__html__()
    return escape(_formatted(name, value))


def _formatted(name: str, value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_formatted(name, item) for item in value)
    if isinstance(value, datetime.date):
        return indian_date(value)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return number(value)
    if name in {"unit", "stated_unit"}:
        return str(UNIT_LABELS.get(value, value))
    if name == "category":
        return str(CATEGORY_LABELS.get(value, value)).lower()
    if name == "rule":
        return str(RULE_LABELS.get(value, value))
    return str(value)
