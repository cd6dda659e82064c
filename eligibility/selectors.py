"""Read queries of the self-check: saved results by their shareable token, answers in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from clusters.models import District
from schemes.citations import Citations
from taxonomy.amounts import CRORE
from taxonomy.choices import MsmeCategory
from taxonomy.formatting import crore as format_crore
from taxonomy.formatting import lakh_crore, number, quantity, rupees
from taxonomy.models import CertificationType, Process, StrategicSector

from .engine import CheckResult, CriterionResult, RoleResult
from .facts import Answers
from .models import EligibilityCheck

RESULT_SALT = "eligibility.result"
RESULT_LINK_DAYS = 90


class ResultLinkExpired(Exception):
    """A shareable link older than ``RESULT_LINK_DAYS``: the page says so (410 Gone)."""


def result_token(check: EligibilityCheck) -> str:
    """A signed, dated token that names the saved check and nothing about the enterprise."""
    return signing.dumps(check.pk, salt=RESULT_SALT)


def check_by_token(token: str) -> EligibilityCheck:
    try:
        pk = signing.loads(token, salt=RESULT_SALT, max_age=RESULT_LINK_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise ResultLinkExpired from exc
    except signing.BadSignature as exc:
        raise Http404("No such result.") from exc
    check = EligibilityCheck.objects.filter(pk=pk).first()
    if check is None:
        raise Http404("No such result.")
    return check


@dataclass(frozen=True)
class AnswerRow:
    step: str
    label: str
    value: str


def place(answers: Answers) -> str:
    """ "District, State" in the reader's language (English fallbacks marked on Hindi pages)."""
    district = (
        District.objects.select_related("state").filter(slug=answers.district).first()
        if answers.district
        else None
    )
    if district is None:
        return ""
    return format_html("{}, {}", district.bilingual_name, district.state.bilingual_name)


def amount_in_words(amount: int) -> str:
    """The exact amount, and how people say it when it runs to lakh: ₹2,50,00,000 (₹2.5 crore)."""
    if amount >= 100_000:
        return f"{rupees(amount)} ({lakh_crore(amount)})"
    return rupees(amount)


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("Yes") if value else _("No"))


def _names(model: type, field: str, keys: tuple[str, ...]) -> str:
    """The rows' names in the reader's language (English fallbacks marked on Hindi pages)."""
    if not keys:
        return _("None")
    names = model.objects.filter(**{f"{field}__in": keys}).order_by("name")
    return format_html_join(", ", "{}", ((n.bilingual_name,) for n in names))


def answers_in_words(answers: Answers) -> list[AnswerRow]:
    """The answers as a person reads them back ("check your answers"), by the step that asks."""
    district = (
        District.objects.select_related("state").filter(slug=answers.district).first()
        if answers.district
        else None
    )
    rows = [
        AnswerRow("enterprise", _("Registered on Udyam"), _yes_no(answers.udyam_registered)),
        AnswerRow(
            "enterprise",
            _("Investment in plant and machinery or equipment"),
            amount_in_words(answers.investment_rupees)
            if answers.investment_rupees is not None
            else "—",
        ),
        AnswerRow(
            "enterprise",
            _("Annual turnover"),
            amount_in_words(answers.turnover_rupees)
            if answers.turnover_rupees is not None
            else "—",
        ),
        AnswerRow(
            "place",
            _("District"),
            format_html("{}, {}", district.bilingual_name, district.state.bilingual_name)
            if district
            else "—",
        ),
        AnswerRow("work", _("Processes"), _names(Process, "slug", answers.processes)),
        AnswerRow(
            "work", _("Certificates"), _names(CertificationType, "code", answers.certifications)
        ),
        AnswerRow("work", _("Sectors"), _names(StrategicSector, "slug", answers.sectors)),
        AnswerRow("work", _("Exports"), _yes_no(answers.exports)),
    ]
    if answers.bidding:
        rows += [
            AnswerRow(
                "bidder",
                _("Capacity sought"),
                quantity(answers.capacity_sought_mtpa, "MTPA")
                if answers.capacity_sought_mtpa is not None
                else "—",
            ),
            AnswerRow(
                "bidder",
                _("Net worth"),
                format_crore(answers.net_worth_crore)
                if answers.net_worth_crore is not None
                else "—",
            ),
            AnswerRow("bidder", _("As a consortium"), _yes_no(answers.consortium)),
        ]
        if answers.consortium and answers.lead_equity_percent is not None:
            rows.append(
                AnswerRow(
                    "bidder",
                    _("Lead member's equity"),
                    f"{number(answers.lead_equity_percent)} %",
                )
            )
    return rows


@dataclass(frozen=True)
class CriterionRow:
    result: CriterionResult
    citation: int | None  # the number of its source in the section's list


@dataclass(frozen=True)
class RoleView:
    role: RoleResult
    rows: list[CriterionRow]
    citation: int | None


def role_views(result: CheckResult) -> tuple[list[RoleView], Citations]:
    """Each role with its criteria, and the section's sources, each cited once."""
    citations = Citations()
    views = []
    for role in result.roles:
        citation = citations.number(role.rule_set.source)
        rows = [CriterionRow(c, citations.number(c.criterion.source)) for c in role.shown]
        views.append(RoleView(role, rows, citation))
    return views, citations


def category_label(code: str | None) -> str:
    return str(MsmeCategory(code).label) if code else ""


def crore(amount: Decimal | None) -> str:
    return format_crore(amount) if amount is not None else ""


def limit_rows(result: CheckResult) -> list[tuple[str, str, str, str]]:
    """The MSME limits a result used: (code, category, investment, turnover) in crore."""
    return [
        (
            code,
            category_label(code),
            crore(Decimal(investment) / CRORE),
            crore(Decimal(turnover) / CRORE),
        )
        for code, investment, turnover in result.limits
    ]


def result_path(check: EligibilityCheck) -> str:
    return reverse("eligibility:result", kwargs={"token": result_token(check)})
