"""Names in the reader's language, and English marked as English on Hindi pages.

Data people read (the scheme, facilities, stages, processes, certificates, clusters, states) is
entered in English and, where someone has written one, in Hindi (``name_hi``). One rule says
which a reader sees: the Hindi name on a Hindi page when there is one, else the English name.
On a Hindi page that English falls back, so it is marked ``lang="en"`` for screen readers,
hyphenation and fonts; so is any other English a Hindi page shows (need titles, enterprise
names, districts). English pages are left exactly as they were: no marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

HINDI = "hi"


def reading_hindi() -> bool:
    """Whether the active language (the page's, or an email's override) is Hindi."""
    return (get_language() or "").split("-")[0] == HINDI


def english(text: object) -> SafeString:
    """English text for the page: escaped, and marked ``lang="en"`` on a Hindi page."""
    if text is None or text == "":
        return SafeString("")
    if reading_hindi():
        return format_html('<span lang="en">{}</span>', text)
    return escape(text)


@dataclass(frozen=True)
class Name:
    """A name as entered in English and, optionally, Hindi.

    ``str()`` is the name in the reader's language (for text: emails, titles, attributes);
    ``__html__`` is the name for a page, the English fallback marked on Hindi pages (templates
    reach it through the ``localized`` filter: ``{{ name }}`` alone renders ``str()``).
    """

    en: str
    hi: str = ""

    def __str__(self) -> str:
        return self.hi if self.hi and reading_hindi() else self.en

    @property
    def falls_back(self) -> bool:
        """A Hindi reader gets the English name: there is no Hindi one yet."""
        return not self.hi and reading_hindi()

    def __html__(self) -> SafeString:
        if self.hi and reading_hindi():
            return escape(self.hi)
        return english(self.en)
