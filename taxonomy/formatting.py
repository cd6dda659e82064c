"""How figures read, in English and Hindi: the one formatting layer of the house.

Every room prints figures (the scheme's crore amounts, a need's quantity, a reason's tolerance, a
certificate's expiry date), and each used to do it its own way. They all call this module instead,
and templates reach it through ``{% load indian %}`` (``taxonomy/templatetags/indian.py``).

It lives in ``taxonomy``, the bottom room, because how a figure and its unit are written is
shared vocabulary like the units themselves (``choices.Unit``): every room above may import it
and it imports no room. (``accounts``, beside it, prints no figures.)

Numbers come from Babel's CLDR data for India, ``en_IN`` and ``hi_IN``, chosen by the active
Django language: Indian digit grouping (12,34,567) in both languages, with Latin digits in Hindi
too (CLDR's default numbering system for ``hi`` is ``latn``; Devanagari digits are only its
"native" alternative). The words lakh and crore (लाख, करोड़) are CLDR's too.

Figures print as entered: no float noise, no rounding, no trailing zeros (Decimal("1234.50") →
"1,234.5", Decimal("0.1") → "0.1"). Only ``lakh_crore`` rounds, to two places of its unit,
because "₹12.35 lakh" is how people read ₹12,34,567; ``rupees`` gives the exact amount.

Dates stay Django's (``dateformat``), because the project's locale corrects Django's Hindi month
names (``config/month_names.py``); Babel's Hindi abbreviations ("दिस॰") differ from the ones
the pages have always shown.
"""

from __future__ import annotations

import datetime
import decimal
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .choices import Unit

Number = Decimal | int | float

# The Django languages the site speaks, and the CLDR locale each reads figures in.
BABEL_LOCALES = {"en": "en_IN", "hi": "hi_IN"}
LAKH = 10**5
CRORE = 10**7
CURRENCY = "INR"
# Units printed beside figures that are not a need's counting unit (``Unit``). Anything else is
# an error, so a misspelt unit ("um", "MM") fails loudly instead of reaching a page.
MEASURES: dict[str, str | Promise] = {
    "µm": "µm",
    "°C": "°C",
    "km": pgettext_lazy("unit of distance", "km"),
    "MTPA": "MTPA",
}
UNIT_LABELS: dict[str, str] = dict(Unit.choices)
DATE_FORMATS = {"short": "j M Y", "long": "j F Y"}  # 15 Dec 2025, 15 December 2025


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale for a Django language (the active one by default); English otherwise."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return _locale(BABEL_LOCALES.get(language.split("-")[0].lower(), BABEL_LOCALES["en"]))


@cache
def _locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


def _exact(value: Number) -> Decimal:
    """The figure as a Decimal, exactly as entered.

    A float becomes the shortest decimal that reads back as it (0.1, not 0.1000000000000000055),
    and minus zero becomes zero.
    """
    if isinstance(value, bool):
        raise TypeError("a figure, not a truth value")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"not a figure: {value!r}")
    return exact.copy_abs() if exact.is_zero() else exact


def _format(value: Decimal, format_: str | None = None, *, rupee: bool = False) -> str:
    # Babel works in the current decimal context; 28 significant digits would round a long
    # figure, so give it as many digits as the figure has.
    with decimal.localcontext() as context:
        context.prec = max(context.prec, len(value.as_tuple().digits) + 2)
        if rupee:
            return format_currency(
                value,
                CURRENCY,
                format=format_,
                locale=babel_locale(),
                currency_digits=False,
                decimal_quantization=False,
            )
        return format_decimal(value, locale=babel_locale(), decimal_quantization=False)


def number(value: Number) -> str:
    """A figure with Indian grouping, as entered: 12,34,567; 1,234.5; 0.1; 70,000."""
    return _format(_exact(value))


def _rupee_pattern(*, paise: bool) -> str:
    # CLDR's pattern (¤#,##,##0.00) always shows paise; a whole amount reads better without.
    # Without the fraction in the pattern, an entered fraction still prints ("₹12.5 crore").
    pattern: str = babel_locale().currency_formats["standard"].pattern
    return pattern if paise else re.sub(r"\.0+", "", pattern)


def rupees(amount: Number) -> str:
    """An amount in rupees: ₹12,34,567; with paise when there are any: ₹1,234.50."""
    exact = _exact(amount)
    paise = exact != exact.to_integral_value()
    return _format(exact, _rupee_pattern(paise=paise), rupee=True)


def _scale_word(scale: int, amount: Decimal) -> str:
    """CLDR's word for lakh or crore in the active language ("crore", "करोड़"), with its space."""
    locale = babel_locale()
    patterns = locale.compact_decimal_formats["long"]
    form = locale.plural_form(amount)
    pattern = patterns.get(form, patterns["other"])[str(scale)]
    # en_IN puts a narrow no-break space before the word; hi_IN a plain one. Both languages
    # read alike, and as people type them, with a plain space.
    return pattern.suffix[0].replace("\u202f", " ").replace("\xa0", " ")


def crore(amount_in_crore: Number) -> str:
    """An amount already counted in crore, as the scheme's figures are: ₹7,280 crore."""
    exact = _exact(amount_in_crore)
    return _format(exact, _rupee_pattern(paise=False), rupee=True) + _scale_word(CRORE, exact)


def lakh_crore(amount: Number) -> str:
    """An amount in rupees the way people read it: ₹2.5 crore, ₹12.35 lakh, ₹70,000.

    Rounded to two places of lakh or crore (half up); below a lakh, the exact amount.
    """
    exact = _exact(amount)
    for scale in (CRORE, LAKH):
        if abs(exact) >= scale:
            counted = (exact / scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return _format(counted, _rupee_pattern(paise=False), rupee=True) + _scale_word(
                scale, counted
            )
    return rupees(exact)


def quantity(value: Number, unit: str) -> str:
    """A figure with its unit: 12,00,000 pieces; 5 µm; 900 °C; 250 किमी; 1,200 MTPA.

    ``unit`` is a ``Unit`` value (a need's counting unit) or one of ``MEASURES``.
    """
    if unit in UNIT_LABELS:
        label = UNIT_LABELS[unit]
    elif unit in MEASURES:
        label = str(MEASURES[unit])
    else:
        raise KeyError(f"unknown unit {unit!r}: add it to taxonomy.choices.Unit or MEASURES")
    return f"{number(value)} {label}"


def indian_date(
    value: datetime.date | datetime.datetime, style: Literal["short", "long"] = "short"
) -> str:
    """A date as people in India write it: 15 Dec 2025 (short) or 15 December 2025 (long)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, DATE_FORMATS[style])
