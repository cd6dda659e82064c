"""How a criterion compares a fact with its value: each operator defined once, with its check,
the check of the value an administrator types, and how the comparison reads on a page.

A check answers True (holds), False (fails) or None (the fact was not answered, so the
criterion cannot be judged: the role is "not assessed" rather than failed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .facts import FACTS, FactKind


class Operator(TextChoices):
    IS_TRUE = "is_true", _("is yes")
    IS_FALSE = "is_false", _("is no")
    EQUALS = "equals", _("equals")
    ONE_OF = "one_of", _("is one of")
    NOT_ONE_OF = "not_one_of", _("is none of")
    AT_LEAST = "at_least", _("is at least")
    AT_MOST = "at_most", _("is at most")
    BETWEEN = "between", _("is between (inclusive)")
    MULTIPLE_OF = "multiple_of", _("is a multiple of")
    AT_LEAST_BY_BAND = "at_least_by_band", _("is at least the minimum of its band")
    INCLUDES_ANY = "includes_any", _("includes any of")
    INCLUDES_ALL = "includes_all", _("includes all of")
    NOT_EMPTY = "not_empty", _("is not empty")


def _number(value: Any) -> Decimal:
    """A figure an administrator typed: finite, and of a size a rule can mean (0.000001 to
    10^15), so no comparison ever fails on an absurd exponent."""
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not number.is_finite() or (number and not -6 <= number.adjusted() <= 15):
        raise ValidationError(_("Enter a number."))
    return number


def _items(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValidationError(_('Enter a list of codes, e.g. ["ISO_9001", "ZED_GOLD"].'))
    return value


def _nothing(value: Any) -> None:
    if value not in (None, "", []):
        raise ValidationError(_("This comparison takes no value: leave it empty."))


def _pair(value: Any) -> list[Decimal]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValidationError(_("Enter two numbers, lowest first, e.g. [600, 1200]."))
    low, high = _number(value[0]), _number(value[1])
    if low > high:
        raise ValidationError(_("Enter two numbers, lowest first, e.g. [600, 1200]."))
    return [low, high]


def _positive(value: Any) -> Decimal:
    number = _number(value)
    if number <= 0:
        raise ValidationError(_("Enter a number above zero."))
    return number


def _bands(value: Any) -> dict[str, Any]:
    """{"by": a number fact, "bands": [[low, high, minimum], ...]}: bands in order, apart."""
    message = _(
        'Enter {"by": "capacity_sought_mtpa", "bands": [[600, 600, 180], [700, 800, 245]]}: '
        "a number fact, then bands of low, high and the minimum, lowest first, not overlapping."
    )
    if not isinstance(value, dict) or set(value) != {"by", "bands"}:
        raise ValidationError(message)
    by = FACTS.get(value["by"])
    bands = value["bands"]
    if by is None or by.kind not in SCALARS or not isinstance(bands, list) or not bands:
        raise ValidationError(message)
    previous_high = None
    for band in bands:
        if not isinstance(band, list) or len(band) != 3:
            raise ValidationError(message)
        low, high, _minimum = (_number(item) for item in band)
        if low > high or (previous_high is not None and low <= previous_high):
            raise ValidationError(message)
        previous_high = high
    return value


def band_for(bands: list[list[Any]], figure: Any) -> list[Decimal] | None:
    """The [low, high, minimum] band a figure falls in, if any."""
    figure = Decimal(str(figure))
    for band in bands:
        low, high, minimum = (Decimal(str(item)) for item in band)
        if low <= figure <= high:
            return [low, high, minimum]
    return None


def _at_least_by_band(actual: Any, value: dict, fact: Callable[[str], Any]) -> bool | None:
    figure = fact(value["by"])
    band = None if figure is None else band_for(value["bands"], figure)
    return None if band is None else Decimal(str(actual)) >= band[2]


@dataclass(frozen=True)
class OperatorRule:
    code: str
    kinds: frozenset[str]  # the kinds of fact it can compare
    check: Callable[[Any, Any, Callable[[str], Any]], bool]
    clean: Callable[[Any], Any]


SCALARS = frozenset({FactKind.NUMBER, FactKind.AMOUNT})
SETS = frozenset({FactKind.CHOICES})
ONE = frozenset({FactKind.CHOICE, FactKind.BOOLEAN, FactKind.NUMBER, FactKind.AMOUNT})


OPERATORS: dict[str, OperatorRule] = {
    rule.code: rule
    for rule in [
        OperatorRule(
            Operator.IS_TRUE, frozenset({FactKind.BOOLEAN}), lambda a, v, f: a is True, _nothing
        ),
        OperatorRule(
            Operator.IS_FALSE, frozenset({FactKind.BOOLEAN}), lambda a, v, f: a is False, _nothing
        ),
        OperatorRule(Operator.EQUALS, ONE, lambda a, v, f: str(a) == str(v), lambda v: v),
        OperatorRule(Operator.ONE_OF, frozenset({FactKind.CHOICE}), lambda a, v, f: a in v, _items),
        OperatorRule(
            Operator.NOT_ONE_OF, frozenset({FactKind.CHOICE}), lambda a, v, f: a not in v, _items
        ),
        OperatorRule(
            Operator.AT_LEAST, SCALARS, lambda a, v, f: Decimal(str(a)) >= _number(v), _number
        ),
        OperatorRule(
            Operator.AT_MOST, SCALARS, lambda a, v, f: Decimal(str(a)) <= _number(v), _number
        ),
        OperatorRule(
            Operator.BETWEEN,
            SCALARS,
            lambda a, v, f: _number(v[0]) <= Decimal(str(a)) <= _number(v[1]),
            _pair,
        ),
        OperatorRule(
            Operator.MULTIPLE_OF,
            SCALARS,
            lambda a, v, f: Decimal(str(a)) % _number(v) == 0,
            _positive,
        ),
        OperatorRule(Operator.AT_LEAST_BY_BAND, SCALARS, _at_least_by_band, _bands),
        OperatorRule(Operator.INCLUDES_ANY, SETS, lambda a, v, f: bool(set(a) & set(v)), _items),
        OperatorRule(Operator.INCLUDES_ALL, SETS, lambda a, v, f: set(v) <= set(a), _items),
        OperatorRule(Operator.NOT_EMPTY, SETS, lambda a, v, f: bool(a), _nothing),
    ]
}


def holds(operator: str, actual: Any, value: Any, fact: Callable[[str], Any]) -> bool | None:
    """Whether ``actual`` compares with ``value`` as the operator says; None when unanswered.

    A value that cannot be compared (a criterion saved around ``clean``) is None too: the role
    reads "not assessed" rather than the page failing."""
    if actual is None or actual == "":
        return None
    try:
        return OPERATORS[operator].check(actual, value, fact)
    except (ArithmeticError, TypeError, ValueError, KeyError, ValidationError):
        return None


def clean_comparison(fact_key: str, operator: str, value: Any) -> None:
    """Refuse a comparison that could never be judged: an unknown fact, an operator that does
    not fit the fact's kind, a value of the wrong shape, or codes the vocabulary does not know
    (administrators type these)."""
    fact = FACTS.get(fact_key)
    if fact is None:
        raise ValidationError({"fact": _("Choose a fact from the list.")})
    rule = OPERATORS.get(operator)
    if rule is None:
        raise ValidationError({"operator": _("Choose a comparison from the list.")})
    if fact.kind not in rule.kinds:
        raise ValidationError(
            {"operator": _("This comparison does not fit %(fact)s.") % {"fact": fact.label}}
        )
    try:
        rule.clean(value)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from error
    if fact.vocabulary is not None and isinstance(value, list):
        unknown = sorted(set(value) - fact.vocabulary())
        if unknown:
            raise ValidationError(
                {
                    "value": _("Unknown codes for %(fact)s: %(codes)s.")
                    % {"fact": fact.label, "codes": ", ".join(map(str, unknown))}
                }
            )
