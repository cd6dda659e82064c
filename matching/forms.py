"""The admin's forms for matches and scoring profiles.

A match's form checks a shortlist or engagement against the supplier's free capacity, so a
commitment that would promise capacity twice is a field error, not a message after the fact
(the service checks again, under a lock, when it saves).

The scoring profile's admin form: new weights are saved only once their preview was shown.

A change of weights rescored every match on save. Now the first Save shows what the weights
would do (``selectors.scoring_preview``, worked out on a worker: ``services.scoring_preview_for``)
and refuses; the form then carries a signed token naming exactly those weights, and a Save with
that token goes through once their preview was shown. Any other weights (typed after the
preview, or a forged token) are previewed again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing

from taxonomy.amounts import GroupedDecimalField

from . import services
from .models import SCORE_COMPONENTS, Match, ScoringProfile
from .selectors import ScoringPreview

WEIGHT_FIELDS = tuple(f"{name}_weight" for name in SCORE_COMPONENTS)
PREVIEWED_FIELDS = (*WEIGHT_FIELDS, "distance_scale_km", "is_active")
SALT = "matching.scoring-preview"
PREVIEW_VALID_SECONDS = 60 * 60


def _fingerprint(profile: ScoringProfile, values: dict[str, Any]) -> list[Any]:
    """Exactly these values for this profile as it stands (its version: a save by someone else
    meanwhile asks for a new preview)."""
    return [profile.pk, profile.version, *(str(values.get(name)) for name in PREVIEWED_FIELDS)]


class ScoringProfileForm(forms.ModelForm):
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ScoringProfile
        fields = ["name", "is_active", *WEIGHT_FIELDS, "distance_scale_km"]
        field_classes = {name: GroupedDecimalField for name in WEIGHT_FIELDS}

    preview: ScoringPreview | None = None
    preview_pending = False

    def needs_preview(self) -> bool:
        return any(name in self.changed_data for name in PREVIEWED_FIELDS) or (
            self.instance.pk is None
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not self.needs_preview():
            return cleaned
        fingerprint = _fingerprint(self.instance, cleaned)
        try:
            posted = signing.loads(
                cleaned.get("previewed") or "", salt=SALT, max_age=PREVIEW_VALID_SECONDS
            )
        except signing.BadSignature:
            posted = None
        if posted == fingerprint and services.scoring_preview_was_shown(fingerprint=fingerprint):
            return cleaned
        weights = {name: cleaned.get(f"{name}_weight") or Decimal(0) for name in SCORE_COMPONENTS}
        self.preview = services.scoring_preview_for(fingerprint=fingerprint, weights=weights)
        # The token for exactly these weights, rendered in the hidden field for the next Save.
        self.data = self.data.copy()
        self.data[self.add_prefix("previewed")] = signing.dumps(fingerprint, salt=SALT)
        if self.preview is None:
            self.preview_pending = True
            raise forms.ValidationError(
                "Working out what these weights would do to every match (a minute at most): "
                "press Save again shortly to see it. Nothing is saved before you have.",
                code="preview_pending",
            )
        services.scoring_preview_mark_shown(fingerprint=fingerprint)
        raise forms.ValidationError(
            "Check what these weights would do (below), then save again to apply them.",
            code="preview",
        )


class MatchAdminForm(forms.ModelForm):
    class Meta:
        model = Match
        fields = ["status", "facility_note", "committed_quantity"]
        field_classes = {"committed_quantity": GroupedDecimalField}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not {"status", "committed_quantity"} & set(self.changed_data):
            return cleaned
        stored = Match.objects.get(pk=self.instance.pk)
        refusal = services.commitment_refusal(
            match=stored,
            status=cleaned.get("status"),
            committed_quantity=cleaned.get("committed_quantity"),
        )
        if refusal:
            self.add_error("committed_quantity", refusal)
        return cleaned
