"""The partner API's filters: every value validated, so bad input is a 400 with field errors."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from clusters.models import Cluster, State
from matching.models import Match
from schemes.models import Facility, Need
from taxonomy.models import Process

from .cursors import MAX_ID

TRUE_FALSE = (("true", "true"), ("false", "false"))


class IdFilter(django_filters.Filter):
    """A database id: a whole number that fits the column (a bigger one is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def _slug_filter(model: type, field_name: str, help_text: str) -> django_filters.Filter:
    return django_filters.ModelChoiceFilter(
        queryset=model.objects.all(),
        to_field_name="slug",
        field_name=field_name,
        help_text=help_text,
    )


def _keep(queryset: QuerySet, name: str, value: object) -> QuerySet:
    """Validated here, applied by the view (it changes the ordering, not just the rows)."""
    return queryset


class NeedFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "facility", "Facility slug.")
    process = _slug_filter(Process, "process", "Process slug (the taxonomy).")
    cluster = _slug_filter(Cluster, "facility__cluster", "Cluster slug of the need's facility.")
    status = django_filters.ChoiceFilter(choices=Need.Status.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time."
    )

    class Meta:
        model = Need
        fields: list[str] = []


class MatchFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "need__facility", "Facility slug.")
    need = IdFilter(field_name="need_id", help_text="Need id.")
    process = _slug_filter(Process, "need__process", "Process slug (the taxonomy).")
    cluster = _slug_filter(Cluster, "need__facility__cluster", "Cluster slug.")
    state = django_filters.ModelChoiceFilter(
        queryset=State.objects.all(),
        to_field_name="code",
        field_name="supplier__state",
        help_text="The supplier's state, by its two-letter code (TN).",
    )
    min_score = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", min_value=0, max_value=100
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Match.Status.choices, help_text="Repeat for several."
    )
    near_miss = django_filters.TypedChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_near_miss",
        help_text="true: only near misses; false: only full matches.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        method=_keep,
        help_text="ISO 8601 date-time: changes since then, oldest first, deleted matches "
        "included as tombstones.",
    )

    class Meta:
        model = Match
        fields: list[str] = []

    def filter_near_miss(self, queryset: QuerySet[Match], name: str, value: str) -> QuerySet:
        if value == "true":
            return queryset.exclude(near_miss_rule="")
        if value == "false":
            return queryset.filter(near_miss_rule="")
        return queryset
