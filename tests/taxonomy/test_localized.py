"""One rule for the name a reader sees: Hindi on Hindi pages where there is one, else English,
marked lang="en" on Hindi pages only; reasons follow the same rule for the names they quote."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from matching.reasons import Reason
from taxonomy.forms import LocalizedModelChoiceField
from taxonomy.localized import Name, english
from taxonomy.models import CertificationType
from tests.factories import CertificationTypeFactory

NABL = Name("NABL accreditation", "एनएबीएल प्रत्यायन")
SPCB = Name("SPCB consent")


def render(source: str, **context: object) -> str:
    return Template("{% load localized %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "name", "text", "html"),
    [
        ("en", NABL, "NABL accreditation", "NABL accreditation"),
        ("en", SPCB, "SPCB consent", "SPCB consent"),
        ("hi", NABL, "एनएबीएल प्रत्यायन", "एनएबीएल प्रत्यायन"),
        ("hi", SPCB, "SPCB consent", '<span lang="en">SPCB consent</span>'),
        ("hi", Name("R&D <lab>"), "R&D <lab>", '<span lang="en">R&amp;D &lt;lab&gt;</span>'),
        ("en", Name("R&D <lab>"), "R&D <lab>", "R&amp;D &lt;lab&gt;"),
    ],
)
def test_a_name_reads_in_the_readers_language_and_marks_only_a_hindi_fallback(
    language: str, name: Name, text: str, html: str
) -> None:
    with translation.override(language):
        assert str(name) == text
        assert render("{{ name|localized }}", name=name) == html


def test_the_english_filter_marks_english_on_hindi_pages_only() -> None:
    with translation.override("hi"):
        assert render("{{ t|english }}", t="Hosur <Works>") == (
            '<span lang="en">Hosur &lt;Works&gt;</span>'
        )
        assert render("{{ t|english }}", t="") == ""
        assert english(None) == ""
    with translation.override("en"):
        assert render("{{ t|english }}", t="Hosur <Works>") == "Hosur &lt;Works&gt;"


@pytest.mark.django_db
def test_the_localized_filter_reads_any_field_with_a_hindi_twin() -> None:
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001", name_hi="आईएसओ 9001")
    with translation.override("hi"):
        assert render("{{ c|localized }}", c=iso) == "आईएसओ 9001"
        assert iso.localized_name == "आईएसओ 9001"
        # A field without a _hi twin is English: marked.
        assert render('{{ c|localized:"code" }}', c=iso) == '<span lang="en">ISO_9001</span>'
    with translation.override("en"):
        assert render("{{ c|localized }}", c=iso) == "ISO 9001"
        assert iso.localized_name == "ISO 9001"


def test_reasons_name_certificates_in_the_readers_language() -> None:
    missing = Reason("certificates_missing", {"names": [NABL, SPCB]})
    valid = Reason("certificate_valid", {"name": NABL, "until": datetime.date(2027, 1, 5)})

    with translation.override("en"):
        assert missing.text == "needs NABL accreditation, SPCB consent"
        assert missing.html == "needs NABL accreditation, SPCB consent"
        assert missing.as_data()["figures"] == {"names": ["NABL accreditation", "SPCB consent"]}
    with translation.override("hi"):
        assert missing.text == "एनएबीएल प्रत्यायन, SPCB consent चाहिए"
        assert missing.html == 'एनएबीएल प्रत्यायन, <span lang="en">SPCB consent</span> चाहिए'
        assert valid.text == "एनएबीएल प्रत्यायन 5 जन 2027 तक मान्य"


def test_a_reasons_html_escapes_its_figures() -> None:
    reason = Reason("distance", {"km": 12, "facility": Name("Works <1> & Co")})
    with translation.override("en"):
        assert reason.html == "12 km from Works &lt;1&gt; &amp; Co"
        assert reason.text == "12 km from Works <1> & Co"


@pytest.mark.django_db
def test_a_select_of_named_rows_marks_english_options_on_hindi_pages() -> None:
    CertificationTypeFactory(code="ISO_9001", name="ISO 9001", name_hi="आईएसओ 9001")
    CertificationTypeFactory(code="SPCB_CONSENT", name="SPCB consent")
    field = LocalizedModelChoiceField(queryset=CertificationType.objects.order_by("code"))

    with translation.override("hi"):
        html = field.widget.render("certificate", None)
    assert ">आईएसओ 9001</option>" in html
    assert 'lang="en">SPCB consent</option>' in html
    with translation.override("en"):
        html = field.widget.render("certificate", None)
    assert ">ISO 9001</option>" in html and 'lang="en"' not in html
