"""Charts of supply against demand, drawn on the server as SVG: readable without JavaScript.

Each chart is a "butterfly": per process, the demand (open needs) as a bar to the left of a
centre line and the supply (suppliers) to the right, each side on its own scale (needs and
suppliers are counted in different units), every bar with its figure written beside it. A row
whose need has no match, or few, says so in words as well as in colour.

Only geometry is computed here; ``templates/insights/includes/chart.html`` draws it with classes
from ``static/css/insights.css`` (the Content-Security-Policy forbids inline styles). The chart
is 360 units wide, a phone's width: on a desktop it is shown at most ~30rem wide, several side
by side, so its 12-unit text never reads smaller than 11px or larger than ~16px. Long charts are
cut into panels of ``ROWS_PER_PANEL`` rows that sit side by side on wide screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taxonomy.formatting import number

WIDTH = 360
CENTRE = WIDTH // 2
HALF = 128  # the longest bar; leaves room for its figure ("12,34,567") beyond it
LEGEND_HEIGHT = 26
ROW_HEIGHT = 36
BAR_HEIGHT = 12
ROWS_PER_PANEL = 14


@dataclass(frozen=True)
class Bar:
    """One row of the chart: what it is, and its two figures."""

    label: str
    demand: int
    supply: int
    flag: str = ""  # "gap" (a need with no match) or "few"; empty otherwise
    flag_text: str = ""  # the flag in words, for the label


@dataclass(frozen=True)
class DrawnRow:
    label: str
    flag: str
    demand_text: str
    supply_text: str
    label_y: int
    bar_y: int
    axis_bottom: int
    text_y: int
    demand_x: float
    demand_width: float
    demand_text_x: float
    supply_width: float
    supply_text_x: float


@dataclass(frozen=True)
class Panel:
    """One SVG: a legend, the centre line and up to ``ROWS_PER_PANEL`` rows."""

    key: str  # unique on the page: the SVG's title and description ids
    title: str
    description: str
    demand_label: str
    supply_label: str
    rows: tuple[DrawnRow, ...]
    width: int = WIDTH
    centre: int = CENTRE

    @property
    def height(self) -> int:
        return LEGEND_HEIGHT + ROW_HEIGHT * len(self.rows) + 4

    # The legend: "Open needs ■ | ■ Matching suppliers", either side of the centre line.
    @property
    def legend_demand_text_x(self) -> int:
        return self.centre - 22

    @property
    def legend_demand_box_x(self) -> int:
        return self.centre - 18

    @property
    def legend_supply_box_x(self) -> int:
        return self.centre + 6

    @property
    def legend_supply_text_x(self) -> int:
        return self.centre + 22

    @property
    def supply_x(self) -> int:
        return self.centre + 1


def _length(value: int, largest: int) -> float:
    """A bar's length: proportional, and never so short that a non-zero figure disappears."""
    if value <= 0 or largest <= 0:
        return 0.0
    return round(max(2.0, HALF * value / largest), 1)


def butterfly(
    bars: Sequence[Bar],
    *,
    key: str,
    title: str,
    description: str,
    demand_label: str,
    supply_label: str,
) -> list[Panel]:
    """The panels of one chart. Both scales are shared across its panels, so bars compare."""
    largest_demand = max((bar.demand for bar in bars), default=0)
    largest_supply = max((bar.supply for bar in bars), default=0)
    panels = []
    for start in range(0, len(bars), ROWS_PER_PANEL):
        rows = []
        for index, bar in enumerate(bars[start : start + ROWS_PER_PANEL]):
            top = LEGEND_HEIGHT + index * ROW_HEIGHT
            demand_width = _length(bar.demand, largest_demand)
            supply_width = _length(bar.supply, largest_supply)
            label = f"{bar.label} — {bar.flag_text}" if bar.flag_text else bar.label
            rows.append(
                DrawnRow(
                    label=label,
                    flag=bar.flag,
                    demand_text=number(bar.demand),
                    supply_text=number(bar.supply),
                    label_y=top + 13,
                    bar_y=top + 18,
                    axis_bottom=top + 32,
                    text_y=top + 28,
                    demand_x=CENTRE - 1 - demand_width,
                    demand_width=demand_width,
                    demand_text_x=CENTRE - 5 - demand_width,
                    supply_width=supply_width,
                    supply_text_x=CENTRE + 5 + supply_width,
                )
            )
        part = start // ROWS_PER_PANEL + 1
        panels.append(
            Panel(
                key=f"{key}-{part}",
                title=title,
                description=description,
                demand_label=demand_label,
                supply_label=supply_label,
                rows=tuple(rows),
            )
        )
    return panels
