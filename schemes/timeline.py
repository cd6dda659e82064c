"""Where a date falls in the scheme's timeline: "Due 15 Mar 2027, after the opening of the
technical bids and before the end of the gestation period".

Milestones are data (``Milestone``), in their ``order``; a milestone whose date is not yet public
cannot be placed before or after a date, so the sentence says so instead of guessing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Milestone

# Each milestone as the object of "before …" / "after …", in the reader's language.
MILESTONE_PHRASES: dict[str, Promise] = {
    Milestone.Kind.APPROVAL: _("the Cabinet's approval"),
    Milestone.Kind.NOTIFICATION: _("the Gazette notification"),
    Milestone.Kind.RFP_ISSUED: _("the issue of the RFP"),
    Milestone.Kind.BID_DUE: _("the bid due date"),
    Milestone.Kind.BID_OPENING: _("the opening of the technical bids"),
    Milestone.Kind.AWARD: _("the award"),
    Milestone.Kind.GESTATION_END: _("the end of the gestation period"),
    Milestone.Kind.INCENTIVE_END: _("the end of incentive disbursement"),
}


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j M Y")


def _phrase(milestone: Milestone) -> str:
    return str(MILESTONE_PHRASES.get(milestone.kind, milestone.get_kind_display()))


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline as a page draws it: a milestone, or the date being placed."""

    milestone: Milestone | None = None
    day: datetime.date | None = None


@dataclass(frozen=True)
class Timeline:
    """The scheme's milestones, in order, and where ``day`` (a need's due date) falls."""

    milestones: list[Milestone]
    day: datetime.date | None

    @cached_property
    def previous(self) -> Milestone | None:
        """The last dated milestone on or before the day."""
        if self.day is None:
            return None
        passed = [m for m in self.milestones if m.date is not None and m.date <= self.day]
        return passed[-1] if passed else None

    @cached_property
    def next(self) -> Milestone | None:
        """The first dated milestone after the day."""
        if self.day is None:
            return None
        return next((m for m in self.milestones if m.date and m.date > self.day), None)

    @cached_property
    def undated_after_previous(self) -> Milestone | None:
        """The first milestone after ``previous`` whose date is not yet public (it might fall on
        either side of the day)."""
        start = self.milestones.index(self.previous) + 1 if self.previous else 0
        return next((m for m in self.milestones[start:] if m.date is None), None)

    @property
    def entries(self) -> list[TimelineEntry]:
        """The milestones with the day placed after the last one known to come before it."""
        entries = [TimelineEntry(milestone=m) for m in self.milestones]
        if self.day is not None:
            at = self.milestones.index(self.previous) + 1 if self.previous else 0
            entries.insert(at, TimelineEntry(day=self.day))
        return entries

    @property
    def text(self) -> str:
        """Where the day falls, in a sentence ("" without a day or milestones)."""
        if self.day is None or not self.milestones:
            return ""
        previous, following, undated = self.previous, self.next, self.undated_after_previous
        figures = {"day": _day(self.day)}
        if previous is not None:
            figures |= {"previous": _phrase(previous), "previous_day": _day(previous.date)}
        if following is not None:
            figures |= {"next": _phrase(following), "next_day": _day(following.date)}
        if previous is not None and previous.date == self.day:
            return str(_("Due %(day)s, the day of %(previous)s.")) % figures
        if previous is not None and following is not None:
            return (
                str(
                    _(
                        "Due %(day)s, after %(previous)s (%(previous_day)s) and before %(next)s "
                        "(%(next_day)s)."
                    )
                )
                % figures
            )
        if following is not None:
            return str(_("Due %(day)s, before %(next)s (%(next_day)s).")) % figures
        if previous is not None and undated is not None:
            return str(
                _(
                    "Due %(day)s, after %(previous)s (%(previous_day)s); the date of "
                    "%(undated)s is not yet public."
                )
            ) % (figures | {"undated": _phrase(undated)})
        if previous is not None:
            return str(_("Due %(day)s, after %(previous)s (%(previous_day)s).")) % figures
        return str(_("Due %(day)s; the scheme's dates are not yet public.")) % figures
