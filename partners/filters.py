"""The partner API's filters: every value validated, so bad input is a 400 with field errors."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocation.models import Recommendation
from clusters.models import Cluster, State
from consortia.models import Consortium
from matching.models import Match
from schemes.models import Facility, Need
from taxonomy.models import Process

from .cursors import MAX_ID

TRUE_FALSE = (("true", "true"), ("false", "false"))
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
STATE_CODE_PATTERN = r"^[A-Z]{2}$"
# RFC 3339 date-time (what OpenAPI's format: date-time means): an offset is required, and
# nothing Python's ISO parser would also read (a bare date, a space, a week date) is taken.
RFC3339 = re.compile(
    r"\A(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)


DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
TIME_0 = datetime.time(0, 0)


class StrictIntegerField(forms.IntegerField):
    """ASCII digits only: Django's field also reads "1.0", " 1", "+1" and other scripts' digits."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not re.fullmatch(r"[0-9]{1,19}", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.Filter):
    """A database id: a whole number that fits the column (a bigger one is a 400, not a 500)."""

    field_class = StrictIntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SlugFilter(django_filters.ModelChoiceFilter):
    """A row named by its slug (or code); one that does not exist is a 400."""

    def __init__(self, *args: Any, pattern: str = SLUG_PATTERN, max_length: int = 160, **kwargs):
        self.pattern = pattern
        self.max_length = max_length
        super().__init__(*args, **kwargs)


def _slug_filter(model: type, field_name: str, help_text: str) -> django_filters.Filter:
    return SlugFilter(
        queryset=model.objects.all(),
        to_field_name="slug",
        field_name=field_name,
        help_text=help_text,
        max_length=model._meta.get_field("slug").max_length,
    )


class Rfc3339Field(forms.Field):
    """An RFC 3339 date-time, or a date (its midnight, India time), as an aware datetime. One
    past what Python's datetime holds once in UTC (year 1 with a positive offset, 9999 with a
    negative one) is the earliest or latest datetime instead: a sync "since the year 1" is a
    sync of everything."""

    default_error_messages = {
        "invalid": _(
            "An RFC 3339 date-time with its offset (2026-12-06T10:30:00+05:30) or a date "
            "(2026-12-06)."
        )
    }

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        value = str(value)
        try:
            if DATE.match(value):
                midnight = datetime.datetime.combine(datetime.date.fromisoformat(value), TIME_0)
                parsed = midnight.replace(tzinfo=timezone.get_current_timezone())
            elif match := RFC3339.match(value):
                fraction = (match["fraction"] or "")[:6].ljust(6, "0")
                offset = match["offset"].upper().replace("Z", "+00:00")
                parsed = datetime.datetime.fromisoformat(
                    f"{match['date']}T{match['time']}.{fraction}{offset}"
                )
            else:
                raise ValueError(value)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            earliest = parsed.utcoffset() > datetime.timedelta(0)
            extreme = datetime.datetime.min if earliest else datetime.datetime.max
            return extreme.replace(tzinfo=datetime.UTC)


class Rfc3339Filter(django_filters.Filter):
    field_class = Rfc3339Field


def _keep(queryset: QuerySet, name: str, value: object) -> QuerySet:
    """Validated here, applied by the view (it changes the ordering, not just the rows)."""
    return queryset


class NeedFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "facility", "Facility slug.")
    process = _slug_filter(Process, "process", "Process slug (the taxonomy).")
    cluster = _slug_filter(Cluster, "facility__cluster", "Cluster slug of the need's facility.")
    status = django_filters.ChoiceFilter(choices=Need.Status.choices)
    updated_since = Rfc3339Filter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="RFC 3339 date-time, or a date (midnight, India time).",
    )

    class Meta:
        model = Need
        fields: list[str] = []


class MatchFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "need__facility", "Facility slug.")
    need = IdFilter(field_name="need_id", help_text="Need id.")
    process = _slug_filter(Process, "need__process", "Process slug (the taxonomy).")
    cluster = _slug_filter(Cluster, "need__facility__cluster", "Cluster slug.")
    state = SlugFilter(
        queryset=State.objects.all(),
        to_field_name="code",
        field_name="supplier__state",
        help_text="The supplier's state, by its two-letter code (TN).",
        pattern=STATE_CODE_PATTERN,
        max_length=2,
    )
    min_score = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", min_value=0, max_value=100
    )
    # distinct=False: django-filter's default DISTINCT (for filters across to-many joins) would
    # make PostgreSQL sort every matching row's every column before the LIMIT; status is the
    # match's own column, so no row can repeat.
    status = django_filters.MultipleChoiceFilter(
        choices=Match.Status.choices, distinct=False, help_text="Repeat for several."
    )
    near_miss = django_filters.TypedChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_near_miss",
        help_text="true: only near misses; false: only full matches.",
    )
    updated_since = Rfc3339Filter(
        method=_keep,
        help_text="RFC 3339 date-time or a date: changes since then, oldest first, deleted "
        "matches included as tombstones (kept MATCH_TOMBSTONE_DAYS, 90: a sync from further "
        "back is a 400 asking for a full pull).",
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


class ConsortiumFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "need__facility", "Facility slug.")
    need = IdFilter(field_name="need_id", help_text="Need id.")
    status = django_filters.ChoiceFilter(
        choices=Consortium.Status.choices,
        help_text="proposed, formed (every member accepted), fallen (a member declined) or "
        "stale (no longer valid for the need).",
    )

    class Meta:
        model = Consortium
        fields: list[str] = []


class RecommendationFilter(django_filters.FilterSet):
    facility = _slug_filter(Facility, "need__facility", "Facility slug.")
    need = IdFilter(field_name="need_id", help_text="Need id.")
    process = _slug_filter(Process, "process", "Process slug.")

    class Meta:
        model = Recommendation
        fields: list[str] = []
