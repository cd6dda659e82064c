"""The scoring profile's admin form: new weights are saved only once their preview was shown.

A change of weights rescored every match on save. Now the first Save shows what the weights
would do (``selectors.scoring_preview``) and refuses; the form then carries a signed token
naming exactly those weights, and a Save with that token goes through. Any other weights (typed
after the preview, or a forged token) are previewed again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing

from taxonomy.amounts import GroupedDecimalField

from .models import SCORE_COMPONENTS, ScoringProfile
from .selectors import ScoringPreview, scoring_preview

WEIGHT_FIELDS = tuple(f"{name}_weight" for name in SCORE_COMPONENTS)
PREVIEWED_FIELDS = (*WEIGHT_FIELDS, "distance_scale_km", "is_active")
SALT = "matching.scoring-preview"
PREVIEW_VALID_SECONDS = 60 * 60


def _fingerprint(profile_id: int | None, values: dict[str, Any]) -> list[Any]:
    return [profile_id, *(str(values.get(name)) for name in PREVIEWED_FIELDS)]


class ScoringProfileForm(forms.ModelForm):
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ScoringProfile
        fields = ["name", "is_active", *WEIGHT_FIELDS, "distance_scale_km"]
        field_classes = {name: GroupedDecimalField for name in WEIGHT_FIELDS}

    preview: ScoringPreview | None = None

    def needs_preview(self) -> bool:
        return any(name in self.changed_data for name in PREVIEWED_FIELDS) or (
            self.instance.pk is None
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not self.needs_preview():
            return cleaned
        fingerprint = _fingerprint(self.instance.pk, cleaned)
        try:
            shown = signing.loads(
                cleaned.get("previewed") or "", salt=SALT, max_age=PREVIEW_VALID_SECONDS
            )
        except signing.BadSignature:
            shown = None
        if shown == fingerprint:
            return cleaned
        weights = {name: cleaned.get(f"{name}_weight") or Decimal(0) for name in SCORE_COMPONENTS}
        self.preview = scoring_preview(weights)
        # The token for exactly these weights, rendered in the hidden field for the next Save.
        self.data = self.data.copy()
        self.data[self.add_prefix("previewed")] = signing.dumps(fingerprint, salt=SALT)
        raise forms.ValidationError(
            "Check what these weights would do (below), then save again to apply them.",
            code="preview",
        )
