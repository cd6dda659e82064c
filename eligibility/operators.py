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
    AT_LEAST_FACT = "at_least_fact", _("is at least the fact")
    INCLUDES_ANY = "includes_any", _("includes any of")
    INCLUDES_ALL = "includes_all", _("includes all of")
    NOT_EMPTY = "not_empty", _("is not empty")


def _number(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not number.is_finite():
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


def _fact_key(value: Any) -> str:
    if value not in FACTS:
        raise ValidationError(_("Enter the key of a fact, e.g. required_net_worth_crore."))
    return value


@dataclass(frozen=True)
class OperatorRule:
    code: str
    kinds: frozenset[str]  # the kinds of fact it can compare
    check: Callable[[Any, Any, Callable[[str], Any]], bool]
    clean: Callable[[Any], Any]


SCALARS = frozenset({FactKind.NUMBER, FactKind.AMOUNT})
SETS = frozenset({FactKind.CHOICES})
ONE = frozenset({FactKind.CHOICE, FactKind.BOOLEAN, FactKind.NUMBER, FactKind.AMOUNT})


def _at_least_fact(actual: Any, other: str, fact: Callable[[str], Any]) -> bool | None:
    bound = fact(other)
    return None if bound is None else Decimal(str(actual)) >= Decimal(str(bound))


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
        OperatorRule(Operator.AT_LEAST_FACT, SCALARS, _at_least_fact, _fact_key),
        OperatorRule(Operator.INCLUDES_ANY, SETS, lambda a, v, f: bool(set(a) & set(v)), _items),
        OperatorRule(Operator.INCLUDES_ALL, SETS, lambda a, v, f: set(v) <= set(a), _items),
        OperatorRule(Operator.NOT_EMPTY, SETS, lambda a, v, f: bool(a), _nothing),
    ]
}


def holds(operator: str, actual: Any, value: Any, fact: Callable[[str], Any]) -> bool | None:
    """Whether ``actual`` compares with ``value`` as the operator says; None when unanswered."""
    if actual is None:
        return None
    return OPERATORS[operator].check(actual, value, fact)


def clean_comparison(fact_key: str, operator: str, value: Any) -> None:
    """Refuse a comparison that could never be judged: an unknown fact, an operator that does
    not fit the fact's kind, or a value of the wrong shape (administrators type these)."""
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
