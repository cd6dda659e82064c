"""The scheme's headline figures as the home page reads them, each with its sources.

The figures themselves are written by the house's one formatting layer (``taxonomy.formatting``:
Indian grouping, crore in both languages); this module only composes them. Kept out of views so
templates and the API can share it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from taxonomy.formatting import crore, number, quantity
from taxonomy.localized import Name

from . import selectors
from .models import Scheme, Source


@dataclass(frozen=True)
class HeadlineFigure:
    """One figure of the scheme as the home page shows it, with the sources that back it."""

    label: str
    value: str | Name  # a Name renders in the reader's language, English marked on Hindi pages
    sources: list[Source] = field(default_factory=list)


def headline_figures(scheme: Scheme) -> list[HeadlineFigure]:
    """The scheme's headline figures, each with the sources recorded for its fields."""
    sources_by_field = selectors.scheme_sources_by_field(scheme)

    def sources(*fields: str) -> list[Source]:
        # A figure built from several fields cites each of their sources once.
        found = {s.pk: s for name in fields for s in sources_by_field.get(name, [])}
        return list(found.values())

    outlay = crore(scheme.total_outlay_crore)
    if scheme.total_outlay_usd_million:
        outlay = gettext("%(outlay)s (≈ US$%(usd)s million)") % {
            "outlay": outlay,
            "usd": number(scheme.total_outlay_usd_million),
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
            % {"amount": crore(scheme.sales_incentive_crore), "years": years},
            sources("sales_incentive_crore", "sales_incentive_years"),
        ),
        HeadlineFigure(
            gettext("Capital subsidy"),
            crore(scheme.capital_subsidy_crore),
            sources("capital_subsidy_crore"),
        ),
        HeadlineFigure(
            gettext("Target capacity"),
            quantity(scheme.target_capacity_mtpa, "MTPA"),
            sources("target_capacity_mtpa"),
        ),
        HeadlineFigure(
            gettext("Beneficiaries"),
            gettext("%(count)s, each allotted up to %(mtpa)s MTPA")
            % {"count": scheme.beneficiaries, "mtpa": number(scheme.max_allocation_mtpa)},
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
