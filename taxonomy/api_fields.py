"""JSON input fields that take exactly what the OpenAPI schema says, and nothing else.

DRF's fields are lenient: a boolean field takes ``"yes"`` and ``1``, an integer field ``"600"``,
a character field ``5``, a date field ``20250101``. A client generated from the schema never
sends those, and a contract test (Schemathesis) rightly calls accepting them a bug: what the
schema calls invalid must be a 400. These fields say in the schema what they accept.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError

NO_NUL = r"^[^\x00]+$"
DATE_PATTERN = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@extend_schema_field({"type": "boolean"})
class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` (JSON), not ``"yes"``, ``1`` or ``"on"``."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number (``600`` or ``600.0``), not the string ``"600"``."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(int(data))


class StrictCharField(serializers.CharField):
    """A JSON string, not a number made into one; never with a NUL character (DRF refuses
    those: the schema says so with a pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(NO_NUL, code="null_characters_not_allowed"))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date"})
class StrictDateField(serializers.DateField):
    """``YYYY-MM-DD`` (RFC 3339 full-date), not ``20250101`` or a week date."""

    def to_internal_value(self, value: Any) -> datetime.date:
        if not isinstance(value, str) or not DATE_PATTERN.match(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class StrictDecimalField(serializers.DecimalField):
    """A JSON number (rounded to the field's places) or a string of plain figures matching
    ``pattern`` (``"200"``, ``"45.5"``); never ``" 5"``, ``"5e2"``, ``"1_000"`` or ``"+5"``,
    which Python's Decimal would read. Made by ``decimal_input``, which describes it."""

    pattern = r"^[0-9]+(?:\.[0-9]+)?$"

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":  # DRF reads "" as null on a nullable field; the schema does not
            self.fail("invalid")
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int | float):
            number = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
            if not number.is_finite():
                self.fail("invalid")
            if abs(number) >= 10 ** (self.max_digits - self.decimal_places):
                self.fail("max_whole_digits", max_whole_digits=self.max_whole_digits)
            try:
                return self.quantize(number)
            except InvalidOperation:  # rounds up past max_digits: 999.999 with (5, 2)
                self.fail("max_whole_digits", max_whole_digits=self.max_whole_digits)
        if not isinstance(data, str) or not re.match(self.pattern, data):
            self.fail("invalid")
        return super().to_internal_value(data)


def decimal_input(*, maximum: int, places: int, **kwargs: Any) -> StrictDecimalField:
    """From 0 to ``maximum``, at most ``places`` decimals: a number, or a string of figures."""
    whole = len(str(maximum)) - 1
    pattern = (
        rf"^(?:[0-9]{{1,{whole}}}(?:\.[0-9]{{1,{places}}})?|{maximum}(?:\.0{{1,{places}}})?)\Z"
    )
    schema = {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": maximum},
            {"type": "string", "pattern": pattern.removesuffix("\\Z") + "$"},
        ]
    }

    @extend_schema_field(schema)
    class DecimalInput(StrictDecimalField):
        pass

    DecimalInput.pattern = pattern
    return DecimalInput(
        max_digits=whole + 1 + places,
        decimal_places=places,
        min_value=Decimal(0),
        max_value=Decimal(maximum),
        **kwargs,
    )


# Input serializers that refuse a field they do not know (400): the schema says so with
# ``additionalProperties: false`` (added by ``close_objects``, a drf-spectacular hook).
CLOSED_COMPONENTS: set[str] = set()


def closed(serializer_class: type) -> type:
    """Mark an input serializer as refusing unknown fields; it must also refuse them."""
    CLOSED_COMPONENTS.add(serializer_class.__name__)
    return serializer_class


def close_objects(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular postprocessing hook: ``additionalProperties: false`` on closed inputs."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in CLOSED_COMPONENTS:
            component["additionalProperties"] = False
    return result


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def slug_input(queryset: Any, slug_field: str = "slug", **kwargs: Any) -> serializers.Field:
    """A row named by its slug (or code) in the body: a string of slug characters no longer
    than the column; one that names no row is a 400."""
    length = queryset.model._meta.get_field(slug_field).max_length

    @extend_schema_field({"type": "string", "pattern": SLUG_PATTERN, "maxLength": length})
    class SlugInput(serializers.SlugRelatedField):
        def to_internal_value(self, data: Any) -> Any:
            if not isinstance(data, str):
                self.fail("invalid")
            return super().to_internal_value(data)

    return SlugInput(slug_field=slug_field, queryset=queryset, **kwargs)


def slug_list_input(queryset: Any, slug_field: str = "slug", **kwargs: Any) -> serializers.Field:
    """A JSON array of slugs (DRF's many=True would also read an object's keys)."""
    return serializers.ListField(child=slug_input(queryset, slug_field), **kwargs)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested past Python's recursion limit (``[[[[…``) a 400
    like any other malformed JSON rather than a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - nested too deeply.")) from error
