"""How the scheme's figures read on the page: Indian digit grouping, crore amounts, and the
headline figures with their sources. Kept out of views so templates and the API can share it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, ngettext

from taxonomy.localized import Name

from . import selectors
from .models import Scheme, Source


@dataclass(frozen=True)
class HeadlineFigure:
    """One figure of the scheme as the home page shows it, with the sources that back it."""

    label: str
    value: str | Name  # a Name renders in the reader's language, English marked on Hindi pages
    sources: list[Source] = field(default_factory=list)


def indian_number(value: Decimal | int) -> str:
    """Group digits the Indian way (1,23,45,678), dropping a zero fraction: 7280.00 → "7,280".

    Django's ``intcomma`` groups in threes, and not at all under the Hindi locale.
    """
    text = f"{Decimal(value):f}"
    sign = "-" if text.startswith("-") else ""
    digits, _, fraction = text.lstrip("-").partition(".")
    if len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        pairs = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)]
        digits = ",".join([*reversed(pairs), tail])
    fraction = fraction.rstrip("0")
    return f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}"


def format_crore(amount: Decimal | int) -> str:
    return gettext("₹%(amount)s crore") % {"amount": indian_number(amount)}


def headline_figures(scheme: Scheme) -> list[HeadlineFigure]:
    """The scheme's headline figures, each with the sources recorded for its fields."""
    sources_by_field = selectors.scheme_sources_by_field(scheme)

    def sources(*fields: str) -> list[Source]:
        # A figure built from several fields cites each of their sources once.
        found = {s.pk: s for name in fields for s in sources_by_field.get(name, [])}
        return list(found.values())

    outlay = format_crore(scheme.total_outlay_crore)
    if scheme.total_outlay_usd_million:
        outlay = gettext("%(outlay)s (≈ US$%(usd)s million)") % {
            "outlay": outlay,
            "usd": indian_number(scheme.total_outlay_usd_million),
        }
    years = scheme.sales_incentive_years
    return [
        HeadlineFigure(
            gettext("Total outlay"),
            outlay,
            sources("total_outlay_crore", "total_outlay_usd_million"),
        ),
        HeadlineFigure(
            gettext("Sales-linked incentive"),
            ngettext("%(amount)s over %(years)s year", "%(amount)s over %(years)s years", years)
            % {"amount": format_crore(scheme.sales_incentive_crore), "years": years},
            sources("sales_incentive_crore", "sales_incentive_years"),
        ),
        HeadlineFigure(
            gettext("Capital subsidy"),
            format_crore(scheme.capital_subsidy_crore),
            sources("capital_subsidy_crore"),
        ),
        HeadlineFigure(
            gettext("Target capacity"),
            gettext("%(mtpa)s MTPA") % {"mtpa": indian_number(scheme.target_capacity_mtpa)},
            sources("target_capacity_mtpa"),
        ),
        HeadlineFigure(
            gettext("Beneficiaries"),
            gettext("%(count)s, each allotted up to %(mtpa)s MTPA")
            % {"count": scheme.beneficiaries, "mtpa": indian_number(scheme.max_allocation_mtpa)},
            sources("beneficiaries", "max_allocation_mtpa"),
        ),
        HeadlineFigure(
            gettext("Duration"),
            ngettext(
                "%(gestation)s-year gestation + %(incentive)s year of incentives",
                "%(gestation)s-year gestation + %(incentive)s years of incentives",
                scheme.incentive_years,
            )
            % {"gestation": scheme.gestation_years, "incentive": scheme.incentive_years},
            sources("gestation_years", "incentive_years"),
        ),
        HeadlineFigure(
            gettext("Value chain"), scheme.bilingual("value_chain"), sources("value_chain")
        ),
    ]
