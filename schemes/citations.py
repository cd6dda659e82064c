"""Sources cited once per section: each gets a number the first time it is cited, and the
section lists each source once at its end ("[1] Gazette of India … S.O. 5800(E)")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from .models import Source

T = TypeVar("T")


@dataclass
class Citations:
    sources: list[Source] = field(default_factory=list)

    def number(self, source: Source | None) -> int | None:
        """The source's number in this section (1-based), citing it if it is new; None for none."""
        if source is None:
            return None
        for index, cited in enumerate(self.sources, start=1):
            if cited.pk == source.pk:
                return index
        self.sources.append(source)
        return len(self.sources)

    def numbers(self, sources: list[Source]) -> list[int]:
        return sorted({n for n in (self.number(s) for s in sources) if n is not None})


def cite_each(
    items: Iterable[T], sources: Callable[[T], list[Source]]
) -> tuple[list[tuple[T, list[int]]], Citations]:
    """Each item with the numbers of its sources, and the section's list of those sources."""
    citations = Citations()
    return [(item, citations.numbers(list(sources(item)))) for item in items], citations
