"""The formatting layer: figures, rupees, lakh and crore, units and dates in English and Hindi."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from taxonomy import formatting
from taxonomy.formatting import crore, indian_date, lakh_crore, number, quantity, rupees

BOTH = pytest.mark.parametrize("language", ["en", "hi"])


@BOTH
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (Decimal("-0.00"), "0"),
        (750, "750"),
        (100000, "1,00,000"),
        (1234567, "12,34,567"),
        (1200000, "12,00,000"),
        (-1234567, "-12,34,567"),
        (Decimal("0.1"), "0.1"),
        (Decimal("1234.50"), "1,234.5"),
        (Decimal("70000.00"), "70,000"),
        (Decimal("-4999.5"), "-4,999.5"),
        (Decimal("0.0005"), "0.0005"),  # more places than CLDR's pattern shows: kept
        (Decimal("123456.50"), "1,23,456.5"),
        (Decimal("7280000000000"), "72,80,00,00,00,000"),
        # Beyond the 28 digits of Python's default decimal context: nothing rounded away.
        (
            Decimal("123456789012345678901234567890.25"),
            "1,23,45,67,89,01,23,45,67,89,01,23,45,67,890.25",
        ),
        (0.1, "0.1"),  # a float prints as its shortest decimal, not 0.1000000000000000055...
        (Decimal("1E+3"), "1,000"),
    ],
)
def test_a_figure_prints_as_entered_with_indian_grouping(
    language: str, value: Decimal | int | float, expected: str
) -> None:
    with translation.override(language):
        assert number(value) == expected


def test_hindi_keeps_latin_digits_because_cldrs_default_numbering_for_hindi_is_latin() -> None:
    locale = formatting.babel_locale("hi")
    assert (str(locale), locale.default_numbering_system) == ("hi_IN", "latn")
    assert str(formatting.babel_locale("en")) == "en_IN"
    with translation.override("hi"):
        assert number(1234567) == "12,34,567"  # not १२,३४,५६७
        assert formatting.babel_locale() == locale


def test_an_unknown_language_reads_figures_the_english_indian_way() -> None:
    assert str(formatting.babel_locale("fr")) == "en_IN"


@pytest.mark.parametrize("value", [True, Decimal("NaN"), Decimal("Infinity"), float("inf")])
def test_what_is_not_a_figure_is_refused(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        number(value)  # type: ignore[arg-type]


@BOTH
@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234567, "₹12,34,567"),
        (Decimal("70000.00"), "₹70,000"),
        (0, "₹0"),
        (Decimal("1234.5"), "₹1,234.50"),  # paise always in two digits
        (Decimal("0.1"), "₹0.10"),
        (-5000, "-₹5,000"),
    ],
)
def test_rupees_group_the_indian_way_and_show_paise_only_when_there_are_any(
    language: str, amount: Decimal | int, expected: str
) -> None:
    with translation.override(language):
        assert rupees(amount) == expected


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en", Decimal("7280.00"), "₹7,280 crore"),
        ("en", Decimal("123456.50"), "₹1,23,456.5 crore"),
        ("en", Decimal("0.5"), "₹0.5 crore"),
        ("en", 1, "₹1 crore"),
        ("hi", Decimal("7280.00"), "₹7,280 करोड़"),
        ("hi", Decimal("123456.50"), "₹1,23,456.5 करोड़"),
        ("hi", 1, "₹1 करोड़"),
    ],
)
def test_an_amount_counted_in_crore_reads_in_crore_in_both_languages(
    language: str, amount: Decimal | int, expected: str
) -> None:
    with translation.override(language):
        assert crore(amount) == expected


@pytest.mark.parametrize(
    ("language", "rupees_", "expected"),
    [
        ("en", 72_800_000_000, "₹7,280 crore"),
        ("en", 25_000_000, "₹2.5 crore"),
        ("en", 10_000_000, "₹1 crore"),
        ("en", 1_250_000, "₹12.5 lakh"),
        ("en", 1_234_567, "₹12.35 lakh"),  # the reading form: two places of a lakh
        ("en", 100_000, "₹1 lakh"),
        ("en", 99_999, "₹99,999"),  # below a lakh: the exact amount
        ("en", -1_250_000, "-₹12.5 lakh"),
        ("hi", 72_800_000_000, "₹7,280 करोड़"),
        ("hi", 25_000_000, "₹2.5 करोड़"),
        ("hi", 1_250_000, "₹12.5 लाख"),
        ("hi", 100_000, "₹1 लाख"),
        ("hi", 70_000, "₹70,000"),
    ],
)
def test_rupees_read_in_lakh_and_crore_where_people_read_them_so(
    language: str, rupees_: int, expected: str
) -> None:
    with translation.override(language):
        assert lakh_crore(rupees_) == expected


@pytest.mark.parametrize(
    ("language", "value", "unit", "expected"),
    [
        ("en", 1200000, "pieces", "12,00,000 pieces"),
        ("en", Decimal("2.50"), "µm", "2.5 µm"),
        ("en", 1050, "°C", "1,050 °C"),
        ("en", 250, "km", "250 km"),
        ("en", 1200, "MTPA", "1,200 MTPA"),
        ("en", Decimal("12.5"), "machine_hours", "12.5 machine-hours"),
        ("hi", 1200000, "pieces", "12,00,000 नग"),
        ("hi", 250, "km", "250 किमी"),
        ("hi", Decimal("2.50"), "µm", "2.5 µm"),
        ("hi", 6000, "MTPA", "6,000 MTPA"),
    ],
)
def test_a_quantity_prints_with_its_unit_spelled_right(
    language: str, value: Decimal | int, unit: str, expected: str
) -> None:
    with translation.override(language):
        assert quantity(value, unit) == expected


@pytest.mark.parametrize("unit", ["um", "MM", "mm", "C"])
def test_a_misspelt_unit_fails_loudly_instead_of_reaching_a_page(unit: str) -> None:
    with pytest.raises(KeyError, match="unknown unit"):
        quantity(5, unit)


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("en", "short", "15 Dec 2025"),
        ("en", "long", "15 December 2025"),
        ("hi", "short", "15 दिस 2025"),  # the project's spelling, not Django's "दिस्"
        ("hi", "long", "15 दिसंबर 2025"),  # not Django's "दिसमबर"
    ],
)
def test_dates_read_day_month_year_with_the_projects_hindi_month_names(
    language: str, style: str, expected: str
) -> None:
    with translation.override(language):
        assert indian_date(datetime.date(2025, 12, 15), style) == expected  # type: ignore[arg-type]


def test_an_aware_moment_reads_as_its_date_in_india() -> None:
    # 20:00 UTC on 14 December is already 15 December in Asia/Kolkata.
    moment = datetime.datetime(2025, 12, 14, 20, 0, tzinfo=datetime.UTC)
    assert timezone.is_aware(moment)
    with translation.override("en"):
        assert indian_date(moment) == "15 Dec 2025"


def render(source: str, **context: object) -> str:
    return Template("{% load indian %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "12,00,000 pieces|₹7,280 crore|₹12,34,567|₹12.5 lakh|0.1|15 December 2025|250 km"),
        ("hi", "12,00,000 नग|₹7,280 करोड़|₹12,34,567|₹12.5 लाख|0.1|15 दिसंबर 2025|250 किमी"),
    ],
)
def test_the_template_filters_speak_the_pages_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert (
            render(
                "{{ q|quantity:unit }}|{{ outlay|crore }}|{{ amount|rupees }}"
                "|{{ amount2|lakh_crore }}|{{ tolerance|number }}"
                '|{{ day|indian_date:"long" }}|{{ radius|quantity:"km" }}',
                q=Decimal("1200000.00"),
                unit="pieces",
                outlay=Decimal("7280.00"),
                amount=1234567,
                amount2=1250000,
                tolerance=Decimal("0.10"),
                day=datetime.date(2025, 12, 15),
                radius=250,
            )
            == expected
        )


def test_a_missing_figure_prints_nothing() -> None:
    assert (
        render(
            "[{{ a|number }}][{{ a|rupees }}][{{ a|crore }}][{{ a|lakh_crore }}]"
            '[{{ a|quantity:"µm" }}][{{ a|indian_date }}][{{ b|number }}]',
            a=None,
            b="",
        )
        == "[][][][][][][]"
    )


def test_a_figure_given_as_text_is_read_exactly() -> None:
    with translation.override("en"):
        assert render("{{ a|number }}", a="1234567.50") == "12,34,567.5"
