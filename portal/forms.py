"""Forms of the MSME pages."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from matching.models import Match
from schemes.models import Facility
from taxonomy.models import Process


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A short note to the facility (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can offer for this need: lead time, similar work done, samples."),
    )


class MatchFilterForm(forms.Form):
    """Filters of the matches list; every field optional, bad values ignored with an error."""

    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.order_by("name"), required=False
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.order_by("name"), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.order_by("name"), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Match.Status.choices], required=False
    )
    near_misses = forms.ChoiceField(
        label=_("Near misses"),
        choices=[
            ("", _("Matches and near misses")),
            ("hide", _("Matches only")),
            ("only", _("Near misses only")),
        ],
        required=False,
    )

    def apply(self, matches: QuerySet[Match]) -> QuerySet[Match]:
        """The matches these filters keep (all of them while the form is invalid)."""
        if not self.is_valid():
            return matches
        data = self.cleaned_data
        if data["facility"]:
            matches = matches.filter(need__facility=data["facility"])
        if data["cluster"]:
            matches = matches.filter(need__facility__cluster=data["cluster"])
        if data["process"]:
            matches = matches.filter(need__process=data["process"])
        if data["status"]:
            matches = matches.filter(status=data["status"])
        if data["near_misses"] == "hide":
            matches = matches.filter(near_miss_rule="")
        elif data["near_misses"] == "only":
            matches = matches.exclude(near_miss_rule="")
        return matches
