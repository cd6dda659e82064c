"""Names and English text on the page, in the reader's language (see ``taxonomy.localized``).

``{{ facility|localized }}`` shows the Hindi name on a Hindi page, or the English name marked
``<span lang="en">`` when there is no Hindi one; ``{{ scheme|localized:"short_name" }}`` does
the same for another field with a ``_hi`` twin. ``{{ need.title|english }}`` marks text that is
only ever English (titles, enterprise and people's names) on Hindi pages. English pages get the
plain, escaped text. Attributes and ``<title>`` take text, not markup: use ``localized_name``.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from taxonomy.localized import Name
from taxonomy.localized import english as english_html

register = template.Library()


@register.filter
def localized(obj: object, field: str = "name") -> SafeString:
    if obj is None or obj == "":
        return SafeString("")
    if isinstance(obj, Name):
        return obj.__html__()
    if isinstance(obj, str):  # already in the reader's language (a figure, a translation)
        return conditional_escape(obj)
    return Name(getattr(obj, field), getattr(obj, f"{field}_hi", "")).__html__()


@register.filter
def english(text: object) -> SafeString:
    return english_html(text)
