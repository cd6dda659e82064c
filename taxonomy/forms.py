"""Form fields that name rows in the reader's language (processes, certificates, facilities...).

An ``<option>`` holds text, not markup, so an English fallback on a Hindi page is marked on the
option itself (``<option lang="en">``) rather than with a span.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .localized import Name


class LocalizedSelect(forms.Select):
    """A select whose labels may be ``Name``s: shown in the reader's language, and the option
    marked ``lang="en"`` where a Hindi reader gets the English name."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        text = str(label) if isinstance(label, Name) else label
        option = super().create_option(name, value, text, selected, index, subindex, attrs)
        if isinstance(label, Name) and label.falls_back:
            option["attrs"]["lang"] = "en"
        return option


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """Rows labelled by their name in the reader's language (see ``NamedInHindi``)."""

    widget = LocalizedSelect

    def label_from_instance(self, obj: Any) -> Name:  # type: ignore[override]
        return obj.bilingual_name
