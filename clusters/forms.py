"""Form fields for places, shared by every form that asks where an enterprise is."""

from __future__ import annotations

from typing import Any

from taxonomy.forms import LocalizedModelChoiceField

from .models import District


def district_choices(*, key: str = "pk") -> list:
    """Districts under their state, for one <select> with <optgroup>s: choosing works without
    JavaScript, and the state follows from the district. States and districts read in the
    reader's language (a district with no Hindi name is marked English on its option)."""
    groups: dict[str, list[tuple[Any, Any]]] = {}
    for district in District.objects.select_related("state").order_by("state__name", "name"):
        groups.setdefault(district.state.localized_name, []).append(
            (getattr(district, key), district.bilingual_name)
        )
    return [("", "---------"), *sorted(groups.items())]


class DistrictChoiceField(LocalizedModelChoiceField):
    """A district chosen from a list grouped by state (by primary key, or by ``to_field_name``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", District.objects.select_related("state"))
        super().__init__(**kwargs)

    def grouped(self) -> None:
        """Fill the widget's grouped choices (a query: call once the form is built)."""
        self.widget.choices = district_choices(key=self.to_field_name or "pk")
