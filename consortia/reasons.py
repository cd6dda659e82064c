"""What a consortium says about itself, as a code with figures rendered on read.

As the matcher's reasons (``matching.reasons``): nothing stores a sentence. A ``TeamReason`` is a
code and its figures; ``text`` and ``html`` render it in the active language, figures in Indian
grouping ("3 shops within 40 km of Hosur, 62,000 pieces/month together"), and ``as_data`` gives
the API the code, figures and text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import Unit
from taxonomy.formatting import number
from taxonomy.localized import english

from .models import Consortium

TEXTS: dict[str, Promise] = {
    "team": _(
        "%(count)s shops within %(km)s km of %(place)s, %(capacity)s %(unit)s/month together"
    ),
    # Every member at the same place (suppliers located at their district's headquarters).
    "team_one_place": _("%(count)s shops in %(place)s, %(capacity)s %(unit)s/month together"),
}
UNIT_LABELS = dict(Unit.choices)


@dataclass(frozen=True)
class TeamReason:
    code: str
    figures: dict[str, Any] = field(default_factory=dict)

    def _formatted(self, html: bool) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in self.figures.items():
            if name == "unit":
                text = str(UNIT_LABELS.get(value, value))
            elif isinstance(value, Decimal | int):
                text = number(value)
            else:
                text = str(value)
            if html:
                # The place is an English name: marked lang="en" on a Hindi page.
                text = english(text) if name == "place" else escape(text)
            out[name] = text
        return out

    @property
    def text(self) -> str:
        return str(TEXTS[self.code]) % self._formatted(html=False)

    @property
    def html(self) -> SafeString:
        return SafeString(escape(str(TEXTS[self.code])) % self._formatted(html=True))

    def as_data(self) -> dict[str, Any]:
        figures = {
            name: str(value) if isinstance(value, Decimal) else value
            for name, value in self.figures.items()
        }
        return {"code": self.code, "figures": figures, "text": self.text}

    def __str__(self) -> str:
        return self.text


def plain(value: Decimal) -> Decimal:
    """A stored figure as entered: 62000.00 is 62000, 1234.50 is 1234.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def within_km(spread_km: Decimal) -> int:
    """The team's spread as said: whole km, rounded up (a partner 39.2 km away is within 40)."""
    return math.ceil(spread_km)


def explanation(consortium: Consortium, member_count: int) -> TeamReason:
    """The one line that says what the team is (members counted by the caller: no query)."""
    figures: dict[str, Any] = {
        "count": member_count,
        "place": consortium.place,
        "capacity": plain(consortium.total_free),
        "unit": consortium.unit,
    }
    km = within_km(consortium.spread_km)
    if km == 0:
        return TeamReason("team_one_place", figures)
    return TeamReason("team", {**figures, "km": km})
